"""Benchmark: talent-code verifications per second (HMAC-SM3 signature check, the code's status lookup, the
scene's rule over the talent's facts, the per-verifier and per-code rate-limit counters, the Verification row
committed; its audit event is appended by the minute's job, ADR 0029), beside the trivial view (/health/) in the same run (#23, Must show: at least 50 % of
its throughput).

    python benchmarks/talent_code.py [--quick] [--codes N] [--workers W] [--concurrency C] [--seconds S]

Needs PostgreSQL (``tc_talent_code_bench``, ``BENCH_DATABASE_URL`` overrides it; made and migrated here).
gunicorn serves the project with W workers (4 by default: what docs/operations.md deploys) and production
settings; C client processes (twice the workers, forked once) load, in three interleaved rounds of S/3
seconds each: ``GET /health/`` and ``POST /api/v1/talentcode/verify`` as a hospital's verifier (a bearer
token), each request with a fresh token of one of N issued codes (signed with the platform's key before the
round, as the platform signs a phone's QR when it refreshes). The rate limits are raised for the run
(``TALENTCLOUD_RATELIMIT_TALENT_CODE_*``): the counters still count every request. Also printed: the token
check alone in this process (``tokens.check``), and SM2 verification for comparison when ``gmssl`` is
importable (ADR 0025), and the audit job's own work after the run: the events of every verification the run
made appended in batches (``verifications_audit``), per second, so the cost the request no longer pays is
shown too.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import multiprocessing
import os
import random
import signal
import statistics
import time
from typing import Any

from harness import HEALTH, gunicorn, use_database, write_json

URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tc_talent_code_bench")
KEY = base64.b64encode(b"benchmark-talent-code-key-32-byt").decode()
GOAL = 0.50
# The signed-in API floor: the same bearer token's cheapest operation (authentication, roles, the unit): no
# verification can do better beside /health/.
FLOOR = "/api/v1/me"
# Codes a client draws before a round, per second of it: above what one client is answered (about 150/s).
PER_CLIENT_PER_SECOND = 400


def environment() -> dict[str, str]:
    env = use_database(URL)
    extra = {
        "TALENTCLOUD_TALENT_CODE_KEYS": f"B1:{KEY}",
        "TALENTCLOUD_TALENT_CODE_ACTIVE_KEY": "B1",
        "TALENTCLOUD_RATELIMIT_TALENT_CODE_PER_CODE": "1000000/m",
        "TALENTCLOUD_RATELIMIT_TALENT_CODE_VERIFIER": "1000000/m",
    }
    env.update(extra)
    os.environ.update(extra)
    return env


def prepare(codes: int) -> tuple[list[str], str]:
    """N certified talents with a code each, a hospital verifier with a bearer token; returns the codes' ids
    and the token."""
    import datetime as dt

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from talentcloud.accounts.enums import UnitKind
    from talentcloud.accounts.models import OrgUnit, Role, User
    from talentcloud.accounts.services import orgunit_create, token_create, user_create
    from talentcloud.demo.seed import generate_password, seed_reference
    from talentcloud.talentcode.enums import CodeStatus
    from talentcloud.talentcode.models import Scene, TalentCode, Verifier
    from talentcloud.talents.models import Talent

    units = seed_reference()
    hospital = OrgUnit.objects.filter(code="BENCH-HOSPITAL").first() or orgunit_create(
        actor=None,
        code="BENCH-HOSPITAL",
        name="基准医院",
        name_en="",
        kind=UnitKind.EXTERNAL,
        parent=units["320115"],
    )
    verifier, _created = Verifier.objects.get_or_create(unit=hospital)
    verifier.scenes.set([Scene.objects.get(code="medical")])
    user = User.objects.filter(username="bench-verifier").first() or user_create(
        actor=None,
        username="bench-verifier",
        password=generate_password(),
        unit=hospital,
        roles=[Role.objects.get(code="code-verifier")],
    )
    have = TalentCode.objects.filter(status=CodeStatus.ACTIVE).count()
    if have < codes:
        talents = Talent.objects.bulk_create(
            [
                Talent(
                    name=f"基准人才{i}",
                    gender="F",
                    birth_date=dt.date(1985, 1, 1),
                    highest_degree="doctor",
                    category="high_level",
                    grade=random.choice("ABC"),  # noqa: S311 (synthetic data)
                )
                for i in range(codes - have)
            ]
        )
        TalentCode.objects.bulk_create([TalentCode(talent=t, basis="office") for t in talents])
    ids = list(TalentCode.objects.filter(status=CodeStatus.ACTIVE).values_list("code_id", flat=True)[:codes])
    _row, token = token_create(actor=user, name=f"bench-{time.time():.0f}", console=True)
    return ids, token


def _client(conn: Any, port: int, token: str, ids: list[str]) -> None:
    import django

    django.setup()
    from talentcloud.talentcode import tokens

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        order = conn.recv()
        if order is None:
            return
        kind, start_at, stop_at = order
        latencies: list[float] = []
        errors = 0
        # The phones' codes, drawn before the round: the platform signs a code when the phone refreshes its
        # QR, not when a verifier scans it, so signing is no part of a verification's cost (the token check
        # is). More than a client can send in a round; should they run out, the rest are signed as sent.
        shown = (
            [
                tokens.sign(random.choice(ids))[0]  # noqa: S311 (which phone shows its code)
                for _ in range(int(PER_CLIENT_PER_SECOND * (stop_at - start_at)))
            ]
            if kind == "verify"
            else []
        )
        while time.monotonic() < start_at:
            time.sleep(0.001)
        while time.monotonic() < stop_at:
            if kind == "verify":
                code = shown.pop() if shown else tokens.sign(random.choice(ids))[0]  # noqa: S311
                body = json.dumps({"token": code, "scene": "medical"})
                method, path = "POST", "/api/v1/talentcode/verify"
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            elif kind == "floor":
                body, method, path, headers = None, "GET", FLOOR, {"Authorization": f"Bearer {token}"}
            else:
                body, method, path, headers = None, "GET", HEALTH, {}
            headers.update({"X-Forwarded-Proto": "https", "Connection": "close"})
            started = time.perf_counter()
            try:
                http_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                http_conn.request(method, path, body=body, headers=headers)
                response = http_conn.getresponse()
                payload = response.read()
                ok = response.status == 200 and (
                    kind != "verify" or b'"valid": true' in payload.replace(b'":true', b'": true')
                )
                http_conn.close()
            except OSError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1
        conn.send((latencies, errors))


def token_check_rate(ids: list[str], seconds: float = 2.0) -> float:
    from talentcloud.talentcode import tokens

    made = [tokens.sign(random.choice(ids))[0] for _ in range(2000)]  # noqa: S311 (as above)
    count, stop = 0, time.perf_counter() + seconds
    while time.perf_counter() < stop:
        tokens.check(made[count % len(made)])
        count += 1
    return count / seconds


def sm2_rate(seconds: float = 2.0) -> float | None:
    try:
        from gmssl import func, sm2  # type: ignore[import-not-found]
    except ImportError:
        return None
    private = func.random_hex(64)
    signer = sm2.CryptSM2(private_key=private, public_key="")
    public = signer._kg(int(private, 16), sm2.default_ecc_table["g"])
    signer = sm2.CryptSM2(private_key=private, public_key=public)
    message = b"TC1.B1.1764536400.NONCE.CODE"
    signature = signer.sign(message, func.random_hex(signer.para_len))
    count, stop = 0, time.perf_counter() + seconds
    while time.perf_counter() < stop:
        signer.verify(signature, message)
        count += 1
    return count / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run (3 s per kind)")
    parser.add_argument("--codes", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (docs/operations.md: 4)")
    parser.add_argument("--concurrency", type=int, help="client processes (default: twice the workers)")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds per kind, over three rounds")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    seconds = 3.0 if args.quick else args.seconds
    concurrency = args.concurrency or 2 * args.workers
    env = environment()
    import django

    django.setup()
    ids, token = prepare(args.codes)
    check_rate = token_check_rate(ids)
    sm2 = sm2_rate()
    from django.db import connections

    connections.close_all()
    results: dict[str, dict[str, list[float] | int]] = {
        k: {"latencies": [], "errors": 0} for k in ("health", "floor", "verify")
    }
    with gunicorn(env, args.workers) as base:
        port = int(base.rsplit(":", 1)[1])
        context = multiprocessing.get_context("fork")
        pipes, processes = [], []
        for _ in range(concurrency):
            parent, child = context.Pipe()
            process = context.Process(target=_client, args=(child, port, token, ids), daemon=True)
            process.start()
            pipes.append(parent)
            processes.append(process)
        for _round in range(3):
            for kind in ("health", "floor", "verify"):
                start_at = time.monotonic() + 1.0  # time for the clients to draw their codes
                for pipe in pipes:
                    pipe.send((kind, start_at, start_at + seconds / 3))
                for pipe in pipes:
                    got, failed = pipe.recv()
                    results[kind]["latencies"] += got  # type: ignore[operator]
                    results[kind]["errors"] += failed  # type: ignore[operator]
        for pipe in pipes:
            pipe.send(None)
        for process in processes:
            process.join(timeout=5)
    from talentcloud.talentcode.services import verifications_audit

    started = time.perf_counter()
    audited = verifications_audit()
    audit_rate = audited / (time.perf_counter() - started) if audited else 0.0
    connections.close_all()
    figures: dict[str, Any] = {}
    for kind, data in results.items():
        latencies: list[float] = data["latencies"]  # type: ignore[assignment]
        figures[kind] = {
            "rps": len(latencies) / seconds,
            "errors": data["errors"],
            "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
            "p95_ms": sorted(latencies)[int(len(latencies) * 0.95) - 1] * 1000 if latencies else float("nan"),
        }
    share = figures["verify"]["rps"] / figures["health"]["rps"] if figures["health"]["rps"] else 0.0
    ok = share >= GOAL and figures["verify"]["errors"] == 0
    print(f"gunicorn workers: {args.workers}, client processes: {concurrency}, {seconds:g} s per kind")
    print(f"{'what':<40}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'errors':>8}")
    for kind, label in (
        ("health", "GET /health/ (trivial view)"),
        ("floor", f"GET {FLOOR} (signed-in API floor)"),
        ("verify", "POST /api/v1/talentcode/verify"),
    ):
        f = figures[kind]
        print(f"{label:<40}{f['rps']:>10.1f}{f['p50_ms']:>10.1f}{f['p95_ms']:>10.1f}{f['errors']:>8}")
    print(f"token check alone (HMAC-SM3, this process): {check_rate:,.0f}/s")
    print(
        f"SM2 verification (gmssl, this process): {sm2:,.0f}/s"
        if sm2
        else "SM2 verification: gmssl not installed"
    )
    print(f"audit events appended by the job after the run: {audited:,} at {audit_rate:,.0f}/s")
    floor_share = figures["floor"]["rps"] / figures["health"]["rps"] if figures["health"]["rps"] else 0.0
    print(
        f"RESULT talent_code verify_rps={figures['verify']['rps']:.1f} health_rps={figures['health']['rps']:.1f} "
        f"share={share:.2f} floor_share={floor_share:.2f} goal={GOAL:.2f} ok={str(ok).lower()} "
        f"workers={args.workers} clients={concurrency}"
    )
    write_json(
        args.json,
        {
            "figures": figures,
            "share": share,
            "token_check_per_s": check_rate,
            "sm2_per_s": sm2,
            "audit_events_per_s": audit_rate,
        },
    )


if __name__ == "__main__":
    main()
