"""No seeded ID or phone number appears in clear in the SQLite file (WAL included) or a pg_dump."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from talentcloud.demo.seed import seed_all
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db(transaction=True)


def seeded_secrets() -> list[bytes]:
    values = []
    for talent in Talent.objects.all():
        values += [talent.id_number.encode(), talent.phone.encode()]
    assert values
    assert all(values)
    return values


def raw_bytes(path: Path) -> bytes:
    """The file's bytes, read by another process: opening and closing the database file in this process
    would drop every POSIX lock this process holds on it (SQLite's connections here, the live server's
    included), and another process could then take the WAL index away from under them."""
    return subprocess.run(["cat", str(path)], capture_output=True, check=True).stdout


def test_nothing_in_clear_at_rest():
    seed_all(talents=200, seed=11)
    secrets = seeded_secrets()
    if connection.vendor == "sqlite":
        db_path = Path(connection.settings_dict["NAME"])
        blobs = [raw_bytes(db_path)]
        wal = Path(f"{db_path}-wal")
        if wal.exists():
            blobs.append(raw_bytes(wal))
        # Also after a checkpoint has moved the WAL into the main file.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(FULL)")
        blobs.append(raw_bytes(db_path))
    else:
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            pytest.skip("pg_dump is not installed")
        db = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
        dump = subprocess.run(
            [
                pg_dump,
                "-h",
                db["HOST"] or "127.0.0.1",
                "-p",
                str(db["PORT"] or 5432),
                "-U",
                db["USER"],
                db["NAME"],
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        blobs = [dump.stdout]
    for blob in blobs:
        for value in secrets:
            assert value not in blob
