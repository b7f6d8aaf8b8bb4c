"""分类标准 (#21): classification rules in the one rule language propose, for a generated population, the
highest grade whose rule holds — what the rules evaluated by hand (``rules.logic.evaluate``, in Python, talent
by talent) say for sampled talents. Nothing is applied until a member of staff confirms a proposal, which
certifies through the one service."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.certification.classification import classify, rule_save
from talentcloud.certification.models import Certification, Proposal
from talentcloud.certification.services import GRADES, proposal_confirm, proposal_dismiss
from talentcloud.common.errors import PermissionDenied, ValidationFailed
from talentcloud.rules.logic import TRUE, evaluate, fact_values, facts_used
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db

RULES = [
    ("A", "顶尖人才", {"all": [{"fact": "category", "op": "==", "value": "top_expert"}]}),
    (
        "B",
        "高层次博士",
        {
            "all": [
                {"fact": "highest_degree", "op": "==", "value": "doctor"},
                {"fact": "category", "op": "in", "value": ["high_end_team", "entrepreneur", "high_level"]},
            ]
        },
    ),
    (
        "C",
        "研究生",
        {
            "any": [
                {"fact": "highest_degree", "op": "in", "value": ["master", "doctor"]},
                {"fact": "tags", "op": "any_of", "value": ["博士后"]},
            ]
        },
    ),
    ("E", "青年人才", {"all": [{"fact": "category", "op": "==", "value": "young"}]}),
]


def population(employer, size: int = 120, seed: int = 21) -> list[Talent]:
    rng = random.Random(seed)
    made = []
    for i in range(size):
        made.append(
            Talent(
                name=f"测{i}",
                gender=rng.choice("MF"),
                birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40)),
                highest_degree=rng.choice(["junior_college", "bachelor", "master", "doctor"]),
                category=rng.choice(["top_expert", "high_end_team", "entrepreneur", "high_level", "young"]),
                employer=employer if rng.random() < 0.8 else None,
                tags=["博士后"] if rng.random() < 0.1 else [],
            )
        )
    return Talent.objects.bulk_create(made)


def by_hand(talent: Talent, rules: list, on: dt.date) -> str | None:
    """The highest grade whose rule holds for this talent, evaluated in Python."""
    for rule in sorted(rules, key=lambda r: GRADES.index(r.grade)):
        outcome = evaluate(rule.rule, fact_values(talent, facts_used(rule.rule), on), {}, on=on)
        if outcome.status == TRUE:
            return rule.grade
    return None


@pytest.fixture
def head(make_user):
    return make_user("talent-office-head", "320115-ZZB")


@pytest.fixture
def rules(head):
    start = timezone.localdate() - dt.timedelta(days=10)
    return [
        rule_save(
            actor=head,
            values={
                "grade": grade,
                "label": label,
                "rule": rule,
                "issuer": "江宁区人才工作领导小组办公室",
                "document_number": "江宁人才〔2026〕1号",
                "effective_from": start,
            },
        )
        for grade, label, rule in RULES
    ]


def test_the_proposals_match_the_rules_by_hand_and_nothing_is_applied(kfq_firm, head, rules, make_user):
    people = population(kfq_firm)
    already = people[0]
    Talent.objects.filter(pk=already.pk).update(grade="C")  # (test set-up) one already holds a grade
    today = timezone.localdate()

    result = classify(actor=head)
    proposals = dict(Proposal.objects.values_list("talent_id", "grade"))
    assert result.proposed == len(proposals) > 30
    sample = [*random.Random(5).sample(people, 40), already]
    for talent in sample:
        talent.refresh_from_db()
        expected = by_hand(talent, rules, today)
        if expected is None or expected == talent.grade:
            assert talent.pk not in proposals, talent.name
        else:
            assert proposals[talent.pk] == expected, talent.name
    # Proposed, never applied: no column changed, no certification recorded.
    assert Talent.objects.exclude(grade="").count() == 1
    assert not Certification.objects.exists()
    assert AuditEvent.objects.get(action="certification.classify").details["proposed"] == result.proposed

    # A second run replaces the pending proposals rather than piling them up.
    classify(actor=head)
    assert Proposal.objects.filter(status="pending").count() == len(proposals)

    office = make_user("talent-office", "320115-ZZB")
    first, second = Proposal.objects.order_by("pk")[:2]
    proposal_dismiss(actor=office, proposal=second)
    row = proposal_confirm(actor=office, proposal=first)
    talent = Talent.objects.get(pk=first.talent_id)
    assert talent.grade == first.grade
    assert (row.basis, row.rule_id) == ("rule", first.rule_id)
    assert Talent.objects.get(pk=second.talent_id).grade == ""
    assert set(Proposal.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        "confirmed",
        "dismissed",
    }


def test_only_the_office_head_writes_rules_and_a_bad_rule_is_named(head, make_user):
    office = make_user("talent-office", "320115-ZZB")
    values = {
        "grade": "B",
        "label": "x",
        "rule": {"fact": "highest_degree", "op": "==", "value": "doctor"},
        "issuer": "x",
        "effective_from": timezone.localdate(),
    }
    with pytest.raises(PermissionDenied):
        rule_save(actor=office, values=values)
    with pytest.raises(PermissionDenied):
        classify(actor=office)
    with pytest.raises(ValidationFailed) as refused:
        rule_save(actor=head, values={**values, "rule": {"fact": "no_such_fact", "op": "==", "value": 1}})
    assert "rule" in refused.value.fields
    assert rule_save(actor=head, values=values).version == 1
    assert rule_save(actor=head, values=values).version == 2
