"""How personal data looks on screen and in exports unless unmasked (security.md)."""

from __future__ import annotations


def mask_id_number(value: str | None) -> str:
    """``3201**********1234``: first 4 and last 4 characters."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """``138****5678``."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return mask_phone(value)
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_text(value: str | None) -> str:
    if not value:
        return ""
    return value[:1] + "*" * (len(value) - 1)
