"""Web addresses people may follow: http and https only (never ``javascript:``, ``data:``, ``file:``,
``ftp:``), one validator for the page forms and the API schemas alike."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, WithJsonSchema

WEB_SCHEMES = ("http", "https")
WEB_URL_MESSAGE = _("Enter a web address starting with http:// or https://.")

validate_web_url = URLValidator(schemes=list(WEB_SCHEMES), message=WEB_URL_MESSAGE)


def _web_url_or_blank(value: str) -> str:
    value = value.strip()
    if value:
        try:
            validate_web_url(value)
        except ValidationError as exc:
            raise ValueError(str(WEB_URL_MESSAGE)) from exc
    return value


# A schema field for an optional web address: blank, or an http(s) URL (the message is the form's).
WebUrl = Annotated[
    str,
    AfterValidator(_web_url_or_blank),
    WithJsonSchema({"type": "string", "format": "uri", "description": "http(s) only; blank for none"}),
]
