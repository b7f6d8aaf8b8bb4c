"""Starting the platform's own processes (worker, scheduler) against the test database, for tests that need
them running for real."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def child_env(schedule: dict[str, str], extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "PYTHONUNBUFFERED": "1"}
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env["TALENTCLOUD_SQLITE_PATH"] = str(db["NAME"])
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    env["TALENTCLOUD_SCHEDULE"] = json.dumps(schedule)
    # The same personal-data keys as this test run, so the processes read what the test wrote.
    env["TALENTCLOUD_PRIVACY_KEYS"] = settings.PRIVACY_KEYS
    env["TALENTCLOUD_PRIVACY_ACTIVE_KEY"] = settings.PRIVACY_ACTIVE_KEY
    env["TALENTCLOUD_BLIND_INDEX_KEY"] = settings.PRIVACY_INDEX_KEY
    # ... and the same audit seal and backup keys, so their seals continue this run's keyed chain.
    env["TALENTCLOUD_AUDIT_SEAL_KEYS"] = settings.AUDIT_SEAL_KEYS
    env["TALENTCLOUD_AUDIT_SEAL_ACTIVE_KEY"] = settings.AUDIT_SEAL_ACTIVE_KEY
    env["TALENTCLOUD_BACKUP_KEYS"] = settings.BACKUP_KEYS
    env["TALENTCLOUD_BACKUP_ACTIVE_KEY"] = settings.BACKUP_ACTIVE_KEY
    # The same encrypted storage, so a worker reads the uploads the test stored.
    env["TALENTCLOUD_PRIVATE_MEDIA_ROOT"] = str(settings.PRIVATE_MEDIA_ROOT)
    env.update(extra or {})
    return env


def start(
    *command: str, schedule: dict[str, str], extra: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *command],
        env=child_env(schedule, extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen[bytes], *, signalled: bool = False) -> str:
    if not signalled:
        process.send_signal(signal.SIGTERM)
    try:
        out, _ = process.communicate(timeout=60)  # a clean stop on a loaded machine (it releases its lease)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out.decode(errors="replace")


def stop_all(processes: list[subprocess.Popen[bytes]]) -> list[str]:
    """Stop several processes at once (a standby scheduler must not take over from one stopping first)."""
    for process in processes:
        process.send_signal(signal.SIGTERM)
    return [stop(process, signalled=True) for process in processes]
