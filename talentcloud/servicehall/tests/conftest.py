"""Service hall fixtures: the catalogue, a talent who applies, staff of the departments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from talentcloud.servicehall.models import Service
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import Talent


@pytest.fixture
def catalogue(units: Any) -> dict[str, Service]:
    catalogue_install()
    return {s.code: s for s in Service.objects.select_related("current")}


@pytest.fixture
def make_applicant(make_user: Any) -> Any:
    def make(grade: str = "C", **kwargs: Any) -> Any:
        user = make_user("talent", None)
        Talent.objects.create(
            name=kwargs.pop("name", "周申请"),
            gender="F",
            birth_date=dt.date(1990, 1, 1),
            highest_degree="doctor",
            category="high_level",
            grade=grade,
            account=user,
            **kwargs,
        )
        return user

    return make


@pytest.fixture
def applicant(make_applicant: Any) -> Any:
    return make_applicant()


@pytest.fixture
def zjj(make_user: Any) -> Any:
    """Window staff of the housing bureau (lead department of the housing subsidies)."""
    return make_user("service-staff", "320115-ZJJ")


@pytest.fixture
def czj(make_user: Any) -> Any:
    """Window staff of the finance bureau (joint department)."""
    return make_user("service-staff", "320115-CZJ")


FORM = {
    "house_address": "江宁区某小区 1 栋",
    "contract_date": "2026-03-02",
    "bank_account": "6222020000000000",
}
PDF = b"%PDF-1.4\n%test\n" + b"0" * 100
