"""`make demo ADDR=…` serves where it is told (the Makefile passes ADDR to `talentcloud demo --addr`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def demo_command(*variables: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    out = subprocess.run(
        [make, "-n", "-s", "demo", *variables], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    [line] = [line for line in out.splitlines() if "talentcloud demo" in line]
    return line


def test_make_demo_passes_the_address():
    assert demo_command("ADDR=0.0.0.0:9000").endswith("talentcloud demo --addr '0.0.0.0:9000'")


def test_make_demo_serves_on_loopback_by_default():
    assert demo_command().endswith("talentcloud demo --addr '127.0.0.1:8000'")
