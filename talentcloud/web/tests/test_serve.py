"""`talentcloud serve` starts gunicorn with the production settings and answers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SETTINGS")}
    for line in (Path(settings.BASE_DIR) / "deploy" / "production.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _sep, value = line.partition("=")
            env[key] = value
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env.pop("DATABASE_URL", None)
        env["TALENTCLOUD_SQLITE_PATH"] = str(db["NAME"])
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    env.update(
        TALENTCLOUD_ALLOWED_HOSTS="127.0.0.1",
        TALENTCLOUD_SSL_REDIRECT="false",
        TALENTCLOUD_VAR_DIR=str(Path(settings.VAR_DIR) / "serve-test"),
    )
    env.pop("REDIS_URL", None)
    return env


def test_serve_answers_health_and_sets_secure_headers():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "talentcloud.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=production_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # `serve` collects and compresses the static files first: about 30 s on a 2-core machine.
        deadline = time.monotonic() + 120
        body = b""
        while time.monotonic() < deadline:
            try:
                # As nginx would pass it on: the original request came over HTTPS.
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/health/", headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                    body = response.read()
                    headers = response.headers
                break
            except OSError:
                time.sleep(0.3)
        assert body == b'{"status": "ok"}', "gunicorn did not answer within 120 seconds"
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
