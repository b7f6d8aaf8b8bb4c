from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from talentcloud.apikit.pagination import Pages
from talentcloud.common.access import api_access, require_perm

from .permissions import AuditPerm
from .selectors import AuditFilters, audit_event_list

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    actor_id: int | None
    actor_username: str
    action: str
    object_type: str
    object_id: str
    outcome: str
    source_ip: str | None
    details: dict[str, object]


class AuditFilterIn(Schema):
    action: str = ""
    actor: str = ""
    outcome: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    denied_only: bool = False


@router.get("/events", response=list[AuditEventOut], openapi_extra=api_access("admin"))
@paginate(Pages, page_size=100)
def audit_events(request: HttpRequest, filters: Query[AuditFilterIn]) -> object:
    require_perm(request.user, AuditPerm.VIEW)  # the door checks; the log itself does not
    return audit_event_list(viewer=request.user, filters=AuditFilters(**filters.dict()))
