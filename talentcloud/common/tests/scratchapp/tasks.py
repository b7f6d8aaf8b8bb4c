"""What the scratch app's periodic job runs (``jobs.py``)."""

from __future__ import annotations

RUNS: list[str] = []


def scratch_job() -> None:
    RUNS.append("ran")
