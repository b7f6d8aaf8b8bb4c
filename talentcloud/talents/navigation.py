"""The talents app's sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem
from talentcloud.enterprises.permissions import EnterprisePerm

from .permissions import TalentPerm

NAVIGATION = [
    NavItem(
        group="attract",
        order=10,
        label=_("Talents"),
        url_name="talents:list",
        perm=TalentPerm.VIEW,
        description=_("Talent archives in your scope"),
    ),
    NavItem(
        group="develop",
        order=10,
        label=_("My talents"),
        url_name="talents:mine",
        perm=TalentPerm.CONTACT_LOG,
        description=_("The talents you look after, and who is due a contact"),
    ),
    NavItem(
        group="develop",
        order=20,
        label=_("Needs"),
        url_name="talents:needs",
        perm=TalentPerm.NEED_REPLY,
        description=_("Talents' needs to answer, overdue first"),
    ),
    NavItem(
        group="develop",
        order=60,
        label=_("Talent programmes"),
        url_name="talents:programmes",
        perm=TalentPerm.PROGRAMME_MANAGE,  # others read the register from the archive's titles form
        description=_("The register of national, provincial, city and district programmes rules read"),
    ),
    NavItem(
        group="develop",
        order=30,
        label=_("Facts to verify"),
        url_name="talents:fact_review",
        perm=TalentPerm.FACT_VERIFY,
        description=_("Facts talents declared, awaiting staff"),
    ),
    NavItem(
        group="govern",
        order=20,
        label=_("Data requests"),
        url_name="talents:requests",
        perm=TalentPerm.PIPL_HANDLE,
        description=_("Copies, corrections and deletions of personal data"),
    ),
    NavItem(
        group="govern",
        order=30,
        label=_("Duplicates"),
        url_name="talents:clashes",
        perm=EnterprisePerm.CLASH_RESOLVE,
        description=_("ID numbers and credit codes written twice: merge or keep apart"),
    ),
]
