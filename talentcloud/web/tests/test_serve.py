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


def production_env(*, redis: bool = True) -> dict[str, str]:
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
    if redis:
        # The shared cache production requires (talentcloud.E001); nothing here reads it, so no server runs.
        env["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    return env


def test_serve_refuses_to_start_without_a_shared_cache():
    finished = subprocess.run(
        [sys.executable, "-m", "talentcloud.cli", "serve", "--bind", f"127.0.0.1:{free_port()}"],
        env=production_env(redis=False),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode != 0
    assert "talentcloud.E001" in finished.stderr
    assert "REDIS_URL" in finished.stderr


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
        deadline = time.monotonic() + 300  # a generous wait: the machine may be busy
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
        if body != b'{"status": "ok"}':
            process.send_signal(signal.SIGTERM)
            output = process.communicate(timeout=15)[0].decode("utf-8", "replace")
            pytest.fail(f"gunicorn did not answer within 300 seconds:\n{output[-3000:]}")
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert headers["X-Content-Type-Options"] == "nosniff"
        # A search's query (a name, an ID, a phone) never reaches the access log; the path does.
        search = f"http://127.0.0.1:{port}/health/?q=320115199001011234&phone=13812345678&name=%E5%BC%A0"
        with urllib.request.urlopen(urllib.request.Request(search), timeout=5) as response:
            assert response.status in (200, 301)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=15)[0].decode("utf-8", "replace")
    assert '"GET /health/ HTTP/1.1" 200' in output, output
    for secret in ("320115199001011234", "13812345678", "q=", "%E5%BC%A0"):
        assert secret not in output, output
