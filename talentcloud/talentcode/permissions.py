"""The permissions the talent code's doors check, and the standard roles that hold them (collected by
``accounts.permissions``). ``talentcode.verify`` opens the verify door; what a verifier may check is its
unit's registration (``services.verifier_of``): an account of an unregistered unit gets nothing."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission


class CodePerm(StrEnum):
    VIEW = "talentcode.view"
    MANAGE = "talentcode.manage"
    VERIFY = "talentcode.verify"


PERMISSIONS = [
    Permission(
        CodePerm.VIEW,
        _("See talents' talent codes, their verifications and the ones talents report"),
        roles=("park-staff", "street-staff", "talent-office", "talent-office-head"),
    ),
    Permission(
        CodePerm.MANAGE,
        _("Issue and revoke talent codes, register verifiers and their scenes"),
        roles=("talent-office", "talent-office-head"),
    ),
    Permission(
        CodePerm.VERIFY,
        _("Verify talent codes for the scenes of one's own external unit"),
        roles=("code-verifier",),
    ),
]
