"""The audit hash chain: sealing, verification and retention pruning (security.md, Audit).

- ``audit_seal`` appends unsealed events to the chain in id order. Concurrent sealers cannot fork it: the
  sequence number is the primary key, so the loser of a race gets an IntegrityError and retries. A link is
  HMAC-SM3 with a key from the environment (``audit/keys.py``), so the database owner cannot recompute it;
  links made before keys existed are plain SM3 and still verify, but never after a keyed one.
- ``audit_verify`` recomputes every link and names the first broken one: an event changed, an event
  deleted, a seal deleted, a stretch re-sealed without the key, a link or a tail that no longer matches the
  anchors written outside the database (``audit/anchors.py``), a forged prune checkpoint, or events left
  unsealed longer than the allowed lag.
- ``audit_prune`` deletes a prefix of the chain older than the retention period (never under 6 months),
  as the database owner, and leaves a checkpoint event with the last pruned hash so the rest still verifies;
  the checkpoint carries a MAC under the seal key, so only a real prune can write one.
"""

from __future__ import annotations

import hmac as std_hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from talentcloud.common.crypto import sm3_hex

from .anchors import Anchor, AnchorError, anchor_store
from .keys import active_seal_key_id, hmac_sm3_hex
from .migrations_sql import sqlite_trigger_statements
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


def link_hash(prev_hash: str, event: AuditEvent, key_id: str = "") -> str:
    data = prev_hash.encode() + canonical(event)
    return hmac_sm3_hex(key_id, data) if key_id else sm3_hex(data)


def _head() -> tuple[int, str, str]:
    """(seq, hash, key id) of the newest link: the newest seal, else the prune checkpoint, else genesis."""
    last = AuditSeal.objects.order_by("-seq").first()
    if last is not None:
        return last.seq, last.hash, last.key_id
    checkpoint = _latest_checkpoint()
    if checkpoint is not None:
        return int(checkpoint["last_seq"]), str(checkpoint["last_hash"]), ""
    return 0, GENESIS, ""


def _latest_checkpoint() -> dict[str, Any] | None:
    event = AuditEvent.objects.filter(action="audit.prune").order_by("-id").first()
    return event.details if event is not None else None


def audit_seal(*, batch_size: int = 1000, attempts: int = 5) -> int:
    """Seal every unsealed event; returns how many were sealed."""
    key_id = active_seal_key_id()
    total = 0
    while True:
        sealed_ids = AuditSeal.objects.values("event_id")
        pending = list(AuditEvent.objects.exclude(pk__in=sealed_ids).order_by("id")[:batch_size])
        if not pending:
            return total
        for attempt in range(attempts):
            try:
                with transaction.atomic():
                    seq, prev, head_key = _head()
                    if head_key and not key_id:
                        raise ImproperlyConfigured(
                            "the audit chain is sealed with keys but TALENTCLOUD_AUDIT_SEAL_KEYS is not set: "
                            "refusing to continue it with unkeyed seals"
                        )
                    seals = []
                    for event in pending:
                        seq += 1
                        current = link_hash(prev, event, key_id)
                        seals.append(
                            AuditSeal(seq=seq, event_id=event.pk, prev_hash=prev, hash=current, key_id=key_id)
                        )
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


CHECKPOINT_FIELDS = ("last_seq", "last_hash", "events", "before", "newest")


def _checkpoint_payload(details: dict[str, Any]) -> bytes:
    record = {name: details.get(name) for name in CHECKPOINT_FIELDS}
    return json.dumps(record, sort_keys=True, separators=(",", ":")).encode()


def checkpoint_mac(details: dict[str, Any], key_id: str) -> str:
    """The MAC a prune puts on its checkpoint: only a process holding the seal key can write one."""
    return f"{key_id}:{hmac_sm3_hex(key_id, _checkpoint_payload(details))}"


def _checkpoint_problem(event: AuditEvent, seal_key_id: str | None) -> str:
    """Why the prune checkpoint ``event`` is not genuine ("" when it is). ``seal_key_id``: its seal's key id,
    None when it is not sealed yet."""
    name = f"prune checkpoint event {event.pk}"
    details = event.details if isinstance(event.details, dict) else {}
    if "last_seq" not in details or "last_hash" not in details:
        return f"{name} is forged: it does not name the seal the chain continues from"
    mac = str(details.get("mac") or "")
    if mac:
        key_id, _sep, value = mac.partition(":")
        try:
            expected = hmac_sm3_hex(key_id, _checkpoint_payload(details))
        except ImproperlyConfigured:
            return f"{name} cannot be checked: its seal key {key_id!r} is not configured"
        if not std_hmac.compare_digest(expected, value):
            return f"{name} is forged: it was not written by a prune (its MAC does not verify)"
    else:
        # Only checkpoints written before seal keys existed (sealed without a key) may lack the MAC.
        keyed = bool(seal_key_id) if seal_key_id is not None else bool(active_seal_key_id())
        if keyed:
            return f"{name} is forged: it was not written by a prune (it carries no MAC)"
    newest_text = details.get("newest") or details.get("before")
    try:
        newest = datetime.fromisoformat(str(newest_text))
    except ValueError:
        return f"{name} is forged: it does not say how old the events it pruned were"
    if event.occurred_at - newest < timedelta(days=MIN_RETENTION_DAYS):
        return (
            f"{name} is forged: it removed events from {newest:%Y-%m-%d}, younger than the "
            f"{MIN_RETENTION_DAYS} days every event is kept"
        )
    return ""


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    event_id: int | None = None
    unsealed: int = 0
    anchors: int = 0  # anchors compared with the chain


def _when(anchor: Anchor) -> str:
    return f"{timezone.localtime(anchor.at):%Y-%m-%d %H:%M:%S}"


def audit_verify(
    *,
    unsealed_grace: timedelta | None = None,
    batch_size: int = 5000,
    using: str = "default",
    as_of: datetime | None = None,
    anchors: list[Anchor] | None = None,
) -> VerifyResult:
    """Recompute the chain on database ``using`` (an alias checks a restored copy before it goes live).

    ``anchors``: the anchors to compare with (default: the configured anchor store, read before the chain so
    that an anchor written meanwhile never looks like a deleted tail). ``as_of``: the time the database was
    copied (a backup being restored): anchors written after it may be ahead of the chain (those it reaches
    must still match), and the unsealed lag is counted up to it.
    """
    grace = (
        unsealed_grace
        if unsealed_grace is not None
        else timedelta(seconds=settings.AUDIT_UNSEALED_GRACE_SECONDS)
    )
    if anchors is None:
        store = anchor_store()
        try:
            anchors = store.read() if store is not None else []
        except AnchorError as exc:
            return VerifyResult(False, 0, f"the anchor file cannot be read: {exc}")
    # Every anchor is compared with the link it names; only those written by then say where the chain ends.
    ending = anchors if as_of is None else [a for a in anchors if a.at <= as_of]
    anchored: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        anchored.setdefault(anchor.seq, []).append(anchor)
    anchors_checked = 0

    def fail(checked: int, problem: str, event_id: int | None = None) -> VerifyResult:
        return VerifyResult(False, checked, problem, event_id, anchors=anchors_checked)

    seals_qs = AuditSeal.objects.using(using)
    events_qs = AuditEvent.objects.using(using)
    first = seals_qs.order_by("seq").first()
    checked = 0
    head = 0
    if first is not None:
        expected_seq, prev = first.seq, GENESIS
        if first.seq != 1:
            checkpoints = list(events_qs.filter(action="audit.prune", details__last_seq=first.seq - 1))
            if not checkpoints:
                return fail(0, f"the chain starts at seal {first.seq} with no prune checkpoint before it")
            sealed_as = dict(
                seals_qs.filter(event_id__in=[c.pk for c in checkpoints]).values_list("event_id", "key_id")
            )
            for checkpoint in checkpoints:
                problem = _checkpoint_problem(checkpoint, sealed_as.get(checkpoint.pk))
                if problem:
                    return fail(0, problem, checkpoint.pk)
            prev = str(checkpoints[0].details["last_hash"])
            for anchor in anchored.get(first.seq - 1, []):
                anchors_checked += 1
                if anchor.hash != prev:
                    return fail(
                        0,
                        f"the prune checkpoint before seal {first.seq} does not match the anchor of "
                        f"{_when(anchor)} (anchor line {anchor.line}): the pruned chain was rewritten",
                    )
        last_seq = first.seq - 1
        keyed_from: int | None = None
        while True:
            seals = list(seals_qs.filter(seq__gt=last_seq).order_by("seq")[:batch_size])
            if not seals:
                break
            events = events_qs.in_bulk([s.event_id for s in seals])
            for seal in seals:
                if seal.seq != expected_seq:
                    return fail(checked, f"seal {expected_seq} is missing (the chain jumps to {seal.seq})")
                event = events.get(seal.event_id)
                if event is None:
                    return fail(
                        checked, f"event {seal.event_id} (seal {seal.seq}) has been deleted", seal.event_id
                    )
                try:
                    recomputed = link_hash(prev, event, seal.key_id)
                except ImproperlyConfigured as exc:
                    return fail(checked, f"seal {seal.seq} cannot be checked: {exc}", event.pk)
                if seal.prev_hash != prev or recomputed != seal.hash:
                    return fail(checked, f"event {event.pk} (seal {seal.seq}) has been changed", event.pk)
                if seal.key_id:
                    keyed_from = keyed_from or seal.seq
                elif keyed_from is not None:
                    return fail(
                        checked,
                        f"event {event.pk} (seal {seal.seq}) was sealed without the seal key after seal "
                        f"{keyed_from} was keyed: the chain from here was re-sealed by someone without it",
                        event.pk,
                    )
                for anchor in anchored.get(seal.seq, []):
                    anchors_checked += 1
                    if anchor.hash != seal.hash:
                        return fail(
                            checked,
                            f"seal {seal.seq} (event {event.pk}) does not match the anchor of "
                            f"{_when(anchor)} (anchor line {anchor.line}): the chain up to it was rewritten",
                            event.pk,
                        )
                if event.action == "audit.prune":
                    problem = _checkpoint_problem(event, seal.key_id)
                    if problem:
                        return fail(checked, problem, event.pk)
                prev = seal.hash
                expected_seq += 1
                checked += 1
            last_seq = seals[-1].seq
        head = last_seq
    if ending:
        last_anchor = max(ending, key=lambda a: a.seq)
        if last_anchor.seq > head:
            if head == 0:
                return fail(
                    checked,
                    f"the audit log is empty but seal {last_anchor.seq} was anchored at {_when(last_anchor)} "
                    f"(anchor line {last_anchor.line}): it has been truncated",
                )
            return fail(
                checked,
                f"the chain ends at seal {head} but seal {last_anchor.seq} was anchored at "
                f"{_when(last_anchor)} (anchor line {last_anchor.line}): the events after seal {head} "
                "have been deleted",
            )
    now = as_of or timezone.now()
    sealed_ids = seals_qs.values("event_id")
    unsealed = events_qs.exclude(pk__in=sealed_ids)
    stale = unsealed.filter(occurred_at__lt=now - grace).order_by("id").first()
    if stale is not None:
        return VerifyResult(
            False,
            checked,
            f"event {stale.pk} has not been sealed for longer than {grace}",
            stale.pk,
            unsealed.count(),
            anchors_checked,
        )
    return VerifyResult(True, checked, unsealed=unsealed.count(), anchors=anchors_checked)


def _immutable_trigger_sql(enable: bool) -> list[str]:
    tables = ["audit_auditevent", "audit_auditseal"]
    if connection.vendor == "postgresql":
        word = "ENABLE" if enable else "DISABLE"
        return [f"ALTER TABLE {t} {word} TRIGGER {t}_immutable" for t in tables]
    if enable:
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
        newest = max(AuditEvent.objects.filter(pk__in=event_ids).values_list("occurred_at", flat=True))
        deleted, _detail = AuditEvent.objects.filter(pk__in=event_ids).delete()
        AuditSeal.objects.filter(seq__lte=boundary.seq).delete()
        with connection.cursor() as cursor:
            for statement in _immutable_trigger_sql(enable=True):
                cursor.execute(statement)
        details: dict[str, Any] = {
            "last_seq": boundary.seq,
            "last_hash": boundary.hash,
            "events": deleted,
            "before": cutoff.isoformat(),
            "newest": newest.isoformat(),
        }
        key_id = active_seal_key_id()
        if key_id:
            details["mac"] = checkpoint_mac(details, key_id)
        audit_record(actor=None, actor_username="console", action="audit.prune", details=details)
    return deleted
