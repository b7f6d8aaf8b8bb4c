"""Enterprises for tests: by default in the Jiangning Development Zone (park) on 秣陵 street; ``in_gxq`` puts
one in the high-tech zone on 麒麟 street, ``park=None`` outside any park (units seeded: the ``units``
fixture)."""

from __future__ import annotations

import factory

from talentcloud.accounts.tests.factories import unit
from talentcloud.enterprises.models import Enterprise


def credit_code(serial: int) -> str:
    """A unified social credit code of the district's pattern (tests use the shape, not the check digit)."""
    return f"91320115MA1T{serial:06d}"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    class Params:
        park_code = "320115-P-KFQ"
        street_code = "320115-S-ML"
        in_gxq = factory.Trait(park_code="320115-P-GXQ", street_code="320115-S-QL")

    name = factory.Sequence(lambda n: f"测试企业{n}")
    credit_code = factory.Sequence(credit_code)
    park = factory.LazyAttribute(lambda o: unit(o.park_code))
    street = factory.LazyAttribute(lambda o: unit(o.street_code))
