"""Backups that restore, on both databases: encrypted 0600 archives holding the database and the encrypted
uploads, counted inside the dump's own snapshot; restore into a new database that is ready only when every
check passes, and that is gone again when one fails."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import stat
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils.functional import empty

from talentcloud.accounts.models import User
from talentcloud.audit.anchors import Anchor, FileAnchorStore, audit_anchor
from talentcloud.audit.chain import audit_seal
from talentcloud.audit.models import AuditEvent
from talentcloud.demo.seed import seed_all
from talentcloud.infra.backup import (
    PART,
    BackupError,
    _DecryptingReader,
    _EncryptingWriter,
    backup,
    backup_job,
    pg_drop,
    restore,
    restore_verify,
)
from talentcloud.privacy.storage import EncryptedFileSystemStorage, encrypted_storage

from . import processes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def work(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """A folder for archives and targets, the encrypted uploads in their own folder, anchors in a third."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "anchors.jsonl")
    encrypted_storage._wrapped = empty
    (tmp_path / "work").mkdir()
    yield tmp_path / "work"
    encrypted_storage._wrapped = empty


def pg_databases(prefix: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"])
        return [row[0] for row in cursor.fetchall()]


@contextlib.contextmanager
def new_target(work: Path) -> Iterator[tuple[str, Path]]:
    """A database name (PostgreSQL) or file (SQLite) that does not exist yet, and a media folder."""
    media = work / f"restored-media-{uuid.uuid4().hex[:6]}"
    if connection.vendor == "sqlite":
        yield str(work / f"restored-{uuid.uuid4().hex[:6]}.sqlite3"), media
        return
    name = f"tc_restore_{uuid.uuid4().hex[:8]}"
    try:
        yield name, media
    finally:
        pg_drop(name)


def target_exists(database: str) -> bool:
    if connection.vendor == "sqlite":
        return Path(database).exists()
    return database in pg_databases(database)


def store_documents() -> dict[str, bytes]:
    files = {"documents/a.pdf": b"%PDF-1.4 first", "cases/2026/b.png": b"\x89PNG second"}
    return {encrypted_storage.save(name, ContentFile(data)): data for name, data in files.items()}


def test_backup_then_restore_gives_the_same_data_files_and_a_verifying_chain(work):
    seed_all(talents=40, seed=5)
    documents = store_documents()
    audit_seal()
    assert audit_anchor(force=True) is not None
    archive = work / "backup.tcbackup"
    manifest = backup(archive)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert manifest["counts"]["talents_talent"] == 40
    assert manifest["key_id"] == "b1"
    assert set(documents) <= set(manifest["files"])  # with the seed's case materials
    raw = archive.read_bytes()
    assert b"talents_talent" not in raw  # the manifest and the dump are encrypted
    assert b"sm4gcm$" not in raw  # so are the (already encrypted) uploads' envelopes
    with new_target(work) as (database, media):
        report = restore(archive, database=database, media=media)
        assert target_exists(database)
        assert report.rows == sum(manifest["counts"].values())
        assert report.audit_links > 0
        assert report.anchors >= 1
        assert report.files == len(manifest["files"])
        assert report.files_opened
        restored = EncryptedFileSystemStorage(location=media)
        for name, data in documents.items():
            with restored.open(name) as f:
                assert f.read() == data
    # The backup itself is audited; the command line does the same.
    assert AuditEvent.objects.filter(action="backup.create").count() == 1
    out = io.StringIO()
    call_command("backup", str(work / "cli.tcbackup"), stdout=out)
    assert "backup written" in out.getvalue()
    assert f"{len(manifest['files'])} encrypted files" in out.getvalue()


def test_the_drill_restores_into_a_scratch_database_and_drops_it(work):
    seed_all(talents=5, seed=5)
    store_documents()
    archive = work / "backup.tcbackup"
    manifest = backup(archive)
    out = io.StringIO()
    call_command("restore", str(archive), "--verify-only", stdout=out)
    assert "drill passed" in out.getvalue()
    assert f"{len(manifest['files'])} encrypted files open" in out.getvalue()
    if connection.vendor == "postgresql":
        assert pg_databases("talentcloud_drill_") == []
    report = restore_verify(archive)
    assert report.files_opened


def test_a_refused_restore_leaves_nothing_behind(work, settings):
    seed_all(talents=5, seed=5)
    store_documents()
    archive = work / "backup.tcbackup"
    manifest = backup(archive)
    # The anchor store says the chain had another head than the one in the archive: the restored chain fails.
    FileAnchorStore(settings.AUDIT_ANCHOR_PATH).append(
        Anchor(
            seq=manifest["audit_head"]["seq"], hash="e" * 64, at=AuditEvent.objects.earliest("id").occurred_at
        )
    )
    with new_target(work) as (database, media):
        with pytest.raises(BackupError, match="does not match the anchor"):
            restore(archive, database=database, media=media)
        assert not target_exists(database)
        assert not media.exists()
        with pytest.raises(CommandError, match="restore failed"):
            call_command("restore", str(archive), "--database", database, "--media", str(media))
        assert not target_exists(database)
    assert [p.name for p in work.iterdir()] == ["backup.tcbackup"]  # no staging folder left either


def test_a_damaged_truncated_or_foreign_archive_fails_before_anything_is_created(work):
    seed_all(talents=5, seed=5)
    archive = work / "backup.tcbackup"
    backup(archive)
    data = archive.read_bytes()
    cases = {
        "damaged": data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 0xFF]) + data[len(data) // 2 + 1 :],
        "truncated": data[: len(data) - 100],
        "not an encrypted backup": b"hello",
    }
    for problem, content in cases.items():
        broken = work / "broken.tcbackup"
        broken.write_bytes(content)
        with new_target(work) as (database, media):
            with pytest.raises(BackupError, match=problem):
                restore(broken, database=database, media=media)
            assert not target_exists(database)
            assert not media.exists()
    with pytest.raises(CommandError, match="restore failed"):
        call_command("restore", str(broken), "--verify-only")


def test_an_existing_target_is_refused(work):
    archive = work / "backup.tcbackup"
    backup(archive)
    existing = (
        connection.settings_dict["NAME"]
        if connection.vendor == "postgresql"
        else str(connection.settings_dict["NAME"])
    )
    with pytest.raises(BackupError, match="already exists"):
        restore(archive, database=existing, media=work / "media")
    (work / "media").mkdir()
    (work / "media" / "x").write_text("x")
    with new_target(work) as (database, _media), pytest.raises(BackupError, match="not an empty folder"):
        restore(archive, database=database, media=work / "media")
    with pytest.raises(CommandError, match="--verify-only"):
        call_command("restore", str(archive))


def test_archives_kept_inside_the_media_folder_are_not_backed_up_again(work, settings):
    store_documents()
    inside = Path(settings.PRIVATE_MEDIA_ROOT) / "backups"
    inside.mkdir()
    backup(inside / "first.tcbackup")
    manifest = backup(inside / "second.tcbackup")
    assert not [name for name in manifest["files"] if name.startswith("backups/")]
    assert len(manifest["files"]) == 2


def test_a_missing_backup_key_is_a_clear_error(work, settings):
    settings.BACKUP_KEYS = ""
    settings.BACKUP_ACTIVE_KEY = ""
    archive = work / "backup.tcbackup"
    with pytest.raises(BackupError, match="no backup key: set TALENTCLOUD_BACKUP_KEYS"):
        backup(archive)
    with pytest.raises(CommandError, match="no backup key"):
        call_command("backup", str(archive))
    assert list(work.iterdir()) == []
    # A personal-data key is not a backup key.
    settings.BACKUP_KEYS = "b1:" + settings.PRIVACY_KEYS.split(",")[0].split(":")[1]
    settings.BACKUP_ACTIVE_KEY = "b1"
    with pytest.raises(BackupError, match="also a personal-data key"):
        backup(archive)


def test_restore_needs_the_archives_key_and_only_it(work, settings):
    archive = work / "backup.tcbackup"
    backup(archive)
    settings.BACKUP_KEYS = "b2:dGVzdC1iYWNrdXAtay0xNw=="
    settings.BACKUP_ACTIVE_KEY = "b2"
    with pytest.raises(BackupError, match="backup key 'b1', which is not configured"):
        restore_verify(archive)
    settings.BACKUP_KEYS = "b1:dGVzdC1iYWNrdXAtay0xNw=="  # the same id, another key
    with pytest.raises(BackupError, match="does not decrypt with backup key 'b1'"):
        restore_verify(archive)
    settings.BACKUP_KEYS = "b2:dGVzdC1iYWNrdXAtay0xNw==,b1:dGVzdC1iYWNrdXAtay0xNg=="
    assert restore_verify(archive).tables > 0


def test_the_backup_job_keeps_the_newest_archives(work, settings, caplog):
    settings.BACKUP_DIR = ""
    with caplog.at_level(logging.INFO, logger="talentcloud.infra.backup"):
        backup_job()
    assert "nothing backed up" in caplog.text
    settings.BACKUP_DIR = str(work / "nightly")
    settings.BACKUP_KEEP = 2
    for _ in range(3):
        backup_job()
    archives = sorted((work / "nightly").iterdir())
    assert len(archives) == 2
    assert all(stat.S_IMODE(a.stat().st_mode) == 0o600 for a in archives)
    assert stat.S_IMODE((work / "nightly").stat().st_mode) == 0o700
    assert restore_verify(archives[-1]).tables > 0


WRITER = """
import os, pathlib
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from talentcloud.audit.services import audit_record
from talentcloud.audit.tasks import audit_seal_job
from talentcloud.common.models import BackgroundJob
stop = pathlib.Path(os.environ["WRITER_STOP"])
owner = int(os.environ["WRITER_OWNER"])
n = 0
while not stop.exists():
    with transaction.atomic():
        session = SessionStore()
        session["n"] = n
        session.create()
        audit_record(actor=None, actor_username="writer", action="test.write", details={"n": n})
        BackgroundJob.objects.create(kind="test", owner_id=owner)
    audit_seal_job()
    n += 1
    print(f"wrote {n}", flush=True)
"""


def wait_for_writes(writer: subprocess.Popen[bytes], count: int) -> None:
    assert writer.stdout is not None
    seen, lines = 0, list[str]()
    while seen < count:
        line = writer.stdout.readline().decode()
        assert line, "the writer stopped: " + "".join(lines)
        lines.append(line)
        seen += line.startswith("wrote ")


def test_a_backup_taken_while_a_process_keeps_writing_restores(work, settings, make_user):
    owner: User = make_user()
    documents = store_documents()
    stop = work / "stop"
    env = processes.child_env({})
    env.update(
        WRITER_STOP=str(stop),
        WRITER_OWNER=str(owner.pk),
        TALENTCLOUD_AUDIT_ANCHOR_PATH=settings.AUDIT_ANCHOR_PATH,
        TALENTCLOUD_AUDIT_ANCHOR_INTERVAL_SECONDS="0",  # the writer anchors after every seal
    )
    writer = subprocess.Popen(
        [processes.sys.executable, str(processes.ROOT / "manage.py"), "shell", "-c", WRITER],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert writer.stdout is not None
        wait_for_writes(writer, 5)  # the writer is writing
        archive = work / "live.tcbackup"
        manifest = backup(archive)
        wait_for_writes(writer, 5)  # and kept writing after the snapshot
    finally:
        stop.touch()  # the writer finishes its round and exits
        try:
            output = writer.communicate(timeout=120)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            output = processes.stop(writer)
    assert writer.returncode == 0, output
    assert AuditEvent.objects.count() > manifest["counts"]["audit_auditevent"]
    with new_target(work) as (database, media):
        report = restore(archive, database=database, media=media)
        assert report.rows == sum(manifest["counts"].values())
        assert report.anchors >= 1
        assert report.files_opened
        for name, data in documents.items():
            with EncryptedFileSystemStorage(location=media).open(name) as f:
                assert f.read() == data


def encrypted(data: bytes) -> bytes:
    out = io.BytesIO()
    writer = _EncryptingWriter(out, "b1", b"test-backup-k-16")
    for start in range(0, len(data), 70_000):  # written in pieces, as tarfile does
        writer.write(data[start : start + 70_000])
    writer.finish()
    return out.getvalue()


def test_the_stream_is_encrypted_in_parts_that_cannot_be_cut_or_reordered():
    data = os.urandom(PART * 2 + 12345)
    sealed = encrypted(data)
    reader = _DecryptingReader(io.BytesIO(sealed))
    pieces = []
    while piece := reader.read(10240):
        pieces.append(piece)
    assert b"".join(pieces) == data
    assert reader.done
    # The parts as they lie in the file: header, then (flag, length, body) three times.
    header_end = len(sealed) - sum(5 + n + 16 for n in (PART, PART, 12345))
    first = sealed[header_end : header_end + 5 + PART + 16]
    second = sealed[header_end + len(first) : header_end + 2 * len(first)]
    swapped = sealed[:header_end] + second + first + sealed[header_end + 2 * len(first) :]
    with pytest.raises(BackupError, match="damaged"):
        _DecryptingReader(io.BytesIO(swapped)).read()
    cut_at_a_part = sealed[: header_end + 2 * len(first)]  # the last part missing: still "truncated"
    with pytest.raises(BackupError, match="truncated"):
        _DecryptingReader(io.BytesIO(cut_at_a_part)).read()
    with pytest.raises(BackupError, match="data follows"):
        _DecryptingReader(io.BytesIO(sealed + b"x")).read()
