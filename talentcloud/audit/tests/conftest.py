"""The audit tests' shared clean-up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .test_chain import DROPPED, restore_protection


@pytest.fixture(autouse=True)
def _audit_protection_back(django_db_blocker: Any) -> Iterator[None]:
    """A test that dropped the audit tables' protection (``test_chain.drop_protection``) has it back once it
    ends, so that a test after it on the same database (any order: the suite runs in parallel) finds the
    triggers that refuse an update."""
    yield
    if DROPPED:
        DROPPED.clear()
        with django_db_blocker.unblock():
            restore_protection()
