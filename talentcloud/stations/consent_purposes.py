"""The consent this app asks for: personal information provided to a workstation's partner abroad (PIPL
arts. 38–39), separate from any other consent and recorded at contact."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.talents.consents import Purpose

CONSENT_PURPOSES = {
    "cross_border": Purpose(
        label=_("Provision to an overseas workstation's partner (cross-border)"), order=60
    ),
}
