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


def mask_bank_account(value: str | None) -> str:
    """``6222 **** **** 1234``: the first 4 and last 4 digits, the rest as stars in groups of four.

    Spaces and dashes people type between the groups are ignored; eight characters or fewer are all stars.
    """
    if not value:
        return ""
    compact = "".join(ch for ch in str(value) if ch not in " -\t")
    if len(compact) <= 8:
        return "*" * len(compact)
    hidden = len(compact) - 8
    groups = ["*" * min(4, hidden - start) for start in range(0, hidden, 4)]
    return " ".join([compact[:4], *groups, compact[-4:]])


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return mask_phone(value)
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_text(value: str | None) -> str:
    if not value:
        return ""
    return value[:1] + "*" * (len(value) - 1)
