"""Enable the scratch app for one test: ``with scratch_app(): ...`` (declarations re-discovered on entry and
on exit)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.test import override_settings

SCRATCH_APP = "talentcloud.common.tests.scratchapp"


@contextmanager
def scratch_app() -> Iterator[None]:
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, SCRATCH_APP]):
        yield
