from __future__ import annotations

import pytest

from talentcloud.policies.loader import library_install
from talentcloud.recruitment.tests.conftest import rworld  # noqa: F401 (a fixture this app's tests share)

from .world import build


@pytest.fixture
def cworld(rworld, make_user):  # noqa: F811
    return build(rworld, make_user)


@pytest.fixture
def library(db):
    library_install()
