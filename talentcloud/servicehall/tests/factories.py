"""Service hall for tests: a service of the seeded catalogue (installed on first use) and cases made through
the hall's own services (a draft by ``case_draft_save``; ``submitted`` submits it by ``case_submit``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from talentcloud.accounts.tests.factories import UserFactory
from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case, Service
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.tests.factories import TalentFactory


def service(code: str) -> Service:
    """A service of the seeded catalogue by its code (the catalogue installed if it is not yet)."""
    found = Service.objects.select_related("current").filter(code=code).first()
    if found is None:
        catalogue_install()
        found = Service.objects.select_related("current").get(code=code)
    return found


def applicant(grade: str = "C", **talent: Any) -> Any:
    """A talent's account with an archive (a doctor of the high-level category, grade ``grade``)."""
    user = UserFactory.create(role="talent", unit=None)
    TalentFactory.create(
        account=user,
        highest_degree="doctor",
        category="high_level",
        grade=grade,
        birth_date=dt.date(1990, 1, 1),
        **talent,
    )
    return user


class CaseFactory(factory.django.DjangoModelFactory):
    """A case in ``service`` (a code) by ``applicant`` (a user; by default a new talent's account), with the
    form answers ``data``: a draft, or submitted with ``submitted=True``."""

    class Meta:
        model = Case

    service = "housing-purchase-subsidy"
    applicant = factory.LazyFunction(applicant)
    data = factory.LazyFunction(dict)
    submitted = False
    key = factory.Sequence(lambda n: f"factory-{n}")

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Case:
        hall = service(kwargs["service"])
        made = cases.case_draft_save(
            actor=kwargs["applicant"], service=hall, data=kwargs["data"], idempotency_key=kwargs["key"]
        )
        if kwargs["submitted"]:
            made = cases.case_submit(
                actor=kwargs["applicant"], service=hall, data={}, idempotency_key=kwargs["key"], case=made
            )
        return made
