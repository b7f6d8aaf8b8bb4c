"""Text the platform writes for people to read later, kept as a code and parameters and put into words when it
is read, in the reader's language (never in the language of the process that wrote it).

A parameter is stored as JSON in one of these forms:

- a plain string or number (a case number, an amount, a date in ISO form, a note a person typed): shown as is;
- ``{"msgid": "upheld"}``: a word of the message catalogue (from a lazy translation such as a choice's label),
  translated when read;
- ``{"each": {"zh-hans": "人才租房补贴", "en": "Talent rental subsidy"}}``: a name of the data in every
  language of the platform (a service, a policy, a department), the reader's one picked when read.

``params_encode`` turns what a caller has (model instances, lazy strings, dates, decimals) into that form;
``params_decode`` gives the values for the active language.

``CodedText`` is one such text (a code from ``NOTES`` and its parameters); ``CodedTextField`` is a text column
that holds either a person's free text, as before, or a ``CodedText``, rendered when the row is read.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Concat
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _msgid(text: Promise) -> str:
    """The message id of a lazy translation: its text with no catalogue active."""
    with translation.override(None):
        return str(text)


def _each_language(value: Any) -> dict[str, str]:
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names[code] = str(value)
    return names


def param_encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Promise):
        return {"msgid": _msgid(value)}
    if isinstance(value, models.Model):
        return {"each": _each_language(value)}
    if isinstance(value, dt.date):  # a date or a time: ISO, the same in every language
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def params_encode(params: dict[str, Any], memo: dict[int, Any] | None = None) -> dict[str, Any]:
    """``params`` as stored. ``memo`` (kept by a caller encoding many groups whose params share objects: a
    policy told to thousands with different amounts) holds a model's or a lazy text's encoding by the
    object's identity, so each is put into every language once; the caller keeps the objects alive."""
    if memo is None:
        return {key: param_encode(value) for key, value in params.items()}
    encoded = {}
    for key, value in params.items():
        if isinstance(value, models.Model | Promise):
            if id(value) not in memo:
                memo[id(value)] = param_encode(value)
            encoded[key] = memo[id(value)]
        else:
            encoded[key] = param_encode(value)
    return encoded


def param_decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "msgid" in value:
            return gettext(str(value["msgid"]))
        if "each" in value:
            names = value["each"]
            language = translation.get_language() or settings.LANGUAGE_CODE
            for code in (language, language.split("-")[0], settings.LANGUAGE_CODE):
                if names.get(code):
                    return names[code]
            return next(iter(names.values()), "")
    return "" if value is None else value


def params_decode(params: dict[str, Any]) -> dict[str, Any]:
    return {key: param_decode(value) for key, value in params.items()}


def fill(template: Any, params: dict[str, Any]) -> str:
    """``template`` (a lazy translation with ``%(name)s`` places) in the active language, filled in."""
    return str(template) % params_decode(params)


# Notes the system writes on a case's timeline (the person's own notes are stored as typed).
NOTES: dict[str, Any] = {
    "case.prepared": _(
        "Opened by 免申即享: you qualify for “%(policy)s” (version %(version)s). "
        "Add what is missing and submit it."
    ),
    "case.overdue": _("Overdue: the deadline was %(due)s."),
}


class CodedText:
    """A text of ``NOTES`` with its parameters; ``str()`` renders it in the active language."""

    def __init__(self, code: str, /, **params: Any) -> None:
        if code not in NOTES:
            raise KeyError(code)
        self.code = code
        self.params = params_encode(params)

    def __str__(self) -> str:
        return fill(NOTES[self.code], self.params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CodedText) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash(self.code)

    def __bool__(self) -> bool:
        return True

    def stored(self) -> str:
        return MARKER + json.dumps({"code": self.code, "params": self.params}, ensure_ascii=False)


MARKER = "\x1etc:"  # a control character no typed note starts with (a typed one is stripped on saving)


def text_read(stored: str | None) -> str | None:
    """What a stored value says, in the active language: a coded text rendered, anything else as it is (an
    unknown code — a text retired since — shows nothing rather than its JSON)."""
    if not stored or not stored.startswith(MARKER):
        return stored
    try:
        data = json.loads(stored[len(MARKER) :])
        template = NOTES[data["code"]]
        return fill(template, data.get("params") or {})
    except (ValueError, KeyError, TypeError):
        return ""


def coded_text_sql(code: str, /, **params: Any) -> Concat:
    """A ``CodedText`` as an SQL expression, for rows written set-based (``INSERT … SELECT``): a parameter
    given as an expression over the rows (a date or number column: its text needs no JSON escaping) is put in
    per row by the database, as ``param_encode`` would write it (a date in ISO form); the others as for
    ``CodedText``. What the column holds reads back exactly as ``CodedText(code, **values)``."""
    columns = {key: value for key, value in params.items() if hasattr(value, "resolve_expression")}
    slots = {key: f"\x00{index}\x00" for index, key in enumerate(columns)}
    stored = CodedText(code, **{**params, **slots}).stored()
    parts: list[Any] = []
    for key in columns:
        before, stored = stored.split(json.dumps(slots[key])[1:-1], 1)
        parts += [Value(before), Cast(columns[key], output_field=models.TextField())]
    parts.append(Value(stored))
    return Concat(*parts, output_field=models.TextField())


class CodedTextField(models.TextField):
    """A text column holding a person's text or a ``CodedText``; read back, it is a plain string in the
    language active when the row was read. It is an ordinary text column in the database and in migrations."""

    if TYPE_CHECKING:
        _pyi_private_set_type: str | CodedText | Combinable  # type: ignore[assignment]
        _pyi_private_get_type: str

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, CodedText):
            return value.stored()
        value = super().get_prep_value(value)
        if isinstance(value, str) and value.startswith("\x1e"):
            value = value.lstrip("\x1e")  # a typed text never passes for a coded one
        return value

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return text_read(value)

    def to_python(self, value: Any) -> Any:
        return value if isinstance(value, CodedText) else super().to_python(value)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs
