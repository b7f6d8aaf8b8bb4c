from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from talentcloud.accounts.types import AuthedRequest
from talentcloud.apikit.pagination import Pages
from talentcloud.common.access import api_access
from talentcloud.common.errors import NotFound

from . import services
from .models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    """Title and body in the request's language (written from the event and its parameters when read)."""

    id: int
    event: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_title(obj: Notification) -> str:
        return obj.display_title

    @staticmethod
    def resolve_body(obj: Notification) -> str:
        return obj.display_body


@router.get("", response=list[NotificationOut], openapi_extra=api_access("own"))
@paginate(Pages, page_size=50)
def notifications_list(request: HttpRequest, unread: bool = False) -> object:
    user: Any = request.user
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post("/{notification_id}/read", response=NotificationOut, openapi_extra=api_access("own"))
def notifications_read(request: AuthedRequest, notification_id: int) -> object:
    user: Any = request.user
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise NotFound()
    services.notification_read(actor=request.user, notification_id=notification_id)
    notification.refresh_from_db()
    return notification
