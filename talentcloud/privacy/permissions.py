"""The permission the privacy app's unmasking checks, and the standard roles that hold it (collected by
``accounts.permissions``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission


class PrivacyPerm(StrEnum):
    PII_UNMASK = "pii.unmask"


PERMISSIONS = [
    Permission(
        PrivacyPerm.PII_UNMASK,
        _("See personal data unmasked, giving a reason"),
        roles=("talent-office", "talent-office-head"),
    ),
]
