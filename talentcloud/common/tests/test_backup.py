"""Backup then restore into an empty database: same row counts, verifying audit chain, on both databases."""

from __future__ import annotations

import contextlib
import io
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from talentcloud.audit.models import AuditEvent
from talentcloud.common.backup import BackupError, _table_counts, backup, read_archive, restore
from talentcloud.demo.seed import seed_all

pytestmark = pytest.mark.django_db(transaction=True)


@contextlib.contextmanager
def empty_target(tmp_path: Path):
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        yield {**settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"tc_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**settings_dict, "NAME": name}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_gives_the_same_counts_and_a_verifying_chain(tmp_path):
    seed_all(talents=40, seed=5)
    archive = tmp_path / "backup.tar"
    manifest = backup(archive)
    assert manifest["counts"]["talents_talent"] == 40
    with empty_target(tmp_path) as target:
        report = restore(archive, target=target)
    assert report.rows == sum(manifest["counts"].values())
    assert report.audit_links == manifest["counts"]["audit_auditseal"]
    assert report.audit_links > 0
    # The backup itself is audited; the command line does the same.
    assert AuditEvent.objects.filter(action="backup.create").count() == 1
    out = io.StringIO()
    call_command("backup", str(tmp_path / "cli.tar"), stdout=out)
    assert "backup written" in out.getvalue()


def test_a_corrupted_backup_fails_clearly_and_leaves_the_target_untouched(tmp_path):
    seed_all(talents=10, seed=5)
    archive = tmp_path / "backup.tar"
    backup(archive)
    _manifest, data = read_archive(archive)
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0xFF
    broken = tmp_path / "broken.tar"
    with tarfile.open(broken, "w") as tar:
        for name, payload in (
            ("manifest.json", archive_member(archive, "manifest.json")),
            ("database", bytes(damaged)),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    with empty_target(tmp_path) as target:
        with pytest.raises(BackupError, match="corrupted"):
            restore(broken, target=target)
        if connection.vendor == "sqlite":
            assert not Path(target["NAME"]).exists()
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[:700])
    with pytest.raises(BackupError):
        restore(truncated)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(CommandError, match="restore failed"):
        call_command("restore", str(not_a_backup))
    counts_before = _table_counts()
    assert counts_before["talents_talent"] == 10


def test_postgres_restore_refuses_a_non_empty_target(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL restore")
    seed_all(talents=5, seed=5)
    archive = tmp_path / "backup.tar"
    backup(archive)
    with pytest.raises(BackupError, match="not empty"):
        restore(archive)


def archive_member(archive: Path, name: str) -> bytes:
    with tarfile.open(archive) as tar:
        member = tar.extractfile(name)
        assert member is not None
        return member.read()
