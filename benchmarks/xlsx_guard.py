"""Refusing an .xlsx of 1.5 million rows (over the 100,000-row limit) before its rows are parsed.

Figure: the time and the memory above the idle process for the import's ``read`` to refuse a 1.5 M-row
workbook (``sheets.xlsx_guard``: the zip's directory and the sheet's ``<dimension ref>``).
Baseline: reading the same workbook with openpyxl (read-only, every row), which is what happened before the row
limit could refuse it. Each measurement runs in a fresh process that first loads the file into memory (its
"idle" peak), so the memory figure is the peak resident size above that.

    .venv/bin/python benchmarks/xlsx_guard.py            # 1.5 M rows, the baseline reads all of them (~1 min)
    .venv/bin/python benchmarks/xlsx_guard.py --quick    # the baseline reads 150,000 rows, scaled × 10
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS = 1_500_000
GOAL_MS = 100.0
GOAL_MB = 16.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure(kind: str, path: str) -> dict[str, float]:
    """In this (fresh) process: load the file, note the idle peak, then refuse it or read it."""
    import io

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from openpyxl import load_workbook

    from talentcloud.enterprises.importing import EnterpriseImporter
    from talentcloud.infra.sheets import ImportFileError

    data = Path(path).read_bytes()
    importer = EnterpriseImporter()
    idle = peak_mb()
    started = time.perf_counter()
    rows = 0
    refused = ""
    if kind == "guard":
        try:
            importer.read(data)
        except ImportFileError as exc:
            refused = str(exc)
    else:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        kept = [row for row in sheet.iter_rows(values_only=True) if any(v not in (None, "") for v in row)]
        rows = len(kept)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "above_idle_mb": peak_mb() - idle, "rows": rows, "refused": bool(refused)}


def child(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(path)],
        cwd=ROOT,
        capture_output=True,
        check=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def workbook(path: Path, rows: int) -> None:
    from talentcloud.infra.tests.xlsxgen import xlsx_bytes

    header = ["企业名称", "统一社会信用代码", "街道"]
    body = ((i,) for i in range(rows))  # one cell a row: about the size on disk of the reported file
    path.write_bytes(xlsx_bytes(header, body, row_count=rows, compresslevel=6))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="the baseline reads 150,000 rows, scaled × 10")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "rows-1500000.xlsx"
        started = time.perf_counter()
        workbook(big, ROWS)
        print(
            f"wrote {ROWS:,} rows: {big.stat().st_size / 1e6:.1f} MB on disk ({time.perf_counter() - started:.1f} s)"
        )
        guard = child("guard", big)
        assert guard["refused"], guard
        baseline_rows = ROWS // 10 if args.quick else ROWS
        if args.quick:
            small = Path(folder) / "rows-150000.xlsx"
            workbook(small, baseline_rows)
            baseline = child("openpyxl", small)
        else:
            baseline = child("openpyxl", big)
        assert baseline["rows"] == baseline_rows + 1, baseline  # the header and every row
    scale = ROWS / baseline_rows
    base_s = baseline["seconds"] * scale
    base_mb = baseline["above_idle_mb"] * scale
    guard_ms, base_ms = guard["seconds"] * 1000, base_s * 1000
    print()
    print(f"{'':34} {'time':>12} {'memory above idle':>18}")
    print(f"{'refused by the guard (1.5 M rows)':34} {guard_ms:>9.1f} ms {guard['above_idle_mb']:>15.1f} MB")
    label = "openpyxl reads 1.5 M rows" + (" (scaled)" if args.quick else "")
    print(f"{label:34} {base_s:>10.1f} s {base_mb:>15.1f} MB")
    if args.quick:
        print(
            f"(--quick: the baseline read {baseline_rows:,} rows in {baseline['seconds']:.1f} s and "
            f"{baseline['above_idle_mb']:.1f} MB, both scaled × {scale:.0f} to 1.5 M rows)"
        )
    ok = guard_ms <= GOAL_MS and guard["above_idle_mb"] <= GOAL_MB
    print(
        f"RESULT xlsx_guard_refuse_1.5M_rows {guard_ms:.1f} ms baseline={base_ms:.0f} "
        f"ratio={guard_ms / base_ms:.6f} goal=<={GOAL_MS:.0f}ms_and_<={GOAL_MB:.0f}MB_above_idle "
        f"ok={'true' if ok else 'false'}"
    )


if __name__ == "__main__":
    main()
