"""Backup and restore for both databases (security.md, Reliability; docs/operations.md, Backup and restore).

An archive is a tar stream, encrypted as it is written (SM4-GCM in 1 MiB parts, each bound to its index and to
whether it is the last, so a cut or reordered file fails; the header names the backup key's id), written 0600.
Inside: ``database`` (an SQLite copy made with the online backup API, or a ``pg_dump -Fc`` dump),
``private/…`` (the encrypted uploads of ``PRIVATE_MEDIA_ROOT``, as stored) and last ``manifest.json``: the
vendor, the snapshot's time, every table's row count and the audit chain's head, all read from the very
snapshot that was dumped (PostgreSQL: a REPEATABLE READ transaction exports its snapshot, counts inside it and
``pg_dump --snapshot`` dumps it; SQLite: counted from the copy), and the SM3 digest and size of every member.

Restore goes into a NEW database (or SQLite file) and a new media folder that the operator names: it decrypts
and checks every digest in a staging folder first, creates the database, restores, and reports it ready only
when the row counts and the audit head match the manifest, the audit chain and its anchors verify, and every
encrypted file opens. A refused restore drops what it created. ``restore_verify`` is the drill: a scratch
database, every check, then dropped.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.utils import load_backend
from django.utils import timezone
from psycopg import sql

from talentcloud.audit.chain import audit_seal, audit_verify
from talentcloud.audit.models import AuditSeal
from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import DecryptionError
from talentcloud.common.keys import keyring, parse_keys
from talentcloud.privacy.storage import EncryptedFileSystemStorage

logger = logging.getLogger(__name__)

FORMAT = 2
MAGIC = b"TALENTCLOUD-BACKUP-2\n"
PART = 1 << 20  # plaintext bytes per encrypted part
TAG = 16
RESTORE_ALIAS = "restore_check"
ARCHIVE_PATTERN = "talentcloud-*.tcbackup"
PG_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
KEY_ID = re.compile(r"^[A-Za-z0-9]{1,16}$")


class BackupError(Exception):
    pass


# --- Backup keys --------------------------------------------------------------------------------------------


def _backup_keys() -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for part in filter(None, (p.strip() for p in settings.BACKUP_KEYS.split(","))):
        key_id, _sep, encoded = part.partition(":")
        if not KEY_ID.match(key_id):
            raise BackupError(
                f"bad backup key id {key_id!r} in TALENTCLOUD_BACKUP_KEYS: 1-16 letters or digits"
            )
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise BackupError(f"backup key {key_id!r} is not base64 (TALENTCLOUD_BACKUP_KEYS)") from exc
        if len(raw) != 16:
            raise BackupError(f"backup key {key_id!r} must be 16 bytes (SM4), got {len(raw)}")
        keys[key_id] = raw
    return keys


def active_backup_key() -> tuple[str, bytes]:
    """The key new archives are encrypted with; a clear error when none is configured."""
    keys = _backup_keys()
    active = settings.BACKUP_ACTIVE_KEY
    if not keys or not active:
        raise BackupError(
            "no backup key: set TALENTCLOUD_BACKUP_KEYS (b1:BASE64, 16 bytes) and "
            "TALENTCLOUD_BACKUP_ACTIVE_KEY (docs/operations.md, Backup and restore)"
        )
    if active not in keys:
        raise BackupError(f"TALENTCLOUD_BACKUP_ACTIVE_KEY {active!r} is not among TALENTCLOUD_BACKUP_KEYS")

    with contextlib.suppress(ImproperlyConfigured, ValueError, binascii.Error):
        if keys[active] in parse_keys(settings.PRIVACY_KEYS).values():
            raise BackupError(
                f"backup key {active!r} is also a personal-data key: give backups a key of their own"
            )
    return active, keys[active]


def backup_key(key_id: str) -> bytes:
    try:
        return _backup_keys()[key_id]
    except KeyError:
        raise BackupError(
            f"the archive is encrypted with backup key {key_id!r}, which is not configured "
            "(TALENTCLOUD_BACKUP_KEYS)"
        ) from None


# --- The encrypted stream -----------------------------------------------------------------------------------


def _part_aad(header: bytes, index: int, last: bool) -> bytes:
    return MAGIC + header + struct.pack(">QB", index, last)


class _EncryptingWriter:
    """A write-only file object: buffers one part, encrypts it, writes it; ``finish`` writes the last part."""

    def __init__(self, out: BinaryIO, key_id: str, key: bytes):
        self.out, self.key = out, key
        self.prefix = os.urandom(8)
        self.header = json.dumps(
            {"key_id": key_id, "nonce": base64.b64encode(self.prefix).decode(), "part": PART}, sort_keys=True
        ).encode()
        out.write(MAGIC + struct.pack(">H", len(self.header)) + self.header)
        self.buffer = bytearray()
        self.index = 0

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) >= PART:
            self._emit(bytes(self.buffer[:PART]), last=False)
            del self.buffer[:PART]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        nonce = self.prefix + struct.pack(">I", self.index)
        encryptor = Cipher(algorithms.SM4(self.key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(_part_aad(self.header, self.index, last))
        body = encryptor.update(plain) + encryptor.finalize() + encryptor.tag
        self.out.write(struct.pack(">BI", last, len(body)) + body)
        self.index += 1

    def finish(self) -> None:
        self._emit(bytes(self.buffer), last=True)
        self.buffer = bytearray()


class _DecryptingReader:
    """A read-only file object over an archive: each part is authenticated before a byte of it is returned."""

    def __init__(self, source: BinaryIO):
        self.source = source
        if source.read(len(MAGIC)) != MAGIC:
            raise BackupError("not an encrypted backup archive of this platform")
        try:
            (length,) = struct.unpack(">H", source.read(2))
            self.header = source.read(length)
            info = json.loads(self.header)
            self.key_id = str(info["key_id"])
            self.prefix = base64.b64decode(info["nonce"])
        except (struct.error, ValueError, KeyError, TypeError) as exc:
            raise BackupError("the archive's header is damaged") from exc
        self.key = backup_key(self.key_id)
        self.buffer = b""
        self.offset = 0  # bytes of ``buffer`` already returned (no copying of the rest on each read)
        self.index = 0
        self.done = False

    def _next(self) -> None:
        head = self.source.read(5)
        if len(head) < 5:
            raise BackupError("the archive is truncated: it ends before its last part")
        last, length = struct.unpack(">BI", head)
        if length < TAG or length > PART + TAG or last not in (0, 1):
            raise BackupError(f"the archive is damaged (part {self.index})")
        body = self.source.read(length)
        if len(body) < length:
            raise BackupError("the archive is truncated: it ends before its last part")
        nonce = self.prefix + struct.pack(">I", self.index)
        decryptor = Cipher(algorithms.SM4(self.key), modes.GCM(nonce, body[-TAG:])).decryptor()
        decryptor.authenticate_additional_data(_part_aad(self.header, self.index, bool(last)))
        try:
            plain = decryptor.update(body[:-TAG]) + decryptor.finalize()
        except InvalidTag as exc:
            if self.index == 0:
                raise BackupError(
                    f"the archive does not decrypt with backup key {self.key_id!r}: a different key with the "
                    "same id, or the file is damaged"
                ) from exc
            raise BackupError(f"the archive is damaged: part {self.index} fails its authentication") from exc
        self.buffer = self.buffer[self.offset :] + plain if self.offset < len(self.buffer) else plain
        self.offset = 0
        self.index += 1
        if last:
            self.done = True
            if self.source.read(1):
                raise BackupError("the archive is damaged: data follows its last part")

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.buffer) - self.offset < size):
            self._next()
        end = len(self.buffer) if size < 0 else min(len(self.buffer), self.offset + size)
        data = self.buffer[self.offset : end]
        self.offset = end
        return data


class _Digesting:
    """Reads a file, computing its SM3 digest as it goes (so a member is read once)."""

    def __init__(self, f: BinaryIO):
        self.f = f
        self.digest = hashes.Hash(hashes.SM3())
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.f.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def result(self) -> dict[str, Any]:
        return {"sm3": self.digest.finalize().hex(), "size": self.size}


# --- Backup ----------------------------------------------------------------------------------------------


@dataclass
class Snapshot:
    vendor: str
    taken_at: datetime  # no later than the snapshot: anything anchored before it is in it
    counts: dict[str, int]
    audit_head: dict[str, Any]


def _pg_conninfo(settings_dict: dict[str, Any], dbname: str | None = None) -> dict[str, Any]:
    info: dict[str, Any] = {
        "dbname": dbname or settings_dict["NAME"],
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": str(settings_dict.get("PORT") or 5432),
    }
    if settings_dict.get("USER"):
        info["user"] = settings_dict["USER"]
    if settings_dict.get("PASSWORD"):
        info["password"] = settings_dict["PASSWORD"]
    return info


def _pg_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["-h", settings_dict.get("HOST") or "127.0.0.1", "-p", str(settings_dict.get("PORT") or 5432)]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client)")
    return path


PG_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
PG_HEAD = "SELECT seq, hash FROM audit_auditseal ORDER BY seq DESC LIMIT 1"


def _pg_counts(cursor: Any) -> dict[str, int]:
    cursor.execute(PG_TABLES)
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def _head_of(row: Any) -> dict[str, Any]:
    return {"seq": row[0], "hash": row[1]} if row else {"seq": 0, "hash": ""}


def _dump_postgres(target: Path) -> Snapshot:
    """pg_dump of the snapshot a REPEATABLE READ transaction exported; counted inside that transaction."""
    settings_dict = connection.settings_dict
    taken_at = timezone.now()
    with psycopg.connect(**_pg_conninfo(settings_dict)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            snapshot_id = cursor.execute("SELECT pg_export_snapshot()").fetchall()[0][0]
            counts = _pg_counts(cursor)
            cursor.execute(PG_HEAD)
            head = _head_of(cursor.fetchone())
            args, env = _pg_args(settings_dict)
            result = subprocess.run(  # noqa: S603
                [
                    _tool("pg_dump"),
                    "-Fc",
                    "--no-owner",
                    f"--snapshot={snapshot_id}",
                    *args,
                    "-f",
                    str(target),
                    settings_dict["NAME"],
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        conn.rollback()
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    return Snapshot("postgresql", taken_at, counts, head)


def _sqlite_counts(path: Path) -> tuple[dict[str, int], dict[str, Any]]:
    db = sqlite3.connect(str(path))
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
        head = _head_of(db.execute(PG_HEAD).fetchone()) if "audit_auditseal" in tables else _head_of(None)
        return counts, head
    finally:
        db.close()


def _dump_sqlite(target: Path) -> Snapshot:
    taken_at = timezone.now()
    source = sqlite3.connect(str(connection.settings_dict["NAME"]))
    copy = sqlite3.connect(str(target))
    try:
        with copy:
            source.backup(copy)
    finally:
        source.close()
        copy.close()
    counts, head = _sqlite_counts(target)  # from the copy: exactly what the archive holds
    return Snapshot("sqlite", taken_at, counts, head)


def _private_files(archive_folder: Path) -> Iterator[tuple[str, Path]]:
    """The uploads under PRIVATE_MEDIA_ROOT, leaving out the archives' own folder should it lie inside."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    if not root.is_dir():
        return
    archives = archive_folder.resolve()
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.resolve().is_relative_to(archives):
            yield path.relative_to(root).as_posix(), path


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        info = tarfile.TarInfo(name)
        info.size = os.fstat(f.fileno()).st_size
        info.mode = 0o600
        info.mtime = int(timezone.now().timestamp())
        reader = _Digesting(f)
        tar.addfile(info, reader)
    return reader.result()


def backup(path: Path) -> dict[str, Any]:
    """Write an encrypted backup archive of the database and the encrypted uploads; returns the manifest."""
    key_id, key = active_backup_key()  # a missing key fails before anything is written
    path = Path(path)
    audit_record(actor=None, actor_username="console", action="backup.create", details={"file": path.name})
    try:
        audit_seal()
    except ImproperlyConfigured as exc:
        raise BackupError(str(exc)) from exc
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"no backup method for {vendor}")
    partial = path.with_name(path.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(prefix="talentcloud-backup-") as tmp:  # 0700
            dump = Path(tmp) / "database"
            snapshot = _dump_postgres(dump) if vendor == "postgresql" else _dump_sqlite(dump)
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as out:
                writer = _EncryptingWriter(out, key_id, key)
                with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
                    database = _add_file(tar, "database", dump)
                    uploads = _private_files(path.parent)
                    files = {rel: _add_file(tar, f"private/{rel}", p) for rel, p in uploads}
                    manifest = {
                        "format": FORMAT,
                        "vendor": vendor,
                        "created_at": snapshot.taken_at.isoformat(),
                        "key_id": key_id,
                        "counts": snapshot.counts,
                        "audit_head": snapshot.audit_head,
                        "database": database,
                        "files": files,
                    }
                    data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                    info = tarfile.TarInfo("manifest.json")
                    info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
                    tar.addfile(info, io.BytesIO(data))
                writer.finish()
                out.flush()
                os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def backup_job() -> None:
    """Periodic (``backup``): a new archive in ``TALENTCLOUD_BACKUP_DIR``, keeping the newest
    ``TALENTCLOUD_BACKUP_KEEP``. Without a folder (the demo) it only says so in the log."""
    if not settings.BACKUP_DIR:
        logger.info("backup: no folder configured (TALENTCLOUD_BACKUP_DIR), nothing backed up")
        return
    folder = Path(settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"talentcloud-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.tcbackup"
    manifest = backup(folder / name)
    archives = sorted(folder.glob(ARCHIVE_PATTERN))
    removed = archives[: max(0, len(archives) - max(1, settings.BACKUP_KEEP))]
    for old in removed:
        old.unlink()
    logger.info(
        "backup: %s written (%d tables, %d files); %d older archives removed",
        name,
        len(manifest["counts"]),
        len(manifest["files"]),
        len(removed),
    )


# --- Restore ---------------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    database: str
    media: str
    tables: int
    rows: int
    audit_links: int
    anchors: int
    files: int
    files_opened: bool
    created_at: str


def _member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"the archive holds a member with an unsafe name: {name!r}")
    if name in ("database", "manifest.json") or (path.parts[0] == "private" and len(path.parts) > 1):
        return path
    raise BackupError(f"the archive holds an unexpected member: {name!r}")


def _unpack(archive: Path, work: Path) -> dict[str, Any]:
    """Decrypt and unpack ``archive`` into ``work`` and check every member against the manifest."""
    digests: dict[str, dict[str, Any]] = {}
    manifest_bytes = b""
    try:
        with archive.open("rb") as source:
            reader = _DecryptingReader(source)
            with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
                for member in tar:
                    path = _member_path(member.name)
                    if not member.isfile():
                        raise BackupError(f"the archive member {member.name!r} is not a plain file")
                    extracted = tar.extractfile(member)
                    if extracted is None:
                        raise BackupError(f"the archive member {member.name!r} cannot be read")
                    if member.name == "manifest.json":
                        manifest_bytes = extracted.read()
                        continue
                    target = work.joinpath(*path.parts)
                    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                    reading = _Digesting(extracted)
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "wb") as out:
                        shutil.copyfileobj(reading, out, 1 << 20)
                    digests[member.name] = reading.result()
            reader.read()  # the tar's end padding, up to the last part (a cut archive fails here)
    except OSError as exc:
        raise BackupError(f"{archive} cannot be read: {exc}") from exc
    except (tarfile.TarError, EOFError) as exc:
        raise BackupError(f"the archive's contents are damaged: {exc}") from exc
    if not manifest_bytes:
        raise BackupError("the archive has no manifest")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise BackupError("the archive's manifest is unreadable") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    expected = {"database": manifest["database"]} | {
        f"private/{rel}": digest for rel, digest in manifest["files"].items()
    }
    if set(expected) != set(digests):
        missing = sorted(set(expected) - set(digests))[:5]
        extra = sorted(set(digests) - set(expected))[:5]
        raise BackupError(
            f"the archive's members differ from its manifest (missing {missing}, extra {extra})"
        )
    for name, digest in expected.items():
        if digests[name] != digest:
            raise BackupError(f"{name} inside the archive does not match its digest: the file is corrupted")
    return manifest


def _with_alias(settings_dict: dict[str, Any]) -> str:
    """A connection to the database being restored, under its own alias, for the ORM checks.

    It is registered on the connection handler only (not in settings.DATABASES): a connection made for one
    job, closed and forgotten when the job ends.
    """
    full = {
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "OPTIONS": {},
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
        **settings_dict,
    }
    connections[RESTORE_ALIAS] = load_backend(full["ENGINE"]).DatabaseWrapper(full, RESTORE_ALIAS)
    return RESTORE_ALIAS


def _drop_alias() -> None:
    with contextlib.suppress(AttributeError, KeyError):
        connections[RESTORE_ALIAS].close()
        del connections[RESTORE_ALIAS]


def _files_open(private: Path) -> bool:
    """Open (decrypt and authenticate) every restored upload; False when no personal-data keys are here."""

    try:
        keyring()
    except ImproperlyConfigured:
        return False
    storage = EncryptedFileSystemStorage(location=private)
    for path in sorted(p for p in private.rglob("*") if p.is_file()):
        name = path.relative_to(private).as_posix()
        try:
            with storage.open(name) as f:
                f.read()
        except (DecryptionError, ImproperlyConfigured, UnicodeDecodeError) as exc:
            raise BackupError(f"the restored file {name} does not open: {exc}") from exc
    return True


def _check(manifest: dict[str, Any], alias: str, counts: dict[str, int], private: Path) -> RestoreReport:
    expected = manifest["counts"]
    differing = {
        t: (expected.get(t), counts.get(t))
        for t in set(expected) | set(counts)
        if expected.get(t) != counts.get(t)
    }
    if differing:
        raise BackupError(f"row counts differ from the backup's manifest: {sorted(differing.items())[:5]}")
    head = AuditSeal.objects.using(alias).order_by("-seq").values_list("seq", "hash").first()
    if _head_of(head) != manifest["audit_head"]:
        raise BackupError(
            f"the restored audit chain ends at {_head_of(head)}, the backup's at {manifest['audit_head']}"
        )
    result = audit_verify(using=alias, as_of=datetime.fromisoformat(manifest["created_at"]))
    if not result.ok:
        raise BackupError(f"the restored audit chain does not verify: {result.problem}")
    opened = _files_open(private)
    return RestoreReport(
        database="",
        media="",
        tables=len(counts),
        rows=sum(counts.values()),
        audit_links=result.checked,
        anchors=result.anchors,
        files=len(manifest["files"]),
        files_opened=opened,
        created_at=manifest["created_at"],
    )


def _pg_admin(sql_statement: sql.Composed) -> None:
    with psycopg.connect(**_pg_conninfo(connection.settings_dict), autocommit=True) as conn:
        conn.execute(sql_statement)


def _pg_exists(name: str) -> bool:
    with psycopg.connect(**_pg_conninfo(connection.settings_dict), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def pg_drop(name: str) -> None:
    _pg_admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _sqlite_drop(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _check_targets(vendor: str, database: str, media: Path) -> None:
    if vendor == "postgresql":
        if not PG_NAME.match(database):
            raise BackupError(f"{database!r} is not a database name (lower-case letters, digits, _)")
        if _pg_exists(database):
            raise BackupError(f"the database {database} already exists: restore into a new database")
    elif Path(database).exists():
        raise BackupError(f"{database} already exists: restore into a new SQLite file")
    if media.exists() and (not media.is_dir() or any(media.iterdir())):
        raise BackupError(f"{media} already exists and is not an empty folder: name a new media folder")


def restore(path: Path, *, database: str, media: Path) -> RestoreReport:
    """Restore archive ``path`` into the new database ``database`` (a PostgreSQL database name on the
    configured server, or an SQLite file path) and the new folder ``media``. Ready only when every check
    passes; a refused restore removes the database and folder it created."""
    vendor = connection.vendor
    media = Path(media).absolute()
    _check_targets(vendor, database, media)
    media.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".talentcloud-restore-", dir=media.parent))
    created = False
    try:
        manifest = _unpack(Path(path), work)
        if manifest["vendor"] != vendor:
            raise BackupError(f"this is a {manifest['vendor']} backup; the configured database is {vendor}")
        private = work / "private"
        private.mkdir(exist_ok=True, mode=0o700)
        settings_dict = dict(connection.settings_dict)
        if vendor == "sqlite":
            target = Path(database)
            created = True
            _restore_sqlite(work / "database", target)
            counts = _sqlite_counts(target)[0]
            settings_dict["NAME"] = str(target)
        else:
            _pg_admin(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(database)))
            created = True
            _restore_postgres(work / "database", database)
            with psycopg.connect(**_pg_conninfo(settings_dict, database)) as conn, conn.cursor() as cursor:
                counts = _pg_counts(cursor)
            settings_dict["NAME"] = database
        alias = _with_alias(settings_dict)
        try:
            report = _check(manifest, alias, counts, private)
        finally:
            _drop_alias()
        if media.exists():
            media.rmdir()
        os.rename(private, media)
    except BaseException:
        if created:
            if vendor == "sqlite":
                _sqlite_drop(Path(database))
            else:
                pg_drop(database)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.database, report.media = database, str(media)
    return report


def restore_verify(path: Path) -> RestoreReport:
    """The drill: restore into a scratch database and folder, check everything, drop both, report."""
    with tempfile.TemporaryDirectory(prefix="talentcloud-drill-") as tmp:
        if connection.vendor == "postgresql":
            database = f"talentcloud_drill_{uuid.uuid4().hex[:12]}"
        else:
            database = str(Path(tmp) / "drill.sqlite3")
        report = restore(path, database=database, media=Path(tmp) / "private")
        if connection.vendor == "postgresql":
            pg_drop(database)
    return report


def _restore_sqlite(copy: Path, target: Path) -> None:
    db = sqlite3.connect(str(copy))
    try:
        status = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the database inside the backup is damaged: {exc}") from exc
    finally:
        db.close()
    if status != "ok":
        raise BackupError(f"the database inside the backup fails its integrity check: {status}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, copy.open("rb") as source:
        shutil.copyfileobj(source, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())


def _restore_postgres(dump: Path, database: str) -> None:
    args, env = _pg_args(connection.settings_dict)
    result = subprocess.run(  # noqa: S603
        [
            _tool("pg_restore"),
            "--single-transaction",
            "--no-owner",
            "--exit-on-error",
            *args,
            "-d",
            database,
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed and restored nothing: {result.stderr.strip()[:500]}")
