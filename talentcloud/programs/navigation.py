"""The programmes app's sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import ProgPerm

NAVIGATION = [
    NavItem(
        group="develop",
        order=73,
        label=_("Open a call"),
        url_name="programs:call_new",
        perm=ProgPerm.MANAGE,
        description=_("A new programme call: dates, rule, criteria, stages, places, budget, quotas"),
    ),
    NavItem(
        group="develop",
        order=74,
        label=_("Expert pool"),
        url_name="programs:experts",
        perm=ProgPerm.MANAGE,
        description=_("Experts with their fields, institution history and declared ties"),
    ),
    NavItem(
        group="daily",
        order=63,
        label=_("Programme calls"),
        url_name="programs:index",
        description=_("Calls, eligibility, applications and their steps"),
        role_kinds=("talent",),
    ),
    NavItem(
        group="develop",
        order=80,
        label=_("Programme calls"),
        url_name="programs:index",
        perm=ProgPerm.NOMINATE,
        description=_("Calls, eligibility, applications and their steps"),
    ),
    NavItem(
        group="develop",
        order=81,
        label=_("Programme calls"),
        url_name="programs:index",
        perm=ProgPerm.RECOMMEND,
        description=_("Calls, eligibility, applications and their steps"),
    ),
    NavItem(
        group="develop",
        order=82,
        label=_("Programme calls"),
        url_name="programs:index",
        perm=ProgPerm.MANAGE,
        description=_("Calls, eligibility, applications and their steps"),
    ),
    NavItem(
        group="daily",
        order=64,
        label=_("My reviews"),
        url_name="programs:reviews",
        perm=ProgPerm.REVIEW,
        description=_("The programme applications of the panels you sit on"),
    ),
]
