"""The matching app's sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem
from talentcloud.recruitment.permissions import RecruitPerm

NAVIGATION = [
    NavItem(
        group="attract",
        order=76,
        label=_("Talents for our posts"),
        url_name="matching:demands",
        perm=RecruitPerm.DEMAND_POST,
        description=_("Consenting talents matched with your posts, and why"),
        role_kinds=("enterprise",),
    ),
    NavItem(
        group="attract",
        order=77,
        label=_("Matching talents"),
        url_name="matching:demands",
        perm=RecruitPerm.DEMAND_REVIEW,
        description=_("Talents matched with enterprises' demand within your scope"),
    ),
    NavItem(
        group="daily",
        order=76,
        label=_("Posts for me"),
        url_name="matching:me",
        description=_("Enterprises' posts matched with your profile, and your consent"),
        role_kinds=("talent",),
    ),
]
