"""Accounts for tests: org units and users with a role in a unit (``units`` must have seeded the tree and the
role catalogue: ``talentcloud/conftest.py``; its ``make_user`` fixture is ``UserFactory``)."""

from __future__ import annotations

from typing import Any

import factory

from talentcloud.accounts.models import OrgUnit, Role, User
from talentcloud.accounts.services import orgunit_create, user_create

PASSWORD = "Vx7-Plum-Q9rk-Lotus"
DISTRICT = "320115"


def unit(code: str | None) -> OrgUnit | None:
    """A seeded unit by its code ("320115-P-KFQ"), None for none."""
    return OrgUnit.objects.get(code=code) if code else None


class OrgUnitFactory(factory.django.DjangoModelFactory):
    """A unit under the district (or ``parent``), made as the console does (its path set)."""

    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"{DISTRICT}-T{n:03d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = "department"
    parent = factory.LazyFunction(lambda: unit(DISTRICT))

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> OrgUnit:
        return orgunit_create(actor=None, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    """A user holding ``role`` (a role code) in ``unit`` (a unit code; None: no unit, as talents and
    enterprise accounts), made by ``accounts.services.user_create`` with the tests' password."""

    class Meta:
        model = User

    role = "talent-office"
    unit = "320115-ZZB"
    username = factory.LazyAttributeSequence(lambda o, n: f"{o.role}-f{n}")

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> User:
        role, code = kwargs.pop("role"), kwargs.pop("unit")
        return user_create(
            actor=None,
            password=PASSWORD,
            unit=unit(code),
            roles=[Role.objects.get(code=role)],
            **kwargs,
        )
