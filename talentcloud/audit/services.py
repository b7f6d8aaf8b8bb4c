"""``audit_record``: the one way anything writes an audit event."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from talentcloud.common.bulk import rows_insert
from talentcloud.common.http import current_client_ip

from .models import AuditEvent, Outcome

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    object_type: str = "",
    object_id: object = "",
    outcome: str = Outcome.SUCCESS,
    source_ip: str | None = None,
    details: dict[str, Any] | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it records.

    ``details`` must hold ids and masked values only, never personal data in clear.
    ``actor_username`` names an actor that is not (or not yet) an account, e.g. a failed login's username.
    ``source_ip`` defaults to the client address of the request being answered (``current_client_ip``), so
    every event a request causes carries it; jobs and commands have none.
    """
    if source_ip is None:
        source_ip = current_client_ip.get()
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, actor_username = actor.pk, actor.get_username()
    else:
        actor_id, actor_username = None, actor_username[:150]
    return AuditEvent.objects.create(
        actor_id=actor_id,
        actor_username=actor_username,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id not in (None, "") else "",
        outcome=outcome,
        source_ip=_valid_ip(source_ip),
        details=details or {},
    )


def audit_records(
    *,
    action: str,
    object_type: str,
    events: list[tuple[object, dict[str, Any]]],
    actor: AbstractBaseUser | AnonymousUser | None = None,
) -> None:
    """Append many events of one action, one per ``(object id, details)``, in one bulk insert (COPY on
    PostgreSQL, ``common.bulk.rows_insert``): what a set-based write records instead of calling
    ``audit_record`` in a loop. By the system (a job: no actor, no address) unless ``actor`` is given (then
    with the address of the request being answered, as ``audit_record``). Call it inside the transaction of
    the changes it records."""
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    actor_id = actor.pk if signed_in else None  # type: ignore[union-attr]
    username = actor.get_username() if signed_in else "system"  # type: ignore[union-attr]
    source_ip = _valid_ip(current_client_ip.get()) if signed_in else None
    rows_insert(
        AuditEvent,
        {
            "actor_id": actor_id,
            "actor_username": username,
            "action": action,
            "object_type": object_type,
            "outcome": Outcome.SUCCESS,
            "source_ip": source_ip,
        },
        ["object_id", "details"],
        [(str(object_id), details) for object_id, details in events],
    )


@dataclass(frozen=True)
class BatchEvent:
    """One event of ``audit_batch``: what ``audit_record`` takes, the source address given (a batch is
    written away from the request that caused it)."""

    actor: AbstractBaseUser | None
    action: str
    object_type: str = ""
    object_id: object = ""
    outcome: str = Outcome.SUCCESS
    source_ip: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def audit_batch(events: list[BatchEvent]) -> None:
    """Append events recorded first elsewhere (a row that holds what the event says, written by the request
    in one INSERT) by a job, one insert per thousand, each with its own actor and address. Call it inside
    the transaction that marks those rows as audited, so that none is written twice or lost."""
    rows = []
    for event in events:
        actor = event.actor
        known = actor is not None and getattr(actor, "is_authenticated", False)
        rows.append(
            AuditEvent(
                actor_id=actor.pk if known and actor is not None else None,
                actor_username=actor.get_username() if known and actor is not None else "",
                action=event.action,
                object_type=event.object_type,
                object_id=str(event.object_id) if event.object_id not in (None, "") else "",
                outcome=event.outcome,
                source_ip=_valid_ip(event.source_ip),
                details=event.details,
            )
        )
    AuditEvent.objects.bulk_create(rows, batch_size=1000)


def request_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR")
