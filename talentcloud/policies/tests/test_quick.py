"""The anonymous calculator asks the most deciding question next and settles policies answer by answer."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from talentcloud.policies.loader import library_install
from talentcloud.servicehall.seed import catalogue_install

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(units):
    cache.clear()
    catalogue_install()
    library_install()
    yield
    cache.clear()


def asked(page: str) -> str:
    return re.search(r'name="(\w+)" id="q-', page).group(1)  # type: ignore[union-attr]


def test_questions_narrow_the_policies_down(library):
    client = Client()
    first = client.get("/policies/quick/").content.decode()
    assert asked(first) == "grade"  # grade decides the most policies of the library
    undecided = int(re.search(r'data-testid="undecided">\D*(\d+)', first).group(1))  # type: ignore[union-attr]
    page = client.get("/policies/quick/?grade=B").content.decode()
    now = int(re.search(r'data-testid="undecided">\D*(\d+)', page).group(1))  # type: ignore[union-attr]
    assert now < undecided
    assert 'data-testid="quick-school-place"' in page  # grade B: a school place
    assert asked(page) != "grade"
    ignored = client.get("/policies/quick/?grade=Z&age=abc").content.decode()
    assert asked(ignored) == "grade"  # malformed answers are dropped, not errors


def test_it_is_rate_limited(library, settings):
    settings.RATELIMIT_CALCULATOR = "3/m"
    client = Client()
    codes = [client.get("/policies/quick/").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200]
    assert 403 in codes[3:] or 429 in codes[3:]
