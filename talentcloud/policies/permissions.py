"""The permissions the policies app's doors check, and the standard roles that hold them (collected by
``accounts.permissions``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission


class PolicyPerm(StrEnum):
    MANAGE = "policy.manage"
    PUBLISH = "policy.publish"


PERMISSIONS = [
    Permission(
        PolicyPerm.MANAGE,
        _("Write and simulate policies; run the 免申即享 sweep"),
        roles=("talent-office", "talent-office-head"),
    ),
    # The office's head publishes policy drafts a colleague wrote (a second person for every 待遇 change).
    Permission(
        PolicyPerm.PUBLISH, _("Publish a policy draft someone else wrote"), roles=("talent-office-head",)
    ),
]
