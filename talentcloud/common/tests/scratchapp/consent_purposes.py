"""The scratch app's consent purpose, listed after the others."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.talents.consents import Purpose

CONSENT_PURPOSES = {
    "scratch_survey": Purpose(label=_("Scratch surveys"), order=40),
}
