"""The consent to share a talent's data with the departments that handle their cases in the service hall."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.talents.consents import Purpose

CONSENT_PURPOSES = {
    "data_sharing": Purpose(label=_("Share my data with the departments that handle my requests"), order=20),
}
