"""The certification app's sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import CertPerm

NAVIGATION = [
    NavItem(
        group="daily",
        order=65,
        label=_("My certification"),
        url_name="certification:mine",
        description=_("Your grade and tier, what they rest on and how long they hold"),
        role_kinds=("talent",),
    ),
    NavItem(
        group="develop",
        order=40,
        label=_("Grade proposals"),
        url_name="certification:proposals",
        perm=CertPerm.VIEW,
        description=_("Grades the classification rules propose, to confirm"),
    ),
    NavItem(
        group="develop",
        order=50,
        label=_("Expiring certifications"),
        url_name="certification:expiring",
        perm=CertPerm.VIEW,
        description=_("Certifications to review before they end (到期复核)"),
    ),
]
