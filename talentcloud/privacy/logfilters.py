"""Personal numbers never reach the logs: a filter on every log handler (settings.LOGGING) masks resident ID
numbers (18 characters) and mainland mobile numbers (11 digits) in each record's message and traceback, the
way screens mask them (``3201**********1234``, ``138****5678``).

The access log leaves query strings out altogether (``config/gunicorn.py``); this filter catches what the
application itself logs (a path, an exception's text, a value a library quoted)."""

from __future__ import annotations

import logging
import re

from talentcloud.privacy.masking import mask_id_number, mask_phone

# An 18-character resident ID (17 digits and a digit or X) or a mobile number (1, then 3-9, then 9 digits),
# standing alone: not part of a longer run of letters or digits (a UUID, a token, a timestamp in digits).
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d{9}(?![0-9A-Za-z])")


def mask_personal_numbers(text: str) -> str:
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


class PersonalDataFilter(logging.Filter):
    """Masks ID and phone numbers in a record (its formatted message and any traceback); never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its format: leave it to the handler
            return True
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_numbers(record.stack_info)
        return True
