"""Policies for tests: a published talent policy with a rule (grade A to C) and a monthly benefit; pass
``rule``, ``benefit``, ``exclusion_group``, ``yearly_budget``, ``status`` … to change them."""

from __future__ import annotations

import datetime as dt

import factory

from talentcloud.policies.models import Policy, PolicyStatus


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Policy

    code = factory.Sequence(lambda n: f"test-policy-{n}")
    version = 1
    status = PolicyStatus.PUBLISHED
    title = factory.LazyAttribute(lambda o: f"测试政策 {o.code}")
    issuer = "江宁区人才工作领导小组办公室"
    target = "talent"
    effective_from = dt.date(2024, 1, 1)
    rule = factory.LazyFunction(lambda: {"fact": "grade", "op": "in", "value": ["A", "B", "C"]})
    benefit = factory.LazyFunction(lambda: {"kind": "money", "amount": 1000, "period": "month", "months": 12})
