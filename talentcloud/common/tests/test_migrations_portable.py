"""Migrations must not carry anything of the machine that made them (a storage location, a path)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def test_no_machine_paths_in_migrations():
    root = Path(settings.BASE_DIR) / "talentcloud"
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/migrations/*.py")
        if "PurePosixPath(" in path.read_text() or str(settings.BASE_DIR) in path.read_text()
    ]
    assert offenders == []
