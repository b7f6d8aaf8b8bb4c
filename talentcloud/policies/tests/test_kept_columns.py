"""A sweep keeps its coded columns, and a later sweep of the same day reads again only the subjects whose
facts changed since (``policies.kept``, ADR 0041). Its result is still the in-database scan's
(``sweep._scan_in_database``), for every kind of fact and whoever changed, arrived or left.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from talentcloud.policies import kept, vector
from talentcloud.policies.models import KeptColumn, Policy, SubjectChange, SubjectResult
from talentcloud.policies.sweep import SUBJECTS, _scan_columns, _scan_in_database, number_new
from talentcloud.policies.tasks import note_changes
from talentcloud.policies.tests.test_scan_coded_columns import ON, _clauses, _office_facts, _population
from talentcloud.talents.models import ContributionPeriod, Talent, month_index
from talentcloud.talents.services import talent_anonymise

pytestmark = pytest.mark.django_db
TALENTS = SUBJECTS["talent"]


def _policies() -> list[Policy]:
    clauses = _clauses()
    rules: list[dict[str, Any]] = [{"all": [clause]} for clause in clauses]
    rules += [{"any": [clauses[0], clauses[2], {"not": clauses[-1]}]}]
    policies = [
        Policy(code=f"p{i}", target="talent", rule=rule, benefit={"kind": "entitlement", "text": "—"})
        for i, rule in enumerate(rules)
    ]
    by_degree = {"by": "highest_degree", "table": {"doctor": 2000, "master": 1000.5}, "floor": 1}
    per_child = {"per": 500, "units": "children_under_6", "max_units": 1, "cap": 400}
    for i, amount in enumerate([by_degree, per_child]):
        benefit = {"kind": "money", "amount": amount, "period": "month", "months": 12}
        policies.append(Policy(code=f"paid{i}", target="talent", rule=rules[i], benefit=benefit))
    return policies


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many subjects each read of coded columns read, from now on."""
    counts: list[int] = []
    original = vector.read

    def counted(plan: vector.Plan) -> vector.Read:
        found = original(plan)
        counts.append(len(found["n"][0]))
        return found

    monkeypatch.setattr(vector, "read", counted)
    return counts


def _same_as_the_database(columns: list[np.ndarray], policies: list[Policy], on: dt.date) -> None:
    mine = np.stack(columns, axis=1)
    reference = _scan_in_database(TALENTS, policies, {}, on)
    mine, reference = mine[np.argsort(mine[:, 0])], reference[np.argsort(reference[:, 0])]
    assert np.array_equal(mine, reference)


@pytest.fixture
def policies(kfq_firm: Any) -> list[Policy]:
    """The population of ``test_scan_coded_columns`` (every kind of fact, unknown values) and its rules."""
    _office_facts()
    _population(kfq_firm)
    return _policies()


def test_a_second_sweep_of_the_day_reads_again_only_whose_facts_changed(policies, monkeypatch):
    everyone = Talent.objects.filter(restricted=False).count()
    reads = _reads(monkeypatch)
    first = _scan_columns(TALENTS, policies, {}, ON, keep=True)
    assert reads == [everyone]
    _same_as_the_database(first, policies, ON)
    assert KeptColumn.objects.filter(target="talent", on=ON).count() > 10
    # Since: an archive edited, social insurance recorded (a fact from another table), both noted as the
    # services note them; someone new; someone restricted to storage.
    talents = list(Talent.objects.order_by("pk"))
    Talent.objects.filter(pk=talents[3].pk).update(highest_degree="doctor", grade="A", owns_home_in_city=True)
    ContributionPeriod.objects.create(
        talent=talents[4], first_month=month_index(ON) - 40, last_month=None, source="staff"
    )
    note_changes("talent", [talents[3].pk, talents[4].pk])
    Talent.objects.create(name="新来", gender="F", highest_degree="doctor", birth_date=dt.date(1990, 5, 1))
    number_new()
    Talent.objects.filter(pk=talents[5].pk).update(restricted=True)
    reads.clear()
    again = _scan_columns(TALENTS, policies, {}, ON, keep=True)
    assert reads == [3]  # the two changed and the new one (who is read now: their numbers alone)
    _same_as_the_database(again, policies, ON)
    # The notes taken (the re-evaluation stored its results at an earlier moment than this read): nothing
    # has changed since, nothing is read again.
    SubjectChange.objects.all().delete()
    reads.clear()
    third = _scan_columns(TALENTS, policies, {}, ON, keep=True)
    assert reads == []
    _same_as_the_database(third, policies, ON)
    # Re-evaluated after the last read: read again.
    SubjectResult.objects.create(
        target="talent", number=talents[6].sweep_number.number, on=ON, read_at=timezone.now()
    )
    reads.clear()
    _same_as_the_database(_scan_columns(TALENTS, policies, {}, ON, keep=True), policies, ON)
    assert reads == [1]


def test_another_day_a_new_policy_or_too_many_changes_read_everyone(policies, monkeypatch):
    everyone = Talent.objects.filter(restricted=False).count()
    reads = _reads(monkeypatch)
    _scan_columns(TALENTS, policies, {}, ON, keep=True)
    # a policy published since, on a fact no other reads: its column alone is read for everyone, the others
    # come from what was kept
    rule = {"all": [{"fact": "category", "op": "==", "value": "young"}]}
    benefit = {"kind": "entitlement", "text": "—"}
    policies.append(Policy(code="new", target="talent", rule=rule, benefit=benefit))
    reads.clear()
    _same_as_the_database(_scan_columns(TALENTS, policies, {}, ON, keep=True), policies, ON)
    assert reads == [everyone]  # the new columns, for everyone
    # the next day: everything again (the day's first sweep reconciles what no hook noted)
    tomorrow = ON + dt.timedelta(days=1)
    Talent.objects.filter(name="丙7").update(highest_degree="doctor")  # not noted
    reads.clear()
    _same_as_the_database(_scan_columns(TALENTS, policies, {}, tomorrow, keep=True), policies, tomorrow)
    assert reads == [everyone]
    assert set(KeptColumn.objects.values_list("on", flat=True)) == {tomorrow}
    # more changes than it keeps reading for: everyone
    monkeypatch.setattr(kept, "KEEP_AT_MOST", 1)
    note_changes("talent", list(Talent.objects.values_list("pk", flat=True)[:2]))
    reads.clear()
    _same_as_the_database(_scan_columns(TALENTS, policies, {}, tomorrow, keep=True), policies, tomorrow)
    assert reads == [everyone]


def test_an_anonymised_archive_takes_the_kept_columns_with_it(policies):
    """The kept columns hold everyone's facts as read (a birth date as a day number): anonymising an archive
    drops them, and the next sweep reads everyone again."""
    _scan_columns(TALENTS, policies, {}, ON, keep=True)
    assert KeptColumn.objects.filter(target="talent").exists()
    talent_anonymise(Talent.objects.order_by("pk")[0])
    assert not KeptColumn.objects.filter(target="talent").exists()
