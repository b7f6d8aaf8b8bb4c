"""A batch killed midway (kill -9, for real) during the export or during the return import leaves nothing
half-applied, and the rerun finishes it; a payout line never appears in two bank files."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from talentcloud.common.errors import ValidationFailed
from talentcloud.infra.tests.processes import ROOT, child_env
from talentcloud.payouts.batches import batch_draft, batch_move
from talentcloud.payouts.enums import BatchState, EntryKind, LineStatus
from talentcloud.payouts.models import BankFile, Batch, PayoutLine, Posting

from .test_ledger import reconciles
from .world import award, return_text, talent, world

# The child moves the batch and is killed once every effect has written, just before the move's audit event
# and its commit: the moment where a half-applied batch would show if the move were not one transaction.
CHILD = """
import pathlib, time
from talentcloud.workflow import engine
from talentcloud.payouts.batches import batch_move
from talentcloud.payouts.models import Batch
from talentcloud.accounts.models import User
original = engine.audit_record
def slow(**kw):
    pathlib.Path({marker!r}).write_text("written")
    time.sleep(60)
    return original(**kw)
engine.audit_record = slow
actor = User.objects.get(pk={actor})
batch_move(actor=actor, batch=Batch.objects.get(pk={batch}), action={action!r}, **{payload!r})
"""


def killed_midway(tmp_path: Path, batch: Batch, actor: int, action: str, payload: dict[str, str]) -> str:
    marker = tmp_path / f"{action}.marker"
    script = CHILD.format(marker=str(marker), actor=actor, batch=batch.pk, action=action, payload=payload)
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", script],
        env=child_env({}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while not marker.exists() and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.1)
        assert marker.exists(), "the child never reached the point of the kill"
        child.send_signal(signal.SIGKILL)
    finally:
        output = child.communicate(timeout=30)[0].decode(errors="replace")
    assert child.returncode == -signal.SIGKILL, output
    return output


@pytest.mark.django_db(transaction=True)
@pytest.mark.processes
def test_a_batch_killed_during_export_or_return_import_is_finished_by_the_rerun(
    make_user, kfq_firm, tmp_path
):
    w = world(make_user, kfq_firm)
    for _ in range(30):
        award(w, talent(kfq_firm), months=3)
    batch = batch_draft(actor=w.maker, due_by=dt.date(2025, 4, 30))
    for actor, action in ((w.maker, "recheck"), (w.checker, "check"), (w.finance, "approve")):
        batch = batch_move(actor=actor, batch=batch, action=action)

    killed_midway(tmp_path, batch, w.finance.pk, "export", {})
    batch.refresh_from_db()
    assert batch.state == BatchState.APPROVED
    assert not BankFile.objects.exists()
    assert set(PayoutLine.objects.values_list("status", flat=True)) == {LineStatus.BATCHED}
    batch = batch_move(actor=w.finance, batch=batch, action="export")
    keys = [row.split(",", 1)[0] for row in BankFile.objects.get(batch=batch).content.splitlines()[1:]]
    assert len(keys) == len(set(keys)) == 90
    assert set(keys) == set(PayoutLine.objects.values_list("key", flat=True))
    with pytest.raises(ValidationFailed):
        batch_draft(actor=w.maker, due_by=dt.date(2025, 4, 30))  # every line is in a file already

    answer = return_text(batch, failed={keys[0]})
    killed_midway(tmp_path, batch, w.finance.pk, "import_return", {"return_file": answer})
    batch.refresh_from_db()
    assert batch.state == BatchState.EXPORTED
    assert set(PayoutLine.objects.values_list("status", flat=True)) == {LineStatus.EXPORTED}
    assert not Posting.objects.filter(kind=EntryKind.PAY).exists()
    assert BankFile.objects.filter(kind="return").count() == 0
    batch = batch_move(actor=w.finance, batch=batch, action="import_return", return_file=answer)
    assert PayoutLine.objects.filter(status=LineStatus.PAID).count() == 89
    assert PayoutLine.objects.get(key=keys[0]).status == LineStatus.FAILED
    reconciles()
