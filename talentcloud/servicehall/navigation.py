"""The service hall's sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import HallPerm

NAVIGATION = [
    NavItem(
        group="daily",
        order=30,
        label=_("Service hall"),
        url_name="servicehall:catalogue",
        description=_("Apply for the district's talent services"),
    ),
    NavItem(
        group="daily",
        order=40,
        label=_("My cases"),
        url_name="servicehall:my_cases",
        description=_("Your applications and their answers"),
        role_kinds=("talent", "enterprise"),
    ),
    NavItem(
        group="retain",
        order=10,
        label=_("Worklist"),
        url_name="servicehall:worklist",
        perm=HallPerm.CASE_HANDLE,
        description=_("Your department's cases, overdue first"),
    ),
    NavItem(
        group="retain",
        order=20,
        label=_("Hall overview"),
        url_name="servicehall:overview",
        perm=HallPerm.CASE_OVERSEE,
        description=_("Every department's open, due-soon and overdue cases; ratings"),
    ),
    NavItem(
        group="retain",
        order=30,
        label=_("Ratings"),
        url_name="servicehall:ratings",
        perm=HallPerm.CASE_HANDLE,
        description=_("Ratings, rectifications and appeals"),
    ),
    NavItem(
        group="retain",
        order=40,
        label=_("Appeals"),
        url_name="servicehall:ratings",
        perm=HallPerm.CASE_OVERSEE,
        description=_("Appeals against ratings to decide"),
    ),
    NavItem(
        group="retain",
        order=50,
        label=_("Service catalogue"),
        url_name="servicehall:manage",
        perm=HallPerm.SERVICE_MANAGE,
        description=_("Services, their forms and time limits"),
    ),
]
