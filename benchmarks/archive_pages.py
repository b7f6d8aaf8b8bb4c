"""Benchmark: p95 latency and throughput of the archive pages beside a trivial view.

    python benchmarks/archive_pages.py [--quick] [--talents N] [--workers W] [--concurrency C] [--seconds S]

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/talentcloud_bench). It seeds the
population once (reused on later runs), starts gunicorn with a fixed number of workers and production-like
settings, signs in an office account by creating its session directly, and loads each URL from this
separate process with C concurrent connections for S seconds:

  trivial   /health/                      (one SELECT 1: the baseline, served the same way)
  list      /talents/                     (filtered list, first page with count)
  deep      /talents/?after=<cursor>      (a page deep into the list: keyset)
  search    /talents/?q=<name>            (Chinese full-text search)
  detail    /talents/<id>/                (one talent with facts and timeline)

Goal (issue 4): p95 <= 100 ms and each page's throughput >= 30% of the trivial view's.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
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


def prepare(talents: int) -> dict[str, str]:
    """Migrate and seed once; return a session cookie and the URLs to load."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core import signing
    from django.core.management import call_command
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from talentcloud.accounts.middleware import SESSION_ACTIVE_AT, SESSION_LOGIN_AT
    from talentcloud.accounts.models import User
    from talentcloud.demo.seed import seed_all
    from talentcloud.talents.models import Talent

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    have = Talent.objects.count()
    if have < talents:
        print(f"seeding {talents} talents (once; later runs reuse them) …", flush=True)
        started = time.perf_counter()
        if have:
            raise SystemExit("the benchmark database holds a different population; drop it first")
        seed_all(talents=talents, seed=7)
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    user = User.objects.get(username="office")
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
    ordered = Talent.objects.order_by("name", "id")
    deep = ordered[talents * 3 // 4]
    cursor = signing.dumps([deep.name, str(deep.pk)], salt="talents.list.cursor", compress=True)
    sample = ordered[talents // 2]
    return {
        "cookie": f"tc_session={session.session_key}",
        "trivial": "/health/",
        "list": "/talents/?category=young",
        "deep": f"/talents/?after={cursor}",
        "search": f"/talents/?q={urllib.request.quote(sample.name)}",
        "detail": f"/talents/{sample.pk}/",
    }


def load(base: str, path: str, cookie: str, concurrency: int, seconds: float) -> dict[str, float]:
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
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": p95 * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="5,000 talents, 3 s per URL (a smoke run)")
    parser.add_argument("--talents", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    if args.quick:
        args.talents, args.seconds = 5_000, 3
    url = os.environ.get(
        "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/talentcloud_bench_{args.talents}"
    )
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
    urls = prepare(args.talents)
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
            str(args.workers),
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
        for name in ("trivial", "list", "deep", "search", "detail"):  # warm up each worker
            load(base, urls[name], urls["cookie"], args.concurrency, 1)
        results = {
            name: load(base, urls[name], urls["cookie"], args.concurrency, args.seconds)
            for name in ("trivial", "list", "deep", "search", "detail")
        }
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    print(
        f"\n{args.talents} talents on PostgreSQL · gunicorn {args.workers} workers · {args.concurrency} concurrent "
        f"connections from a separate process · {args.seconds:.0f} s per URL"
    )
    print(
        f"{'page':<8} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs trivial':>10}"
    )
    trivial = results["trivial"]
    for name, r in results.items():
        ratio = r["rps"] / trivial["rps"] if trivial["rps"] else 0
        print(
            f"{name:<8} {r['requests']:>8} {r['errors']:>6} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {ratio:>9.0%}"
        )
    for name in ("list", "deep", "search", "detail"):
        r = results[name]
        ratio = r["rps"] / trivial["rps"] if trivial["rps"] else 0
        ok = r["p95_ms"] <= 100 and ratio >= 0.30 and r["errors"] == 0
        print(
            f"RESULT archive_{name}_p95 {r['p95_ms']:.1f} ms baseline={trivial['p95_ms']:.1f} ratio={ratio:.2f} "
            f"goal=p95<=100ms,throughput>=30%_of_trivial ok={str(ok).lower()}"
        )
    print(json.dumps({"talents": args.talents, "results": results}), file=sys.stderr)


if __name__ == "__main__":
    main()
