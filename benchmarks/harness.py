"""What every page benchmark shares: the PostgreSQL database per population, production-like settings, a
signed-in session made directly, gunicorn with a fixed worker count, and the load generator.

The load generator is not the bound: it runs in separate processes (one per client connection, started once
and kept for the run), each timing its own requests; the output prints the CPU time those processes used as a
share of the machine, and loads ``/health/`` at full and at half the concurrency. When halving the clients
changes ``/health/``'s throughput by 10 % or more, the generator (or something else on the machine) was
the bound rather than the server, and the run is marked INVALID.

Pages are loaded as the roles that use them (one session per role), in ``ROUNDS`` interleaved rounds: a
slower spell of the machine falls on every page alike. Each page's figures are reported beside
``/health/``'s in the same run: the share of its throughput, and the ratios of the median and p95 latency.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 3
HEALTH = "/health/"
# The least a signed-in page costs: the session status the browser polls (session, account, second factor,
# roles, every middleware, a template of one line). Loaded as each role of a run, it is the ceiling any page
# of that role can reach beside /health/ (FLOOR_NAME's rows in the table, floor_share on each RESULT line).
FLOOR = "/session/status/"
FLOOR_NAME = "signed-in floor"
HALF_LIMIT = 0.10  # /health/ at half the clients may differ by less than this, or the run is invalid
GOAL_SHARE = 0.30  # Must-show (#17): at least 30 % of /health/'s throughput …
GOAL_P95 = 3.0  # … and a p95 at most 3 × /health/'s


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


def collect_static() -> None:
    """``collectstatic`` (compressed, hashed: over a minute) unless its manifest is newer than every source
    static file."""
    from django.conf import settings
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        built = manifest.stat().st_mtime
        sources = (p for d in (ROOT / "talentcloud").glob("*/static") for p in d.rglob("*") if p.is_file())
        if all(p.stat().st_mtime <= built for p in sources):
            return
    call_command("collectstatic", interactive=False, verbosity=0)


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
                urllib.request.urlopen(base + HEALTH, timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


# ------------------------------------------------------------------------------------- the load generator


def _client(conn: Any, port: int) -> None:
    """One client connection's process: on each order (path, cookie, stop time) it requests the path over
    and over until the stop time, timing each request, and answers with the latencies, the errors and the
    CPU time it used. An order of None ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        order = conn.recv()
        if order is None:
            return
        path, cookie, start_at, stop_at = order
        cpu = time.process_time()
        headers = {"Cookie": cookie, "X-Forwarded-Proto": "https", "Connection": "close"}
        latencies: list[float] = []
        errors = 0
        while time.monotonic() < start_at:
            time.sleep(0.001)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                http_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                http_conn.request("GET", path, headers=headers)
                response = http_conn.getresponse()
                response.read()
                ok = response.status == 200
                http_conn.close()
            except OSError:
                ok = False
            elapsed = time.perf_counter() - started
            if ok:
                latencies.append(elapsed)
            else:
                errors += 1
        conn.send((latencies, errors, time.process_time() - cpu))


class Clients:
    """``count`` client processes, started once (forked, so starting them costs nothing per page)."""

    def __init__(self, base: str, count: int):
        self.port = int(base.rsplit(":", 1)[1])
        context = multiprocessing.get_context("fork")
        self.pipes = []
        self.processes = []
        for _ in range(count):
            parent, child = context.Pipe()
            process = context.Process(target=_client, args=(child, self.port), daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)
        self.cpu = 0.0  # CPU seconds the clients used while loading
        self.wall = 0.0  # seconds they were loading

    def drive(self, path: str, cookie: str, concurrency: int, seconds: float) -> tuple[list[float], int]:
        """``concurrency`` of the clients load ``path`` for ``seconds``: every latency, and the errors."""
        start_at = time.monotonic() + 0.05
        stop_at = start_at + seconds
        used = self.pipes[:concurrency]
        for pipe in used:
            pipe.send((path, cookie, start_at, stop_at))
        latencies: list[float] = []
        errors = 0
        for pipe in used:
            got, failed, cpu = pipe.recv()
            latencies += got
            errors += failed
            self.cpu += cpu
        self.wall += seconds
        return latencies, errors

    def close(self) -> None:
        for pipe in self.pipes:
            pipe.send(None)
        for process in self.processes:
            process.join(timeout=5)


def _p(latencies: list[float], q: float) -> float:
    if not latencies:
        return float("nan")
    ordered = sorted(latencies)
    return ordered[max(0, int(len(ordered) * q) - 1)] * 1000


def _summary(latencies: list[float], errors: int, seconds: float) -> dict[str, float]:
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": _p(latencies, 0.95),
    }


@dataclass(frozen=True)
class Target:
    """A page as one role loads it: ``name`` (page and filter), ``role`` (the account signed in), ``path``."""

    name: str
    role: str
    path: str

    @property
    def key(self) -> str:
        return f"{self.name}@{self.role}" if self.role else self.name


def load_matrix(
    env: dict[str, str],
    targets: list[Target],
    cookies: dict[str, str],
    *,
    workers: int,
    concurrency: int,
    seconds: float,
) -> dict[str, Any]:
    """Serve with gunicorn (``workers``), warm each page up, then load ``/health/`` (at ``concurrency`` and at
    half of it) and every target in ``ROUNDS`` interleaved rounds, each for ``seconds`` in all. Returns
    ``{"pages": {key: summary}, "run": the generator's figures and the validity check}``; each summary holds
    the per-round medians too (``round_p50_ratio``: the page's median over /health/'s in that round)."""
    half = max(1, concurrency // 2)
    health = Target("health", "", HEALTH)
    health_half = Target(f"health/{half}", "", HEALTH)
    roles = list(dict.fromkeys(t.role for t in targets if cookies.get(t.role) and t.path != FLOOR))
    floors = [Target(FLOOR_NAME, role, FLOOR) for role in roles]
    everything = [health, health_half, *floors, *[t for t in targets if t.path != FLOOR]]
    cookie_of = {t.key: cookies.get(t.role, "") for t in everything}
    started = time.perf_counter()
    with gunicorn(env, workers) as base:
        clients = Clients(base, concurrency)
        try:
            for t in everything:
                clients.drive(t.path, cookie_of[t.key], concurrency, 1)
            clients.cpu = clients.wall = 0.0
            runs: dict[str, list[tuple[list[float], int]]] = {t.key: [] for t in everything}
            for _round in range(ROUNDS):
                for t in everything:
                    clients_now = half if t is health_half else concurrency
                    runs[t.key].append(clients.drive(t.path, cookie_of[t.key], clients_now, seconds / ROUNDS))
        finally:
            clients.close()
    pages: dict[str, dict[str, Any]] = {}
    health_rounds = [statistics.median(lat) if lat else float("nan") for lat, _e in runs[health.key]]
    for t in everything:
        latencies = [x for lat, _e in runs[t.key] for x in lat]
        summary: dict[str, Any] = _summary(latencies, sum(e for _l, e in runs[t.key]), seconds)
        summary["role"], summary["path"], summary["page"] = t.role, t.path, t.name
        summary["round_p50_ratio"] = [
            (statistics.median(lat) / h if lat and h else float("nan"))
            for (lat, _e), h in zip(runs[t.key], health_rounds, strict=True)
        ]
        pages[t.key] = summary
    full, halved = pages[health.key]["rps"], pages[health_half.key]["rps"]
    change = abs(halved - full) / full if full else float("inf")
    cores = os.cpu_count() or 1
    run = {
        "workers": workers,
        "concurrency": concurrency,
        "half": half,
        "seconds_per_url": seconds,
        "health_change_at_half": change,
        "valid": change < HALF_LIMIT,
        "generator_cpu_s": clients.cpu,
        "generator_wall_s": clients.wall,
        "generator_cores": clients.cpu / clients.wall if clients.wall else 0.0,
        "generator_share": clients.cpu / (clients.wall * cores) if clients.wall else 0.0,
        "cores": cores,
        "duration_s": time.perf_counter() - started,
    }
    return {"pages": pages, "run": run, "health": health.key}


def ratios(result: dict[str, Any], key: str) -> dict[str, float]:
    """A page's throughput share and its p50 and p95 ratios to /health/'s, measured in the same run."""
    page, health = result["pages"][key], result["pages"][result["health"]]
    return {
        "share": page["rps"] / health["rps"] if health["rps"] else 0.0,
        "p50": page["p50_ms"] / health["p50_ms"] if health["p50_ms"] else float("inf"),
        "p95": page["p95_ms"] / health["p95_ms"] if health["p95_ms"] else float("inf"),
        "round_p50": statistics.median(page["round_p50_ratio"]),
    }


def report_matrix(title: str, result: dict[str, Any], *, prefix: str) -> bool:
    """The table (page × role beside /health/), the generator's line, the validity line, and a RESULT line
    per page and role against the Must-show goal. Returns whether every page met it in a valid run."""
    run = result["run"]
    print(f"\n{title}")
    print(
        f"{'page':<16} {'role':<12} {'requests':>8} {'errors':>6} {'req/s':>7} {'share':>6} {'p50 ms':>7} "
        f"{'×p50':>5} {'p95 ms':>7} {'×p95':>5}"
    )
    for key, page in result["pages"].items():
        r = ratios(result, key)
        print(
            f"{page['page']:<16} {page['role'] or '-':<12} {page['requests']:>8} {page['errors']:>6} "
            f"{page['rps']:>7.1f} {r['share']:>6.0%} {page['p50_ms']:>7.1f} {r['p50']:>5.1f} "
            f"{page['p95_ms']:>7.1f} {r['p95']:>5.1f}"
        )
    print(
        f"load generator: {run['concurrency']} client processes, CPU {run['generator_cpu_s']:.1f} s over "
        f"{run['generator_wall_s']:.0f} s of load = {run['generator_cores']:.2f} cores, "
        f"{run['generator_share']:.0%} of the machine's {run['cores']}"
    )
    verdict = "valid" if run["valid"] else "INVALID"
    print(
        f"/health/ at {run['half']} clients vs {run['concurrency']}: throughput changes by "
        f"{run['health_change_at_half']:.1%} (limit {HALF_LIMIT:.0%}): run {verdict}"
    )
    every = True
    floors = {
        page["role"]: ratios(result, key)["share"]
        for key, page in result["pages"].items()
        if page["path"] == FLOOR
    }
    for key, page in result["pages"].items():
        if page["path"] in (HEALTH, FLOOR):
            continue
        r = ratios(result, key)
        ok = run["valid"] and page["errors"] == 0 and r["share"] >= GOAL_SHARE and r["p95"] <= GOAL_P95
        every = every and ok
        name = f"{prefix}_{page['page']}_{page['role'] or 'any'}".replace("/", "_")
        print(
            f"RESULT {name} share={r['share']:.2f} p95_ratio={r['p95']:.2f} p50_ratio={r['p50']:.2f} "
            f"p95={page['p95_ms']:.1f}ms health_p95={result['pages'][result['health']]['p95_ms']:.1f}ms "
            f"errors={page['errors']} floor_share={floors.get(page['role'], float('nan')):.2f} "
            f"goal=share>={GOAL_SHARE:.2f},p95<={GOAL_P95:.0f}x_health "
            f"run={verdict} ok={str(ok).lower()}"
        )
    return every


def write_json(path: str | None, payload: dict[str, Any]) -> None:
    if path:
        Path(path).write_text(json.dumps(payload, default=str, ensure_ascii=False, indent=1))


def page_arguments(description: str, *, quick_help: str) -> argparse.ArgumentParser:
    """The options every page benchmark takes (the population size is added by each script)."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15, help="seconds of load per URL, all rounds")
    parser.add_argument("--json", help="also write the figures to this file (flat.py reads it)")
    return parser


def load_pages(
    env: dict[str, str],
    urls: dict[str, str],
    names: tuple[str, ...],
    *,
    workers: int,
    concurrency: int,
    seconds: float,
) -> dict[str, dict[str, Any]]:
    """Pages as one signed-in account (``urls["cookie"]``), ``names`` their keys in ``urls``; "trivial" is
    /health/. The same generator and rounds as ``load_matrix``; returns each name's summary, and under
    "_run" the whole result (``report`` prints it)."""
    targets = [Target(name, "", urls[name]) for name in names if name != "trivial"]
    result = load_matrix(
        env, targets, {"": urls["cookie"]}, workers=workers, concurrency=concurrency, seconds=seconds
    )
    pages = {name: result["pages"][name] for name in names if name != "trivial"}
    return {"trivial": result["pages"][result["health"]], **pages, "_run": result}


def report(title: str, results: dict[str, Any]) -> None:
    report_matrix(title, results["_run"], prefix="policy")
