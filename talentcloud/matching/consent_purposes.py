"""The consent to be matched with enterprises' posts (引才): without it a profile is never matched."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.talents.consents import Purpose

PURPOSE = "recruitment"

CONSENT_PURPOSES = {
    PURPOSE: Purpose(
        label=_("Match my job-seeker profile with enterprises' posts (they see it masked until I agree)"),
        order=30,
    ),
}
