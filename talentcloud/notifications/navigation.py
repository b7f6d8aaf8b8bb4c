"""The notifications app's sidebar entry (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

NAVIGATION = [
    NavItem(
        group="daily",
        order=20,
        label=_("Messages"),
        url_name="notifications:inbox",
        description=_("Messages about your cases and work"),
    ),
]
