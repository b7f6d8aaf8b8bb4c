"""The talent code's sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import CodePerm

NAVIGATION = [
    NavItem(
        group="daily",
        order=66,
        label=_("My talent code"),
        url_name="talentcode:mine",
        description=_("Show your talent code (紫金山英才卡) and see where it was verified"),
        role_kinds=("talent",),
    ),
    NavItem(
        group="retain",
        order=45,
        label=_("Talent codes"),
        url_name="talentcode:codes",
        perm=CodePerm.VIEW,
        description=_("Codes issued, their verifications and the ones talents do not recognise"),
    ),
    NavItem(
        group="retain",
        order=46,
        label=_("Code verifiers"),
        url_name="talentcode:verifiers",
        perm=CodePerm.MANAGE,
        description=_("External units that verify talent codes, and their scenes"),
    ),
    NavItem(
        group="daily",
        order=69,
        label=_("Verify a talent code"),
        url_name="talentcode:verify",
        perm=CodePerm.VERIFY,
        description=_("Scan a talent's code and see their entitlement for your scene"),
    ),
]
