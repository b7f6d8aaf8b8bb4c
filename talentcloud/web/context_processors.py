from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from .navigation import nav_groups_for, tabs_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_groups": nav_groups_for(user),
        "tab_items": tabs_for(user, request.path),
        "district_name": settings.TALENTCLOUD_DISTRICT_NAME,
        "session_idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
        "site_contact": site_contact,
    }


def site_contact() -> dict[str, Any]:
    """The public pages' footer (settings): the office's contact, the ICP filing number, the privacy
    statement. A callable, so pages without the footer never build it."""

    return {
        "office": settings.TALENTCLOUD_OFFICE_NAME,
        "address": settings.TALENTCLOUD_OFFICE_ADDRESS,
        "phone": settings.TALENTCLOUD_OFFICE_PHONE,
        "email": settings.TALENTCLOUD_OFFICE_EMAIL,
        "hours": settings.TALENTCLOUD_OFFICE_HOURS,
        "icp": settings.TALENTCLOUD_ICP_NUMBER,
        "icp_url": settings.TALENTCLOUD_ICP_URL,
        "privacy_url": settings.TALENTCLOUD_PRIVACY_URL or reverse("web:privacy"),
    }
