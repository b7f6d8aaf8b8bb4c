"""The permissions the recruitment app's doors check, and the standard roles that hold them (collected by
``accounts.permissions``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission


class RecruitPerm(StrEnum):
    DEMAND_POST = "demand.post"
    DEMAND_REVIEW = "demand.review"
    CATALOGUE_MANAGE = "catalogue.manage"
    TAXONOMY_MANAGE = "taxonomy.manage"


PERMISSIONS = [
    Permission(
        RecruitPerm.DEMAND_POST,
        _("Post the enterprise's demand for talent (pages, API, Excel)"),
        roles=("enterprise-hr",),
    ),
    Permission(
        RecruitPerm.DEMAND_REVIEW,
        _("Review enterprises' demand for talent within the data scope"),
        roles=("park-staff", "street-staff", "talent-office", "talent-office-head"),
    ),
    Permission(
        RecruitPerm.CATALOGUE_MANAGE,
        _("Compile, freeze and publish the yearly demand catalogue (紧缺指数)"),
        roles=("talent-office", "talent-office-head"),
    ),
    Permission(
        RecruitPerm.TAXONOMY_MANAGE,
        _("Keep posts, majors, the skills dictionary and expected graduates"),
        roles=("talent-office", "talent-office-head"),
    ),
]
