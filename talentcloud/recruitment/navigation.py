"""The recruitment app's sidebar entries (the sidebar: ``web.navigation``), in the 引才 group."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import RecruitPerm

NAVIGATION = [
    NavItem(
        group="attract",
        order=50,
        label=_("Talent demand"),
        url_name="recruitment:demand_list",
        perm=RecruitPerm.DEMAND_REVIEW,
        description=_("Enterprises' demand for talent, to review"),
    ),
    NavItem(
        group="attract",
        order=55,
        label=_("Our talent demand"),
        url_name="recruitment:demand_list",
        perm=RecruitPerm.DEMAND_POST,
        description=_("Post and follow your enterprise's demand for talent"),
        role_kinds=("enterprise",),
    ),
    NavItem(
        group="attract",
        order=60,
        label=_("Demand catalogue"),
        url_name="recruitment:catalogue_manage_list",
        perm=RecruitPerm.CATALOGUE_MANAGE,
        description=_("The yearly catalogue and its 紧缺指数"),
    ),
    NavItem(
        group="attract",
        order=70,
        label=_("Posts, majors and skills"),
        url_name="recruitment:taxonomy",
        perm=RecruitPerm.TAXONOMY_MANAGE,
        description=_("The office's taxonomies and expected graduates"),
    ),
    NavItem(
        group="daily",
        order=68,
        label=_("Job seeking"),
        url_name="recruitment:profile",
        description=_("Your job-seeker profile and whether it counts"),
        role_kinds=("talent",),
    ),
]
