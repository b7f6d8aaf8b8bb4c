"""The chain resists its database owner: keyed seals, anchors outside the database, genuine prune checkpoints.

Each test plays the owner (triggers disabled, rows deleted or rewritten with plain SQL) and expects
`audit verify` to fail naming what was done.
"""

from __future__ import annotations

import io
import json
import os
import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from talentcloud.audit.anchors import Anchor, FileAnchorStore, audit_anchor
from talentcloud.audit.chain import (
    GENESIS,
    audit_prune,
    audit_seal,
    audit_verify,
    canonical,
    checkpoint_mac,
    link_hash,
)
from talentcloud.audit.models import AuditEvent, AuditSeal
from talentcloud.audit.services import audit_record
from talentcloud.audit.tasks import audit_seal_job
from talentcloud.common.crypto import sm3_hex

from .test_chain import drop_protection, raw, record_events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def anchors(tmp_path: Path, settings: Any) -> FileAnchorStore:
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "anchors" / "talentcloud.anchors")
    (tmp_path / "anchors").mkdir()
    settings.AUDIT_ANCHOR_INTERVAL_SECONDS = 300
    return FileAnchorStore(settings.AUDIT_ANCHOR_PATH)


def verify_fails(match: str) -> str:
    result = audit_verify()
    assert not result.ok
    assert match in result.problem, result.problem
    with pytest.raises(CommandError, match="audit chain broken") as info:
        call_command("audit", "verify")
    assert match in str(info.value)
    return result.problem


def test_new_seals_are_keyed_and_differ_from_plain_sm3():
    events = record_events(2)
    audit_seal()
    seals = list(AuditSeal.objects.order_by("seq"))
    assert [s.key_id for s in seals] == ["a1", "a1"]
    assert seals[0].hash == link_hash(GENESIS, events[0], "a1")
    assert seals[0].hash != link_hash(GENESIS, events[0])


def test_old_unkeyed_seals_still_verify_and_the_chain_continues_keyed(settings):
    settings.AUDIT_SEAL_KEYS = ""
    settings.AUDIT_SEAL_ACTIVE_KEY = ""
    record_events(3)
    audit_seal()
    assert set(AuditSeal.objects.values_list("key_id", flat=True)) == {""}
    settings.AUDIT_SEAL_KEYS = "a1:dGVzdC1hdWRpdC1zZWFsLWtleS0zMi1ieXRlcy1sbmc="
    settings.AUDIT_SEAL_ACTIVE_KEY = "a1"
    record_events(2)
    audit_seal()
    assert list(AuditSeal.objects.order_by("seq").values_list("key_id", flat=True)) == [
        "",
        "",
        "",
        "a1",
        "a1",
    ]
    result = audit_verify()
    assert result.ok, result.problem
    assert result.checked == 5


def test_a_keyed_chain_is_not_continued_without_the_key(settings):
    record_events(1)
    audit_seal()
    settings.AUDIT_SEAL_KEYS = ""
    settings.AUDIT_SEAL_ACTIVE_KEY = ""
    record_events(1)
    with pytest.raises(ImproperlyConfigured, match="TALENTCLOUD_AUDIT_SEAL_KEYS"):
        audit_seal()
    result = audit_verify()
    assert not result.ok
    assert "not configured" in result.problem


def test_rewriting_an_event_and_resealing_with_plain_sm3_is_named(anchors):
    events = record_events(6)
    audit_seal()
    audit_anchor(force=True)
    record_events(3)
    audit_seal()  # seals 7-9 are after the last anchor
    drop_protection()
    target = AuditEvent.objects.get(pk=AuditSeal.objects.get(seq=8).event_id)
    raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["auth.logout", target.pk])
    # The owner recomputes every later link as the unkeyed sealer would.
    prev = AuditSeal.objects.get(seq=7).hash
    for seal in AuditSeal.objects.filter(seq__gte=8).order_by("seq"):
        event = AuditEvent.objects.get(pk=seal.event_id)
        new_hash = sm3_hex(prev.encode() + canonical(event))
        raw(
            "UPDATE audit_auditseal SET prev_hash = %s, hash = %s, key_id = '' WHERE seq = %s",
            [prev, new_hash, seal.seq],
        )
        prev = new_hash
    problem = verify_fails(f"event {target.pk} (seal 8) was sealed without the seal key")
    assert "re-sealed" in problem
    assert events  # the anchored part is untouched


def test_rewriting_the_whole_chain_with_plain_sm3_breaks_the_anchor(anchors):
    record_events(4)
    audit_seal()
    audit_anchor(force=True)
    drop_protection()
    first = AuditEvent.objects.get(pk=AuditSeal.objects.get(seq=1).event_id)
    raw("UPDATE audit_auditevent SET actor_username = %s WHERE id = %s", ["someone.else", first.pk])
    prev = GENESIS
    for seal in AuditSeal.objects.order_by("seq"):
        event = AuditEvent.objects.get(pk=seal.event_id)
        new_hash = sm3_hex(prev.encode() + canonical(event))
        raw(
            "UPDATE audit_auditseal SET prev_hash = %s, hash = %s, key_id = '' WHERE seq = %s",
            [prev, new_hash, seal.seq],
        )
        prev = new_hash
    verify_fails("seal 4 (event")
    verify_fails("does not match the anchor")


def test_deleting_the_tail_before_the_last_anchor_is_named(anchors):
    record_events(5)
    audit_seal()
    audit_anchor(force=True)
    drop_protection()
    tail = list(AuditSeal.objects.filter(seq__gte=4).values_list("event_id", flat=True))
    raw("DELETE FROM audit_auditseal WHERE seq >= %s", [4])
    raw(f"DELETE FROM audit_auditevent WHERE id IN ({','.join(str(i) for i in tail)})", [])  # noqa: S608
    problem = verify_fails("the chain ends at seal 3 but seal 5 was anchored")
    assert "events after seal 3 have been deleted" in problem


def test_truncating_the_audit_tables_is_named(anchors):
    record_events(3)
    audit_seal()
    audit_anchor(force=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE fires no row trigger: only the anchors can tell.
            cursor.execute("TRUNCATE audit_auditevent, audit_auditseal")
        else:
            cursor.execute("DELETE FROM audit_auditseal")
            cursor.execute("DELETE FROM audit_auditevent")
    verify_fails("the audit log is empty but seal 3 was anchored")
    verify_fails("truncated")


def test_a_forged_prune_checkpoint_is_named():
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        record_events(2)
    record_events(3)
    audit_seal()
    drop_protection()
    # The owner deletes the recent events 1-4 and writes a checkpoint as a prune would, without the key.
    boundary = AuditSeal.objects.get(seq=4)
    doomed = list(AuditSeal.objects.filter(seq__lte=4).values_list("event_id", flat=True))
    raw("DELETE FROM audit_auditseal WHERE seq <= %s", [4])
    raw(f"DELETE FROM audit_auditevent WHERE id IN ({','.join(str(i) for i in doomed)})", [])  # noqa: S608
    forged = audit_record(
        actor=None,
        actor_username="console",
        action="audit.prune",
        details={
            "last_seq": 4,
            "last_hash": boundary.hash,
            "events": 4,
            "before": (timezone.now() - timedelta(days=400)).isoformat(),
            "newest": (timezone.now() - timedelta(days=400)).isoformat(),
            "mac": "a1:" + "0" * 64,
        },
    )
    audit_seal()  # the application's sealer seals whatever it finds
    verify_fails(f"prune checkpoint event {forged.pk} is forged: it was not written by a prune")
    # Without a MAC at all it is just as forged.
    raw("DELETE FROM audit_auditseal WHERE event_id = %s", [forged.pk])
    raw(
        "UPDATE audit_auditevent SET details = %s WHERE id = %s",
        [json.dumps({**forged.details, "mac": ""}), forged.pk],
    )
    audit_seal()
    verify_fails(f"prune checkpoint event {forged.pk} is forged")


def test_a_checkpoint_of_events_younger_than_six_months_is_named():
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        record_events(2)
    record_events(1)
    audit_seal()
    drop_protection()
    boundary = AuditSeal.objects.get(seq=2)
    doomed = list(AuditSeal.objects.filter(seq__lte=2).values_list("event_id", flat=True))
    raw("DELETE FROM audit_auditseal WHERE seq <= %s", [2])
    raw(f"DELETE FROM audit_auditevent WHERE id IN ({','.join(str(i) for i in doomed)})", [])  # noqa: S608
    details: dict[str, Any] = {
        "last_seq": 2,
        "last_hash": boundary.hash,
        "events": 2,
        "before": timezone.now().isoformat(),
        "newest": (timezone.now() - timedelta(days=30)).isoformat(),
    }
    details["mac"] = checkpoint_mac(details, "a1")  # even with the key: a prune never goes under 183 days
    checkpoint = audit_record(actor=None, actor_username="console", action="audit.prune", details=details)
    audit_seal()
    verify_fails(f"prune checkpoint event {checkpoint.pk} is forged: it removed events from")


def test_a_real_prune_verifies_with_its_anchors(anchors):
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        record_events(3)
        audit_seal()
        audit_anchor(force=True)  # anchors seal 3, which the prune removes
    record_events(2)
    audit_seal()
    assert audit_prune(older_than_days=365) == 3
    checkpoint = AuditEvent.objects.get(action="audit.prune")
    assert checkpoint.details["mac"].startswith("a1:")
    audit_seal()
    audit_anchor(force=True)
    result = audit_verify()
    assert result.ok, result.problem
    assert result.anchors == 2  # the pruned anchor against the checkpoint, the new one against its seal


def test_the_seal_job_anchors_at_its_interval_into_a_private_append_only_file(anchors):
    record_events(2)
    audit_seal_job()
    lines = anchors.path.read_text().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["seq"] == 2
    assert json.loads(lines[0])["key"] == "a1"
    assert stat.S_IMODE(os.stat(anchors.path).st_mode) == 0o640
    record_events(1)
    audit_seal_job()  # within the interval: sealed, not anchored
    assert len(anchors.path.read_text().splitlines()) == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        audit_seal_job()
    assert [a.seq for a in anchors.read()] == [2, 3]
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "2 anchors match" in out.getvalue()


def test_an_anchor_file_with_a_damaged_line_is_named(anchors):
    record_events(1)
    audit_seal()
    audit_anchor(force=True)
    with anchors.path.open("a") as f:
        f.write("not json\n")
    verify_fails("anchor line 2 is unreadable")


def test_an_anchor_cut_short_by_a_crash_is_skipped(anchors):
    record_events(1)
    audit_seal()
    audit_anchor(force=True)
    with anchors.path.open("a") as f:
        f.write('{"seq": 9')
    assert [a.seq for a in anchors.read()] == [1]
    assert audit_verify().ok


def test_anchors_also_go_to_syslog_when_asked(anchors, settings, monkeypatch):
    sent: list[str] = []
    monkeypatch.setattr("talentcloud.audit.anchors.syslog.syslog", lambda _prio, text: sent.append(text))
    settings.AUDIT_ANCHOR_SYSLOG = True
    record_events(1)
    audit_seal()
    anchor = audit_anchor(force=True)
    assert anchor is not None
    assert sent == [f"audit anchor seq=1 hash={anchor.hash} at={anchor.at.isoformat()}"]


def test_a_restored_copy_is_checked_only_against_anchors_written_before_it(anchors):
    record_events(2)
    audit_seal()
    copied_at = timezone.now()
    later = Anchor(seq=7, hash="f" * 64, at=copied_at + timedelta(minutes=5))
    anchors.append(Anchor(seq=2, hash=AuditSeal.objects.get(seq=2).hash, at=copied_at - timedelta(seconds=1)))
    anchors.append(later)
    assert audit_verify(as_of=copied_at).ok
    assert not audit_verify().ok
    # A later anchor of a link the copy holds must still match it.
    anchors.append(Anchor(seq=1, hash="0" * 64, at=copied_at + timedelta(minutes=6)))
    result = audit_verify(as_of=copied_at)
    assert not result.ok
    assert "seal 1" in result.problem


def test_inside_a_transaction_the_anchor_waits_for_the_commit(anchors):

    record_events(1)
    with transaction.atomic():
        audit_seal_job()
        assert not anchors.path.exists()  # the seal is not committed yet
    assert [a.seq for a in anchors.read()] == [1]


def test_the_command_names_a_missing_seal_key(settings):
    record_events(1)
    audit_seal()
    settings.AUDIT_SEAL_KEYS = ""
    settings.AUDIT_SEAL_ACTIVE_KEY = ""
    record_events(1)
    with pytest.raises(CommandError, match="TALENTCLOUD_AUDIT_SEAL_KEYS is not set"):
        call_command("audit", "seal")
    with pytest.raises(CommandError, match="TALENTCLOUD_AUDIT_SEAL_KEYS is not set"):
        call_command("audit", "prune", "--days", "400")
