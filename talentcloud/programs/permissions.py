"""The permissions the programmes app's doors check, and the standard roles that hold them (collected by
``accounts.permissions``). The applicant acts on their own application by holding it, not by a code."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.common.access import Permission


class ProgPerm(StrEnum):
    NOMINATE = "programs.nominate"
    RECOMMEND = "programs.recommend"
    MANAGE = "programs.manage"
    REVIEW = "programs.review"


PERMISSIONS = [
    Permission(
        ProgPerm.NOMINATE,
        _("Nominate the enterprise's applicants to talent programmes"),
        roles=("enterprise-hr",),
    ),
    Permission(
        ProgPerm.RECOMMEND,
        _("Recommend programme applications of the own park or street (属地推荐)"),
        roles=("park-staff", "street-staff"),
    ),
    Permission(
        ProgPerm.MANAGE,
        _("Run programme calls: formal check, expert pool, panel draws, ranking, approval"),
        roles=("talent-office", "talent-office-head"),
    ),
    Permission(
        ProgPerm.REVIEW,
        _("Review and score the programme applications assigned to the expert"),
        roles=("expert",),
    ),
]
