"""免申即享 between sweeps (ADR 0018): a change to a talent's facts is noted, re-evaluated against every
policy in force and shown in their list at once; the person is told once; the next sweep finds nothing left to
change; a change made while a sweep runs is neither lost nor told twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from talentcloud.notifications.models import Notification
from talentcloud.policies.models import (
    STATE_CODES,
    Policy,
    SubjectChange,
    SubjectResult,
    SweepResult,
    TalentNumber,
)
from talentcloud.policies.sweep import amounts_of, reevaluate, reevaluate_pending, sweep
from talentcloud.talents.models import FactRecord, Talent, VerifiedFacts
from talentcloud.talents.services import archive

from .test_sweep import ON, population, statuses

pytestmark = pytest.mark.django_db


def review_all(staff, talent) -> None:
    """Staff accept every fact the talent declared themselves (the fact review page's decision)."""
    for record in FactRecord.objects.filter(talent=talent, source="self"):
        archive.fact_review(actor=staff, record_id=record.pk, accept=True)


def told(talent) -> list[str]:
    rows = Notification.objects.filter(recipient=talent.account, event__startswith="policy.")
    return sorted(rows.values_list("event", flat=True))


def swept(talent) -> dict[str, str]:
    """What the newest finished run's arrays hold for the talent (without the re-evaluation)."""
    number = TalentNumber.objects.get(talent=talent).number
    found = {}
    for result in SweepResult.objects.filter(run__status="done", target="talent").order_by("run_id"):
        state = bytes(result.state)
        found[result.policy_code] = STATE_CODES.get(state[number]) if number < len(state) else None
    return {code: status for code, status in found.items() if status}


def test_a_fact_review_keeps_the_verified_facts_current(kfq_firm, make_user):
    verified, declared = population(kfq_firm, make_user)
    assert VerifiedFacts.objects.get(talent=declared).mask == 0
    assert VerifiedFacts.objects.get(talent=verified).mask == 0b11111
    review_all(make_user("park-staff", "320115-P-KFQ"), declared)
    accepted = ("highest_degree", "graduated_on", "owns_home_in_city", "employer")
    assert VerifiedFacts.objects.get(talent=declared).mask == sum(VerifiedFacts.bit(k) for k in accepted)


def test_a_change_is_reevaluated_told_once_and_the_next_sweep_changes_nothing(kfq_firm, make_user):
    verified, declared = population(kfq_firm, make_user)
    sweep(on=ON)
    assert statuses(talent=declared)["talent-apartment"] == "verify_first"
    before = told(declared)
    review_all(make_user("park-staff", "320115-P-KFQ"), declared)
    assert SubjectChange.objects.filter(subject_id=str(declared.pk)).exists()  # noted by the review
    done = reevaluate_pending(on=ON)
    assert done.stored == 1
    assert not SubjectChange.objects.exists()
    now = statuses(talent=declared)
    assert now["talent-apartment"] == "granted"  # shown at once, before any sweep
    assert swept(declared)["talent-apartment"] == "verify_first"  # the run's arrays are untouched
    after = told(declared)
    new = Counter(after) - Counter(before)
    assert new["policy.granted_entitlement"] == 1  # the apartment: told once, by the re-evaluation
    assert sum(new.values()) <= sum(status == "granted" for status in now.values())
    own = SubjectResult.objects.get()
    kept = {code: STATE_CODES[state] for _pid, code, state, _day in own.results if state}
    assert reevaluate("talent", [declared.pk], on=ON).told == 0  # evaluating again tells nobody

    run = sweep(on=ON)
    assert swept(declared) == kept  # the sweep finds what the re-evaluation found …
    assert statuses(talent=declared) == now
    assert told(declared) == after  # … and tells nobody again
    assert not SubjectResult.objects.exists()  # caught up: the run stands for the person again
    assert run.status == "done"
    assert statuses(talent=verified)["housing-purchase-subsidy"] == "granted"


def test_a_change_during_a_sweep_is_neither_lost_nor_told_twice(kfq_firm, make_user):
    _verified, declared = population(kfq_firm, make_user)
    sweep(on=ON)
    before = told(declared)
    running = sweep(on=ON, stop_after="talent")  # the talents are read; the run is not finished
    review_all(make_user("park-staff", "320115-P-KFQ"), declared)
    assert reevaluate_pending(on=ON).told >= 1
    after = told(declared)
    assert "policy.granted_entitlement" in set(after) - set(before)
    finished = sweep(on=ON)
    assert finished.pk == running.pk
    assert finished.status == "done"
    # The run read the facts before the change: its arrays still say "verify first", the person's result
    # from after it began stands in for them (not lost) and the run told nobody again.
    assert swept(declared)["talent-apartment"] == "verify_first"
    assert statuses(talent=declared)["talent-apartment"] == "granted"
    assert told(declared) == after
    sweep(on=ON)  # the next run reads the new facts
    assert swept(declared)["talent-apartment"] == "granted"
    assert not SubjectResult.objects.exists()
    assert told(declared) == after


def test_a_change_noted_before_a_sweep_and_evaluated_after_it_tells_nobody_again(kfq_firm, make_user):
    _verified, declared = population(kfq_firm, make_user)
    review_all(make_user("park-staff", "320115-P-KFQ"), declared)
    sweep(on=ON)  # began after the change: it read the new facts and told the person
    count = len(told(declared))
    assert statuses(talent=declared)["talent-apartment"] == "granted"
    assert reevaluate_pending(on=ON).told == 0
    assert len(told(declared)) == count
    assert statuses(talent=declared)["talent-apartment"] == "granted"


@pytest.mark.parametrize(("budget", "expected"), [(33000, "budget_exhausted"), (34000, "granted")])
def test_a_reevaluated_claim_is_queued_behind_the_runs_claims_with_their_amounts(
    kfq_firm, make_user, budget, expected
):
    """A budgeted policy whose amount depends on the person: the run keeps each claim's yearly amount, and a
    person re-evaluated after it is within the budget only when the run's claims ahead (six doctors at 5,000
    a year) and their own (a master's 4,000) fit; the next sweep decides the same."""
    population(kfq_firm, make_user)
    table = {"kind": "money", "amount": {"by": "highest_degree", "table": {"doctor": 5000, "master": 4000}}}
    Policy.objects.filter(code="elite-skills-subsidy").update(
        benefit={**table, "period": "year"}, yearly_budget=Decimal(budget)
    )
    sweep(on=ON)
    run_result = SweepResult.objects.get(run__status="done", policy_code="elite-skills-subsidy")
    kept = amounts_of(run_result)
    doctors = TalentNumber.objects.filter(talent__tier="elite").values_list("number", flat=True)
    assert sorted(int(kept[n]) for n in doctors) == [500000] * 6  # fen a year, one per claim
    late = Talent.objects.create(
        name="丁·后来",
        gender="M",
        birth_date=dt.date(1994, 1, 1),
        category="young",
        employer=kfq_firm,
        highest_degree="master",
        tier="elite",
    )
    assert reevaluate("talent", [late.pk], on=ON).stored == 1
    listed = statuses(talent=late).get("elite-skills-subsidy")  # the calculator lists granted ones only
    assert listed == (expected if expected == "granted" else None)
    mine = SubjectResult.objects.get(number=TalentNumber.objects.get(talent=late).number).results
    stored = {code: STATE_CODES.get(state) for _pid, code, state, _day in mine}
    assert stored["elite-skills-subsidy"] == expected
    notices = Notification.objects.count()
    sweep(on=ON)
    assert swept(late)["elite-skills-subsidy"] == expected  # the sweep decides as the re-evaluation did
    assert Notification.objects.count() == notices
