from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import nav_for, tabs_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_items": nav_for(user),
        "tab_items": tabs_for(user, request.path),
        "district_name": settings.TALENTCLOUD_DISTRICT_NAME,
        "session_idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
    }
