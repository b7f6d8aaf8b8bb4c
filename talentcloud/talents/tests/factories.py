"""Talents for tests: a young master's graduate born in 1990, by default without an employer; ``employed``
gives one an employer in a park (``EnterpriseFactory``), ``with_account`` a talent account (units seeded:
the ``units`` fixture)."""

from __future__ import annotations

import datetime as dt

import factory

from talentcloud.accounts.tests.factories import UserFactory
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.talents.models import Talent


class TalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talent

    class Params:
        employed = factory.Trait(employer=factory.SubFactory(EnterpriseFactory))
        with_account = factory.Trait(account=factory.SubFactory(UserFactory, role="talent", unit=None))

    name = factory.Sequence(lambda n: f"人才{n}")
    gender = "F"
    birth_date = dt.date(1990, 1, 1)
    highest_degree = "master"
    category = "young"
