"""What every page benchmark shares: the PostgreSQL database per population, production-like settings, a
signed-in session made directly, gunicorn with a fixed worker count, and the load generator (threads in this
separate process, each request timed)."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def use_database(url: str) -> dict[str, str]:
    """Production settings against ``url`` (created if missing); returns the environment for the server."""
    ensure_database(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "TALENTCLOUD_SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuv",
        "TALENTCLOUD_PRIVACY_KEYS": "k1:YmVuY2htYXJrLWtleS0xNg==",
        "TALENTCLOUD_PRIVACY_ACTIVE_KEY": "k1",
        "TALENTCLOUD_BLIND_INDEX_KEY": "YmVuY2htYXJrLWJsaW5kLWluZGV4LWtleS0zMi1ieXRlcy0h",
        "TALENTCLOUD_ALLOWED_HOSTS": "127.0.0.1",
        "TALENTCLOUD_SSL_REDIRECT": "false",
        "TALENTCLOUD_LOG_LEVEL": "WARNING",
        "TALENTCLOUD_VAR_DIR": str(ROOT / "var" / "bench"),
    }
    os.environ.update(env)
    return env


def session_cookie(username: str) -> str:
    """A signed-in session (second factor passed) for ``username``, made directly in the session store."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from talentcloud.accounts.middleware import SESSION_ACTIVE_AT, SESSION_LOGIN_AT
    from talentcloud.accounts.models import User

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    session = SessionStore()
    now = int(time.time())
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            DEVICE_ID_SESSION_KEY: device.persistent_id if device else "",
            SESSION_LOGIN_AT: now,
            SESSION_ACTIVE_AT: now,
        }
    )
    session.create()
    return f"tc_session={session.session_key}"


@contextmanager
def gunicorn(env: dict[str, str], workers: int) -> Iterator[str]:
    """Serve the project with gunicorn; yields the base URL once /health/ answers."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


def _drive(base: str, path: str, cookie: str, concurrency: int, seconds: float) -> tuple[list[float], int]:
    """Load ``path`` from ``concurrency`` threads for ``seconds``: each request's latency, and the errors."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            request = urllib.request.Request(
                base + path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"}
            )
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def _summary(latencies: list[float], errors: int, seconds: float) -> dict[str, float]:
    latencies = sorted(latencies)
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": p95 * 1000,
    }


def load(base: str, path: str, cookie: str, concurrency: int, seconds: float) -> dict[str, float]:
    return _summary(*_drive(base, path, cookie, concurrency, seconds), seconds)


def report(title: str, results: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(
        f"{'page':<10} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs trivial':>10}"
    )
    trivial = results["trivial"]
    for name, r in results.items():
        ratio = r["rps"] / trivial["rps"] if trivial["rps"] else 0
        print(
            f"{name:<10} {r['requests']:>8} {r['errors']:>6} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {ratio:>9.0%}"
        )


def page_arguments(description: str, *, quick_help: str) -> argparse.ArgumentParser:
    """The options every page benchmark takes (the population size is added by each script)."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    return parser


def load_pages(
    env: dict[str, str],
    urls: dict[str, str],
    names: tuple[str, ...],
    *,
    workers: int,
    concurrency: int,
    seconds: float,
) -> dict[str, dict[str, float]]:
    """Serve with gunicorn, warm each worker up on every page, then load the pages in turn, in ``ROUNDS``
    interleaved rounds (a slower or faster spell of the machine then falls on every page alike, not on
    whichever page ran during it); each page gets ``seconds`` in all."""
    with gunicorn(env, workers) as base:
        for name in names:
            load(base, urls[name], urls["cookie"], concurrency, 1)
        runs: dict[str, tuple[list[float], int]] = {name: ([], 0) for name in names}
        for _round in range(ROUNDS):
            for name in names:
                latencies, errors = _drive(base, urls[name], urls["cookie"], concurrency, seconds / ROUNDS)
                runs[name] = (runs[name][0] + latencies, runs[name][1] + errors)
        return {name: _summary(latencies, errors, seconds) for name, (latencies, errors) in runs.items()}


ROUNDS = 3
