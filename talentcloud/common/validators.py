"""Identity-document and code validators (security.md, Bad input). Each way to fail has its own message.

python-stdnum supplies the check-digit arithmetic only. Its ``cn.ric.validate`` rejects real ID numbers whose
area code is newer than the birth year (e.g. 320115 before 2000) and its ``cn.uscc.validate`` rejects valid
codes that do not start with 8 digits, so the pattern and date checks here are our own.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_2

HMT_AREA_CODES = {"810000": _("Hong Kong"), "820000": _("Macao"), "830000": _("Taiwan")}
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _clean(value: str) -> str:
    return re.sub(r"[\s-]", "", str(value or "")).upper()


def _birth_date(digits: str, field_label: Any) -> date:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(
            _("The birth date %(date)s in the %(label)s does not exist."),
            code="bad_date",
            params={"date": digits, "label": field_label},
        ) from None
    if born.year < 1900 or born > timezone.localdate():
        raise ValidationError(
            _("The birth date %(date)s in the %(label)s is not possible."),
            code="bad_date",
            params={"date": digits, "label": field_label},
        )
    return born


def _eighteen_with_check(number: str, label: Any) -> None:
    if len(number) != 18:
        raise ValidationError(
            _("A %(label)s has 18 characters; this one has %(n)d."),
            code="bad_length",
            params={"label": label, "n": len(number)},
        )
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(
            _("A %(label)s is 17 digits followed by a digit or X."),
            code="bad_format",
            params={"label": label},
        )
    if mod_11_2.calc_check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("The last character of this %(label)s does not match the others: check for a typing error."),
            code="bad_check_digit",
            params={"label": label},
        )


def validate_resident_id(value: str) -> str:
    """Mainland resident identity card (居民身份证), 18 characters, GB 11643. Returns the cleaned number."""
    number = _clean(value)
    label = _("resident ID number")
    _eighteen_with_check(number, label)
    if number[0] == "9" or number[:6] in HMT_AREA_CODES:
        raise ValidationError(
            _("This is not a mainland resident ID number; choose the right document type."), code="wrong_type"
        )
    if not re.fullmatch(r"[1-8]\d{5}", number[:6]):
        raise ValidationError(
            _("The area code %(code)s is not a mainland area code."),
            code="bad_area",
            params={"code": number[:6]},
        )
    _birth_date(number[6:14], label)
    return number


def validate_foreign_permanent_resident_id(value: str) -> str:
    """Foreign permanent resident ID card, 2023 format: 18 characters starting with 9, same check digit."""
    number = _clean(value)
    label = _("foreign permanent resident ID number")
    _eighteen_with_check(number, label)
    if number[0] != "9":
        raise ValidationError(
            _("A foreign permanent resident ID number (2023 format) starts with 9."), code="bad_format"
        )
    _birth_date(number[6:14], label)
    return number


def validate_hmt_residence_permit(value: str) -> str:
    """Residence permit for Hong Kong, Macao and Taiwan residents: area code 810000, 820000 or 830000."""
    number = _clean(value)
    label = _("residence permit number")
    _eighteen_with_check(number, label)
    if number[:6] not in HMT_AREA_CODES:
        raise ValidationError(
            _(
                "A residence permit for Hong Kong, Macao or Taiwan residents "
                "starts with 810000, 820000 or 830000."
            ),
            code="bad_area",
        )
    _birth_date(number[6:14], label)
    return number


def validate_passport(value: str) -> str:
    """Passport number: 5 to 20 letters and digits (formats differ by country; no checksum is assumed)."""
    number = _clean(value)
    if not re.fullmatch(r"[A-Z0-9]{5,20}", number):
        raise ValidationError(_("A passport number is 5 to 20 letters and digits."), code="bad_format")
    return number


def validate_credit_code(value: str) -> str:
    """Unified social credit code (统一社会信用代码), GB 32100: 18 characters with a check character."""
    number = _clean(value)
    if len(number) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="bad_length",
            params={"n": len(number)},
        )
    if any(c not in _USCC_ALPHABET for c in number):
        raise ValidationError(
            _("A unified social credit code uses digits and capital letters except I, O, S, V and Z."),
            code="bad_format",
        )
    if uscc.calc_check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("The last character of this credit code does not match the others: check for a typing error."),
            code="bad_check_digit",
        )
    return number


def validate_mobile(value: str) -> str:
    """Mainland mobile number: 11 digits starting with 13–19 (an optional +86 is removed)."""
    number = _clean(value)
    number = number.removeprefix("+86").removeprefix("0086")
    if not re.fullmatch(r"\d+", number):
        raise ValidationError(_("A mobile number has digits only."), code="bad_format")
    if len(number) != 11:
        raise ValidationError(
            _("A mobile number has 11 digits; this one has %(n)d."),
            code="bad_length",
            params={"n": len(number)},
        )
    if not re.fullmatch(r"1[3-9]\d{9}", number):
        raise ValidationError(_("A mobile number starts with 13 to 19."), code="bad_prefix")
    return number


def credit_code_validator(value: str) -> None:
    """Model-field form of ``validate_credit_code`` (Django field validators return nothing)."""
    validate_credit_code(value)
