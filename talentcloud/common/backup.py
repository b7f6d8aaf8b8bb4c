"""Backup and restore for both databases (security.md, Reliability).

A backup file is a tar archive holding ``manifest.json`` (database vendor, time, row count of every table,
SM3 digest of the payload) and the payload: an SQLite copy made with the online backup API, or a
``pg_dump -Fc`` custom-format dump. Restore checks the archive and the digest before touching anything
(a corrupted file fails clearly and leaves the target as it was), restores, then compares every table's
row count with the manifest and verifies the audit chain.

- SQLite: the copy is checked in a temporary file (integrity, counts, audit chain) and only then copied
  over the live database with the online backup API.
- PostgreSQL: ``pg_restore --single-transaction`` into an empty database (all or nothing), then the checks.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, connections
from django.db.utils import load_backend
from django.utils import timezone

from talentcloud.audit.chain import audit_seal, audit_verify
from talentcloud.audit.services import audit_record
from talentcloud.privacy.crypto import sm3_hex

FORMAT = 1
RESTORE_ALIAS = "restore_check"


class BackupError(Exception):
    pass


@dataclass
class RestoreReport:
    tables: int
    rows: int
    audit_links: int


def _table_counts(alias: str = "default") -> dict[str, int]:
    conn = connections[alias]
    counts = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608 (introspected names)
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
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


def backup(path: Path) -> dict[str, Any]:
    """Write a backup archive of the default database to ``path``; returns the manifest."""
    audit_seal()
    audit_record(
        actor=None, actor_username="console", action="backup.create", details={"file": Path(path).name}
    )
    audit_seal()
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as tmp:
        payload = Path(tmp) / "payload"
        if vendor == "sqlite":
            source = sqlite3.connect(str(connection.settings_dict["NAME"]))
            target = sqlite3.connect(str(payload))
            with target:
                source.backup(target)
            source.close()
            target.close()
            counts = _counts_sqlite_file(payload)
        elif vendor == "postgresql":
            args, env = _pg_env(connection.settings_dict)
            subprocess.run(  # noqa: S603
                [
                    _tool("pg_dump"),
                    "-Fc",
                    "--no-owner",
                    *args,
                    "-f",
                    str(payload),
                    connection.settings_dict["NAME"],
                ],
                check=True,
                env=env,
                capture_output=True,
            )
            counts = _table_counts()
        else:
            raise BackupError(f"no backup method for {vendor}")
        data = payload.read_bytes()
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(),
            "counts": counts,
            "sm3": sm3_hex(data),
        }
        tmp_archive = Path(f"{path}.partial")
        with tarfile.open(tmp_archive, "w") as archive:
            _add(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
            _add(archive, "database", data)
        os.replace(tmp_archive, path)
    return manifest


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _counts_sqlite_file(path: Path) -> dict[str, int]:
    db = sqlite3.connect(str(path))
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608
    finally:
        db.close()


def read_archive(path: Path) -> tuple[dict[str, Any], bytes]:
    try:
        with tarfile.open(path, "r") as archive:
            manifest_file = archive.extractfile("manifest.json")
            payload_file = archive.extractfile("database")
            if manifest_file is None or payload_file is None:
                raise BackupError("the backup archive lacks its manifest or database")
            manifest = json.loads(manifest_file.read())
            data = payload_file.read()
    except (tarfile.TarError, KeyError, json.JSONDecodeError, OSError, EOFError) as exc:
        raise BackupError(f"{path} is not a readable backup archive: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    if sm3_hex(data) != manifest.get("sm3"):
        raise BackupError("the database inside the backup does not match its digest: the file is corrupted")
    return manifest, data


def _check(manifest: dict[str, Any], counts: dict[str, int], alias: str) -> RestoreReport:
    expected = manifest["counts"]
    differing = {
        t: (expected.get(t), counts.get(t))
        for t in set(expected) | set(counts)
        if expected.get(t) != counts.get(t)
    }
    if differing:
        raise BackupError(f"row counts differ from the backup's manifest: {sorted(differing.items())[:5]}")
    result = audit_verify(using=alias)
    if not result.ok:
        raise BackupError(f"the restored audit chain does not verify: {result.problem}")
    return RestoreReport(tables=len(counts), rows=sum(counts.values()), audit_links=result.checked)


def restore(path: Path, *, target: dict[str, Any] | None = None) -> RestoreReport:
    """Restore ``path`` into ``target`` (database settings; default: the configured database)."""
    manifest, data = read_archive(path)
    target = dict(target or connection.settings_dict)
    vendor = "sqlite" if target["ENGINE"].endswith("sqlite3") else "postgresql"
    if manifest["vendor"] != vendor:
        raise BackupError(f"this is a {manifest['vendor']} backup; the target database is {vendor}")
    if vendor == "sqlite":
        return _restore_sqlite(manifest, data, Path(target["NAME"]), target)
    return _restore_postgres(manifest, data, target)


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


def _restore_sqlite(
    manifest: dict[str, Any], data: bytes, target_path: Path, target: dict[str, Any]
) -> RestoreReport:
    target_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target_path.parent) as tmp:
        staged = Path(tmp) / "restore.sqlite3"
        staged.write_bytes(data)
        db = sqlite3.connect(str(staged))
        try:
            status = db.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"the database inside the backup is damaged: {exc}") from exc
        finally:
            db.close()
        if status != "ok":
            raise BackupError(f"the database inside the backup fails its integrity check: {status}")
        alias = _with_alias({**target, "NAME": str(staged)})
        try:
            report = _check(manifest, _table_counts(alias), alias)
        finally:
            _drop_alias()
        source = sqlite3.connect(str(staged))
        live = sqlite3.connect(str(target_path))
        with live:
            source.backup(live)
        source.close()
        live.close()
    return report


def _restore_postgres(manifest: dict[str, Any], data: bytes, target: dict[str, Any]) -> RestoreReport:
    alias = _with_alias(target)
    try:
        if connections[alias].introspection.table_names():
            raise BackupError(
                f"the target database {target['NAME']} is not empty; restore into an empty database"
            )
        connections[alias].close()
        with tempfile.NamedTemporaryFile(suffix=".pgdump") as dump:
            dump.write(data)
            dump.flush()
            args, env = _pg_env(target)
            result = subprocess.run(  # noqa: S603
                [
                    _tool("pg_restore"),
                    "--single-transaction",
                    "--no-owner",
                    "--exit-on-error",
                    *args,
                    "-d",
                    target["NAME"],
                    dump.name,
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed and restored nothing: {result.stderr.strip()[:500]}")
        return _check(manifest, _table_counts(alias), alias)
    finally:
        _drop_alias()
