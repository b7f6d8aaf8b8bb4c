"""Objects for the engine's tests: service-hall cases (the engine needs a model with a state and a revision;
the case is one, so no test-only model and no migration), driven by a tiny table of the tests' own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case, Service
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import Talent


@pytest.fixture
def owner(make_user: Any) -> Any:
    user = make_user("talent", None)
    Talent.objects.create(
        name="周引擎",
        gender="F",
        birth_date=dt.date(1990, 1, 1),
        highest_degree="doctor",
        category="high_level",
        grade="C",
        account=user,
    )
    return user


@pytest.fixture
def make_case(units: Any, owner: Any) -> Callable[..., Case]:
    """A draft case of the owner's (policy consultation), put in ``state`` directly when asked."""
    catalogue_install()
    service = Service.objects.get(code="policy-consultation")
    made = iter(range(1, 10_000))

    def make(state: str = "draft") -> Case:
        case = cases.case_draft_save(
            actor=owner, service=service, data={"question": "引擎测试"}, idempotency_key=f"wf{next(made)}"
        )
        if state != "draft":
            Case.objects.filter(pk=case.pk).update(state=state)
            case.refresh_from_db()
        return case

    return make
