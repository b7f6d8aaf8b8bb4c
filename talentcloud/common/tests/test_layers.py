"""The layers are contracts: `lint-imports` (run by the gate) refuses an upward import, and the layer list in
docs/architecture.md is the one the contract checks."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return layers


def _copy_of_the_project(to: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "templates", "static", "locale", "*.pyc", "*.html")
    for package in ("talentcloud", "config"):
        shutil.copytree(ROOT / package, to / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", to / "pyproject.toml")


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is a dev dependency")
def test_an_upward_import_breaks_the_contract(tmp_path):
    _copy_of_the_project(tmp_path)
    kept = _lint(tmp_path)
    assert kept.returncode == 0, kept.stdout + kept.stderr

    # a kernel module that reaches up into a domain app
    (tmp_path / "talentcloud" / "common" / "upward_probe.py").write_text(
        "from talentcloud.policies import models  # noqa\n"
    )
    broken = _lint(tmp_path)
    assert broken.returncode != 0
    assert "talentcloud.common is not allowed to import talentcloud.policies" in broken.stdout
    assert "talentcloud.common.upward_probe -> talentcloud.policies" in broken.stdout


def test_the_layer_diagram_in_the_docs_is_the_contract():
    text = (ROOT / "docs" / "architecture.md").read_text()
    block = re.search(r"<!-- layers -->\n```\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no <!-- layers --> block"
    drawn = []
    for line in block.group(1).splitlines():
        # "platform   notifications | infra" -> "talentcloud.notifications | talentcloud.infra"
        cells = line.split("  ")[-1].strip() if "  " in line else line.strip()
        if not cells:
            continue
        drawn.append(
            " | ".join(p if p == "config" else f"talentcloud.{p}" for p in re.split(r"\s*\|\s*", cells))
        )
    assert drawn == contract_layers()
