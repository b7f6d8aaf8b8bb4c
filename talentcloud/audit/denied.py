"""Denied attempts: a 403, or a 404 on an object that exists outside the viewer's scope.

At most one audit event per actor, source IP, door (URL name or API operation) and 10-minute window: the
window's first refusal writes a ``security.denied`` event (outcome denied), every refusal adds one to the
window's ``DeniedAttempt`` counter with a single UPSERT. The audit page shows the counter's count beside the
event. Windows are aligned to the clock (…:00, …:10, …:20 UTC), so a flood opens one window every 10 minutes.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from talentcloud.common.errors import OutOfScope
from talentcloud.common.http import current_client_ip

from .models import DeniedAttempt, Outcome
from .selectors import DENIED_ACTION
from .services import audit_record

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

logger = logging.getLogger(__name__)

WINDOW = timedelta(minutes=10)
OUT_OF_SCOPE_ATTR = "_audit_out_of_scope"


def window_start(moment: datetime) -> datetime:
    seconds = int(WINDOW.total_seconds())
    epoch = int(moment.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def door_of(request: HttpRequest) -> str:
    """The door a request knocked at: its URL name, an API operation as "METHOD /route", else its path."""
    match = getattr(request, "resolver_match", None)
    if match is not None and request.path.startswith("/api/"):
        return f"{request.method} /{match.route}"[:200]
    if match is not None and match.url_name:
        return match.view_name[:200]
    if match is not None:
        return f"/{match.route}"[:200]
    return request.path[:200]


def note_exception(request: HttpRequest, exc: BaseException) -> None:
    """Remember an ``OutOfScope`` refusal on the request, for ``record_denied`` to pick up on its 404."""
    if isinstance(exc, OutOfScope):
        setattr(request, OUT_OF_SCOPE_ATTR, (exc.object_type, exc.object_id))


_UPSERT = """
INSERT INTO {table} (actor_key, source_ip, door, window_start, count, first_at, last_at)
VALUES (%s, %s, %s, %s, 1, %s, %s)
ON CONFLICT (actor_key, source_ip, door, window_start)
DO UPDATE SET count = {table}.count + 1, last_at = excluded.last_at
RETURNING id, count
"""


def count_denied(*, actor_key: str, source_ip: str, door: str, at: datetime) -> tuple[int, int]:
    """One UPSERT: adds this refusal to its window's counter; returns (counter id, count so far)."""
    ops = connection.ops
    table = ops.quote_name(DeniedAttempt._meta.db_table)
    start, now = (ops.adapt_datetimefield_value(v) for v in (window_start(at), at))
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=table), [actor_key, source_ip, door, start, now, now])
        row = cursor.fetchone()
    return int(row[0]), int(row[1])


def record_denied(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    source_ip: str | None,
    door: str,
    status: int,
    object_type: str = "",
    object_id: str = "",
) -> int | None:
    """Count one refusal; the first of its window also writes the audit event. Returns the window's count so
    far (None if it could not be recorded). Never raises: a refusal is answered whatever happens here."""
    authed = actor is not None and getattr(actor, "is_authenticated", False)
    actor_key = f"user:{actor.pk}" if actor is not None and authed else ""
    ip = source_ip or ""
    at = timezone.now()
    try:
        with transaction.atomic():
            counter_id, count = count_denied(actor_key=actor_key, source_ip=ip, door=door, at=at)
            if count == 1:
                event = audit_record(
                    actor=actor if authed else None,
                    action=DENIED_ACTION,
                    outcome=Outcome.DENIED,
                    object_type=object_type,
                    object_id=object_id,
                    source_ip=source_ip,
                    details={
                        "door": door,
                        "status": status,
                        "window_start": window_start(at).isoformat(),
                        "window_minutes": int(WINDOW.total_seconds() // 60),
                    },
                )
                DeniedAttempt.objects.filter(pk=counter_id).update(event_id=event.pk)
            return count
    except DatabaseError:
        logger.exception("could not record a denied attempt at %s", door)
        return None


def record_denied_response(request: HttpRequest, status: int) -> None:
    """Record the refusal a response carries: every 403, and a 404 that hid an object out of scope."""
    out_of_scope = getattr(request, OUT_OF_SCOPE_ATTR, None)
    if status != 403 and not (status == 404 and out_of_scope):
        return
    object_type, object_id = out_of_scope or ("", "")
    source_ip = (
        getattr(request, "client_ip", None) or current_client_ip.get() or request.META.get("REMOTE_ADDR")
    )
    record_denied(
        actor=getattr(request, "user", None),
        source_ip=source_ip,
        door=door_of(request),
        status=status,
        object_type=object_type,
        object_id=object_id,
    )
