"""Schemathesis over the whole API, in process (the Django WSGI application, no server).

Every operation of the OpenAPI document gets generated requests, valid and invalid ones, anonymously and
with the bearer token of a staff member who sees everything (the talent office) over some data. No answer may
be a server error, and every status code answered must be one the document lists for that operation.
Examples per operation are bounded (``EXAMPLES``; anonymously, ``REFUSED_EXAMPLES`` where the operation needs
authentication) so that a run stays within minutes on a small machine.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import status_code_conformance

from talentcloud.accounts.services import token_create
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db

# Per operation and generation mode; SCHEMATHESIS_EXAMPLES=200 for a deeper run by hand.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "20"))
# Anonymously, an operation that needs authentication refuses every request before reading its input
# (django-ninja checks authentication first: 401 whatever was generated), so a few examples per mode show
# that it answers no server error and a documented status; public operations get ``EXAMPLES``.
REFUSED_EXAMPLES = int(os.environ.get("SCHEMATHESIS_REFUSED_EXAMPLES", "4"))
CHECKS = [not_a_server_error, status_code_conformance]


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Requests through the WSGI application run inside the test's transaction, as the test client's do:
    Django would otherwise close the connection (and with it the transaction) at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def office_token(units: Any, make_user: Any, kfq_firm: Any) -> str:
    """A talent-office member's token (scope: all) over a talent, an enterprise and the service catalogue."""
    Talent.objects.create(
        name="测试人才",
        employer=kfq_firm,
        gender="F",
        birth_date=dt.date(1990, 5, 1),
        highest_degree="master",
        category="young",
    )
    catalogue_install()
    office = make_user("talent-office", "320115-ZZB", username="fuzz-office")
    _token, clear = token_create(actor=office, name="schemathesis", console=True)
    return clear


def probe_operation(
    operation: Any, mode: Any, headers: dict[str, str], problems: list[str], examples: int = EXAMPLES
) -> None:
    """Up to ``examples`` generated requests to one operation; each failed check is added to ``problems``."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def probe(case: Any) -> None:
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as failures:
            problems.append(f"{operation.label} [{mode.value}]: {str(failures)[:1500]}")

    try:
        probe()
    except Unsatisfiable:
        # No invalid request exists for an operation without parameters or body.
        assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label


def run_schemathesis(headers: dict[str, str]) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    problems: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 50
    for operation in operations:
        refused = not headers and bool(operation.definition.raw.get("security"))
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            probe_operation(operation, mode, headers, problems, REFUSED_EXAMPLES if refused else EXAMPLES)
    return problems


def test_api_anonymous_no_server_error_no_undocumented_status(in_test_transaction: None, units: Any) -> None:
    problems = run_schemathesis({})
    assert not problems, "\n\n".join(problems)


def test_api_with_token_no_server_error_no_undocumented_status(
    in_test_transaction: None, office_token: str
) -> None:
    problems = run_schemathesis({"Authorization": f"Bearer {office_token}"})
    assert not problems, "\n\n".join(problems)
