"""Flat: each page's median latency, as a ratio to /health/'s median in the same run, at 10k, 100k and 1M
talents; a page stays flat when its ratio at 100k and at 1M is within 1.5 × its ratio at 10k.

    python benchmarks/flat.py [--sizes 10000,100000,1000000] [--seconds S] [--workers W] [--concurrency C]

For each size (the populations of ``population.py``, reused; a missing one is seeded first, which the 60
minutes do not cover) it runs the page matrices of ``archive_pages.py`` and ``servicehall.py``
(``--pages-only``) and the calculator of ``policy_engine.py`` (``--calculator``: only its page), each in its own
process, S seconds per URL, and prints their tables and RESULT lines as they go. A page's ratio at one size is
the median over the three interleaved rounds of (its median latency ÷ /health/'s median in that round).
Then the flat table: per page × role, the ratio at each size and whether 100k and 1M stay within 1.5 × of
10k; a RESULT line each, and the total duration (goal: under 60 minutes for the three sizes).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import ROUNDS, Target, load_matrix, page_arguments, ratios, report_matrix, write_json

HERE = Path(__file__).resolve().parent
FLAT = 1.5


def calculator(args: argparse.Namespace) -> None:
    """The calculator page alone (policy_engine.py's (c), the same 50 published policies, read after a sweep
    stored its results, served with a shared cache as in production): the talent's own page and the office
    trying that person, for flat runs."""
    import policy_engine
    from population import ensure_population

    env = ensure_population(args.talents)
    policy_engine.fifty_policies()
    views = policy_engine.calculator_urls()
    with policy_engine.private_redis() as redis_url:
        result = load_matrix(
            {**env, "REDIS_URL": redis_url},
            [Target("calculator", who, urls["calculator"]) for who, urls in views.items()],
            {who: urls["cookie"] for who, urls in views.items()},
            workers=args.workers,
            concurrency=args.concurrency,
            seconds=args.seconds,
        )
    ok = report_matrix(
        f"calculator · {args.talents:,} talents · {args.seconds:.0f} s per URL", result, prefix="policy"
    )
    write_json(args.json, {"script": "calculator", "talents": args.talents, **result, "ok": ok})


def main() -> None:
    parser = page_arguments(__doc__ or "", quick_help="10k and 100k only, 3 s per URL")
    parser.set_defaults(seconds=12)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--talents", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--calculator", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.calculator:
        calculator(args)
        return
    if args.quick:
        args.sizes, args.seconds = "10000,100000", 3
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    figures: dict[str, dict[int, float]] = {}
    invalid: list[str] = []
    common = ["--seconds", str(args.seconds), "--workers", str(args.workers)]
    common += ["--concurrency", str(args.concurrency)]
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            for script, extra in (
                ("archive_pages.py", []),
                ("servicehall.py", ["--pages-only"]),
                ("flat.py", ["--calculator"]),
            ):
                out = Path(tmp) / f"{script}-{size}.json"
                command = [sys.executable, str(HERE / script), "--talents", str(size), *common, *extra]
                subprocess.run([*command, "--json", str(out)], check=True, cwd=HERE)
                result = json.loads(out.read_text())
                if not result["run"]["valid"]:
                    invalid.append(f"{script} at {size:,}")
                for key, page in result["pages"].items():
                    if page["path"] == "/health/":
                        continue
                    name = f"{result['script']}:{key}"
                    figures.setdefault(name, {})[size] = ratios(result, key)["round_p50"]
            print(f"\n… {size:,} done at {time.perf_counter() - started:.0f} s", flush=True)
    base = sizes[0]
    print(
        f"\nFlat: median latency ÷ /health/'s median (median of {ROUNDS} rounds), goal within {FLAT} × of {base:,}"
    )
    print(f"{'page@role':<34} " + " ".join(f"{s:>10,}" for s in sizes) + "   flat")
    every = True
    for name, by_size in figures.items():
        first = by_size.get(base, float("nan"))
        within = all(by_size.get(s, float("inf")) <= FLAT * first for s in sizes[1:])
        every = every and within
        cells = " ".join(f"{by_size.get(s, float('nan')):>10.2f}" for s in sizes)
        print(f"{name:<34} {cells}   {'yes' if within else 'NO'}")
    for name, by_size in figures.items():
        first = by_size.get(base, float("nan"))
        growth = {s: by_size.get(s, float("nan")) / first if first else float("nan") for s in sizes[1:]}
        within = all(g <= FLAT for g in growth.values())
        shown = " ".join(f"x{s}={g:.2f}" for s, g in growth.items())
        print(
            f"RESULT flat_{name.replace(':', '_').replace('@', '_')} ratio_{base}={first:.2f} {shown} "
            f"goal=<={FLAT}x_of_{base} ok={str(within).lower()}"
        )
    total = time.perf_counter() - started
    print(
        f"\nflat: {'every page flat' if every else 'NOT every page flat'}; invalid runs: "
        f"{', '.join(invalid) or 'none'}; total {total:.0f} s ({total / 60:.1f} min, goal < 60 min)"
    )


if __name__ == "__main__":
    sys.exit(main())
