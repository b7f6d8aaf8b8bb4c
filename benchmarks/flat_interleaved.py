"""Flat, interleaved request by request: each page's median latency as a ratio to /health/'s median, the two
requested alternately (health, page, health, page …) in one process, at 10k, 100k and 1M talents; a page
stays flat when its ratio at 100k and at 1M is within 1.5 × its ratio at 10k.

    python benchmarks/flat_interleaved.py [--sizes 10000,100000,1000000] [--requests N]

``flat.py`` measures the same ratio under load (gunicorn, 4 client processes, interleaved rounds of seconds):
the Must-show's figure, and the one that shows throughput. Its rounds are seconds long, and the sizes are
measured minutes apart, so on a machine doing other work (tests, other benchmarks) a busy spell can fall on a
page's round at one size and not at another; the signed-in floor, whose work does not depend on the data,
then "grows" with it. Here each page request sits between two /health/ requests, so whatever else the
machine does falls on both alike: the ratio moves only when the page's own work does. Same pages, roles and
filters as ``archive_pages.py`` and ``servicehall.py`` (their own target lists), production settings, in
process through Django's test client (no HTTP server: the ratio is the page's work beside the cheapest
request's, not a throughput). Each size runs in its own process; a RESULT line per page and role.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FLAT = 1.5


def measure(size: int, requests: int) -> dict[str, float]:
    """One size: every target, ``requests`` times each, alternating with /health/."""
    from population import ensure_population

    ensure_population(size)
    import django

    django.setup()
    from archive_pages import targets as archive_targets
    from django.test import Client
    from harness import FLOOR, FLOOR_NAME, Target
    from servicehall import prepare as hall_targets

    found, cookies = archive_targets()
    hall, hall_cookies = hall_targets(["zjj", "rsj", "wjw"])
    everything = [("archive", t) for t in found] + [("hall", t) for t in hall]
    roles = {**cookies, **hall_cookies}
    everything += [("floor", Target(FLOOR_NAME, role, FLOOR)) for role in roles]
    health = Client(HTTP_HOST="127.0.0.1")
    clients = {role: Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=cookie) for role, cookie in roles.items()}
    ratios: dict[str, float] = {}
    for group, target in everything:
        client = clients[target.role]
        for _warm in range(3):
            status = client.get(target.path).status_code
            if status != 200:
                raise SystemExit(f"{target.key}: {target.path} answered {status}")
        page_s, health_s = [], []
        for _i in range(requests):
            started = time.perf_counter()
            health.get("/health/")
            middle = time.perf_counter()
            client.get(target.path)
            page_s.append(time.perf_counter() - middle)
            health_s.append(middle - started)
        key = f"{group}:{target.key}"
        ratios[key] = statistics.median(page_s) / statistics.median(health_s)
        print(
            f"{size:>9,} {key:<34} p50 {statistics.median(page_s) * 1000:6.1f} ms  ÷ /health/ "
            f"{statistics.median(health_s) * 1000:4.2f} ms = {ratios[key]:5.1f}",
            flush=True,
        )
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--requests", type=int, default=40, help="requests per page (each beside a /health/)")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # one size, in its own process
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size:
        Path(args.out).write_text(json.dumps(measure(args.size, args.requests)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    found: dict[int, dict[str, Any]] = {}
    scratch = Path(tempfile.mkdtemp(prefix="flat-interleaved-"))
    for size in sizes:
        out = scratch / f"{size}.json"
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--size",
                str(size),
                "--requests",
                str(args.requests),
                "--out",
                str(out),
            ],
            check=True,
            cwd=HERE,
        )
        found[size] = json.loads(out.read_text())
    base = sizes[0]
    print(f"\nFlat, interleaved: median latency ÷ /health/'s median, goal within {FLAT} × of {base:,}")
    print(f"{'page@role':<36}" + "".join(f"{s:>11,}" for s in sizes) + "   flat")
    every = True
    for key, first in found[base].items():
        later = [found[s].get(key, float("nan")) for s in sizes[1:]]
        ok = all(value <= FLAT * first for value in later)
        every = every and ok
        print(
            f"{key:<36}{first:>11.2f}" + "".join(f"{v:>11.2f}" for v in later) + f"   {'yes' if ok else 'NO'}"
        )
    for key, first in found[base].items():
        steps = " ".join(f"x{s}={found[s].get(key, float('nan')) / first:.2f}" for s in sizes[1:])
        ok = all(found[s].get(key, float("inf")) <= FLAT * first for s in sizes[1:])
        print(
            f"RESULT flat_interleaved_{key.replace(' ', '-')} ratio_{base}={first:.2f} {steps} ok={str(ok).lower()}"
        )
    print(
        f"\nflat (interleaved): {'every page flat' if every else 'NOT every page flat'}; "
        f"total {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
