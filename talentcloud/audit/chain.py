"""The audit hash chain: sealing, verification and retention pruning (security.md, Audit).

- ``audit_seal`` appends unsealed events to the chain in id order. Concurrent sealers cannot fork it: the
  sequence number is the primary key, so the loser of a race gets an IntegrityError and retries.
- ``audit_verify`` recomputes every link and names the first broken one: an event changed, an event
  deleted, a seal deleted, or events left unsealed longer than the allowed lag.
- ``audit_prune`` deletes a prefix of the chain older than the retention period (never under 6 months),
  as the database owner, and leaves a checkpoint event with the last pruned hash so the rest still verifies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from talentcloud.privacy.crypto import sm3_hex

from .models import AuditEvent, AuditSeal
from .services import audit_record

GENESIS = "0" * 64
MIN_RETENTION_DAYS = 183


def canonical(event: AuditEvent) -> bytes:
    when = event.occurred_at.astimezone(UTC) if event.occurred_at.tzinfo else event.occurred_at
    record = [
        event.pk,
        when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        event.actor_id,
        event.actor_username,
        event.action,
        event.object_type,
        event.object_id,
        event.outcome,
        event.source_ip or "",
        event.details,
    ]
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def link_hash(prev_hash: str, event: AuditEvent) -> str:
    return sm3_hex(prev_hash.encode() + canonical(event))


def _head() -> tuple[int, str]:
    last = AuditSeal.objects.order_by("-seq").first()
    if last is not None:
        return last.seq, last.hash
    checkpoint = _latest_checkpoint()
    if checkpoint is not None:
        return int(checkpoint["last_seq"]), str(checkpoint["last_hash"])
    return 0, GENESIS


def _latest_checkpoint() -> dict[str, Any] | None:
    event = AuditEvent.objects.filter(action="audit.prune").order_by("-id").first()
    return event.details if event is not None else None


def audit_seal(*, batch_size: int = 1000, attempts: int = 5) -> int:
    """Seal every unsealed event; returns how many were sealed."""
    total = 0
    while True:
        sealed_ids = AuditSeal.objects.values("event_id")
        pending = list(AuditEvent.objects.exclude(pk__in=sealed_ids).order_by("id")[:batch_size])
        if not pending:
            return total
        for attempt in range(attempts):
            try:
                with transaction.atomic():
                    seq, prev = _head()
                    seals = []
                    for event in pending:
                        seq += 1
                        current = link_hash(prev, event)
                        seals.append(AuditSeal(seq=seq, event_id=event.pk, prev_hash=prev, hash=current))
                        prev = current
                    AuditSeal.objects.bulk_create(seals)
                break
            except IntegrityError:
                # Another sealer appended first: re-read the head and the pending events.
                if attempt == attempts - 1:
                    raise
                sealed_ids = AuditSeal.objects.values("event_id")
                pending = list(AuditEvent.objects.exclude(pk__in=sealed_ids).order_by("id")[:batch_size])
                if not pending:
                    return total
        total += len(pending)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    event_id: int | None = None
    unsealed: int = 0


def audit_verify(
    *, unsealed_grace: timedelta | None = None, batch_size: int = 5000, using: str = "default"
) -> VerifyResult:
    """Recompute the chain on database ``using`` (an alias checks a restored copy before it goes live)."""
    grace = (
        unsealed_grace
        if unsealed_grace is not None
        else timedelta(seconds=settings.AUDIT_UNSEALED_GRACE_SECONDS)
    )
    seals_qs = AuditSeal.objects.using(using)
    events_qs = AuditEvent.objects.using(using)
    first = seals_qs.order_by("seq").first()
    checked = 0
    if first is not None:
        expected_seq, prev = first.seq, GENESIS
        if first.seq != 1:
            checkpoint = events_qs.filter(action="audit.prune", details__last_seq=first.seq - 1).first()
            if checkpoint is None:
                return VerifyResult(
                    False, 0, f"the chain starts at seal {first.seq} with no prune checkpoint before it"
                )
            prev = str(checkpoint.details["last_hash"])
        last_seq = first.seq - 1
        while True:
            seals = list(seals_qs.filter(seq__gt=last_seq).order_by("seq")[:batch_size])
            if not seals:
                break
            events = events_qs.in_bulk([s.event_id for s in seals])
            for seal in seals:
                if seal.seq != expected_seq:
                    return VerifyResult(
                        False, checked, f"seal {expected_seq} is missing (the chain jumps to {seal.seq})"
                    )
                event = events.get(seal.event_id)
                if event is None:
                    return VerifyResult(
                        False,
                        checked,
                        f"event {seal.event_id} (seal {seal.seq}) has been deleted",
                        seal.event_id,
                    )
                if seal.prev_hash != prev or link_hash(prev, event) != seal.hash:
                    return VerifyResult(
                        False, checked, f"event {event.pk} (seal {seal.seq}) has been changed", event.pk
                    )
                prev = seal.hash
                expected_seq += 1
                checked += 1
            last_seq = seals[-1].seq
    sealed_ids = seals_qs.values("event_id")
    unsealed = events_qs.exclude(pk__in=sealed_ids)
    stale = unsealed.filter(occurred_at__lt=timezone.now() - grace).order_by("id").first()
    if stale is not None:
        return VerifyResult(
            False,
            checked,
            f"event {stale.pk} has not been sealed for longer than {grace}",
            stale.pk,
            unsealed.count(),
        )
    return VerifyResult(True, checked, unsealed=unsealed.count())


def _immutable_trigger_sql(enable: bool) -> list[str]:
    tables = ["audit_auditevent", "audit_auditseal"]
    if connection.vendor == "postgresql":
        word = "ENABLE" if enable else "DISABLE"
        return [f"ALTER TABLE {t} {word} TRIGGER {t}_immutable" for t in tables]
    if enable:
        from .migrations_sql import sqlite_trigger_statements

        return sqlite_trigger_statements()
    return []  # SQLite's trigger only refuses UPDATE; pruning deletes


def audit_prune(*, older_than_days: int) -> int:
    """Delete the oldest part of the chain (run as the database owner). Returns events deleted."""
    if older_than_days < MIN_RETENTION_DAYS:
        raise ValueError(f"audit events are kept at least {MIN_RETENTION_DAYS} days (网络安全法 art. 21)")
    audit_seal()
    cutoff = timezone.now() - timedelta(days=older_than_days)
    with transaction.atomic():
        # The prefix of the chain whose events are all older than the cutoff.
        boundary = None
        for seal in AuditSeal.objects.order_by("seq").iterator():
            event = AuditEvent.objects.filter(pk=seal.event_id).values_list("occurred_at", flat=True).first()
            if event is None or event >= cutoff:
                break
            boundary = seal
        if boundary is None:
            return 0
        event_ids = list(AuditSeal.objects.filter(seq__lte=boundary.seq).values_list("event_id", flat=True))
        with connection.cursor() as cursor:
            for statement in _immutable_trigger_sql(enable=False):
                cursor.execute(statement)
        deleted, _detail = AuditEvent.objects.filter(pk__in=event_ids).delete()
        AuditSeal.objects.filter(seq__lte=boundary.seq).delete()
        with connection.cursor() as cursor:
            for statement in _immutable_trigger_sql(enable=True):
                cursor.execute(statement)
        audit_record(
            actor=None,
            actor_username="console",
            action="audit.prune",
            details={
                "last_seq": boundary.seq,
                "last_hash": boundary.hash,
                "events": deleted,
                "before": cutoff.isoformat(),
            },
        )
    return deleted
