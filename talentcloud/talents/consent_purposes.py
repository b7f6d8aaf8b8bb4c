"""The consents the talents app itself asks for: liaison visits and surveys (``liaison.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .consents import Purpose

CONSENT_PURPOSES = {
    "visits": Purpose(label=_("Liaison visits and surveys"), order=30),
}
