"""免申即享 sweep: verified facts grant, self-declared ones ask for verification, 就高不重复, budgets, notices
once; a second sweep adds nothing; a sweep killed midway (for real: kill -9) and rerun equals an
uninterrupted one."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from talentcloud.audit.models import AuditEvent
from talentcloud.infra.jobs import job_exclusive
from talentcloud.infra.tests.processes import ROOT, child_env
from talentcloud.notifications.models import Notification
from talentcloud.policies import sweep as sweep_module
from talentcloud.policies.loader import library_install
from talentcloud.policies.models import STATE_CODES, Policy, SweepResult, SweepRun, TalentNumber
from talentcloud.policies.notification_events import NOTIFICATION_EVENTS
from talentcloud.policies.sweep import found_for, run_results, since_of, sweep
from talentcloud.policies.tasks import sweep_task
from talentcloud.servicehall.models import Case
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.changes import facts_changed, verified_refresh
from talentcloud.talents.consents import consent_set
from talentcloud.talents.models import FactRecord, Talent

ON = dt.date(2026, 6, 1)


def population(kfq_firm, make_user):
    catalogue_install()
    library_install()
    base = {"gender": "F", "birth_date": dt.date(1993, 1, 1), "category": "young", "employer": kfq_firm}
    verified = Talent.objects.create(
        name="甲·已核实",
        highest_degree="master",
        grade="C",
        owns_home_in_city=False,
        graduated_on=dt.date(2025, 7, 1),
        social_insurance_since=dt.date(2024, 3, 1),
        account=make_user("talent", None),
        **base,
    )
    declared = Talent.objects.create(
        name="乙·自报",
        highest_degree="master",
        owns_home_in_city=False,
        graduated_on=dt.date(2025, 7, 1),
        social_insurance_since=dt.date(2024, 3, 1),
        account=make_user("talent", None),
        **base,
    )
    for key, value in (
        ("highest_degree", "master"),
        ("owns_home_in_city", False),
        ("graduated_on", "2025-07-01"),
        ("employer", str(kfq_firm.pk)),
    ):
        FactRecord.objects.create(
            talent=verified, key=key, value=value, source="authority", as_of=ON, verified=True
        )
        FactRecord.objects.create(
            talent=declared, key=key, value=value, source="self", as_of=ON, verified=False
        )
    FactRecord.objects.create(
        talent=verified,
        key="social_insurance_since",
        value="2024-03-01",
        source="authority",
        as_of=ON,
        verified=True,
    )
    verified_refresh([verified.pk, declared.pk])  # what the archive's services do after writing facts
    for i in range(6):
        Talent.objects.create(name=f"丙{i}", highest_degree="doctor", grade="B", tier="elite", **base)
    return verified, declared


def statuses(**subject):
    return {f.policy.code: f.status for f in found_for(**subject)}


def snapshot():
    """Everything the newest finished sweep found: (policy, talent, status, eligibility day if kept)."""
    run = SweepRun.objects.filter(status="done").order_by("-pk").first()
    names = dict(TalentNumber.objects.values_list("number", "talent__name"))
    rows = []
    for result in SweepResult.objects.filter(run=run, target="talent"):
        since = since_of(result)
        for number, code in enumerate(bytes(result.state)):
            if code:
                day = int(since[number]) if len(since) else None
                rows.append((result.policy_code, names[number], STATE_CODES[code], day))
    return sorted(rows)


@pytest.mark.django_db
def test_sweep_grants_asks_excludes_budgets_and_a_rerun_adds_nothing(kfq_firm, make_user):
    verified, declared = population(kfq_firm, make_user)
    Policy.objects.filter(code="elite-skills-subsidy").update(yearly_budget=Decimal(15000))  # three of six
    run = sweep(on=ON)
    assert run.status == "done"
    mine = statuses(talent=verified)
    assert mine["housing-purchase-subsidy"] == "granted"  # grade C, employed: 800,000 once
    assert "graduate-rental-subsidy" not in mine  # same group, less:
    assert ("graduate-rental-subsidy", verified.name, "excluded") in [row[:3] for row in snapshot()]
    # Self-declared: the best of the group (the apartment) awaits verification; the rental subsidy lost the
    # group whatever is verified, so it is not asked for (the calculator says excluded too).
    assert statuses(talent=declared)["talent-apartment"] == "verify_first"
    assert ("graduate-rental-subsidy", declared.name, "excluded") in [row[:3] for row in snapshot()]
    elite = [status for code, _name, status, _day in snapshot() if code == "elite-skills-subsidy"]
    assert sorted(elite) == ["budget_exhausted"] * 3 + ["granted"] * 3
    assert SweepResult.objects.get(run=run, policy_code="elite-skills-subsidy").exhausted == 3
    notices = Notification.objects.filter(event="policy.granted")
    assert notices.filter(recipient=verified.account).exists()
    assert not notices.filter(recipient=declared.account).exists()

    page = Client()
    page.force_login(verified.account)
    assert (
        "人才购房补贴"
        in page.get("/policies/calculator/").content.decode().split('data-testid="entitlements"')[1]
    )
    before, count = snapshot(), notices.count()
    again = sweep(on=ON)
    assert again.new == 0
    assert snapshot() == before
    assert notices.count() == count


@pytest.mark.django_db
def test_a_stopped_sweep_resumes_to_the_same_result(kfq_firm, make_user):
    population(kfq_firm, make_user)
    partial = sweep(on=ON, stop_after="talent")
    assert partial.status == "running"
    assert 0 < len(partial.done) < partial.total  # the talents' results are stored, the enterprises' not
    assert not Notification.objects.filter(event__startswith="policy.").exists()
    resumed = sweep(on=ON)
    assert resumed.pk == partial.pk
    assert resumed.status == "done"
    result = snapshot()
    told = sorted(Notification.objects.values_list("recipient", "event"))
    SweepRun.objects.all().delete()
    Notification.objects.all().delete()
    sweep(on=ON)
    assert snapshot() == result
    assert sorted(Notification.objects.values_list("recipient", "event")) == told


@pytest.mark.django_db
def test_a_resumed_run_keeps_its_arrays_until_two_newer_runs_are_done(kfq_firm, make_user):
    """Only the newest two finished runs keep their arrays (``sweep.KEEP_ARRAYS``; the one before is what a
    sweep reads against): a resumed run's arrays, talents' and enterprises', are emptied once two more sweeps
    are done, its counts stay. A test comparing a resumed run's arrays must let no further sweep finish
    twice before it reads them (``test_sweep_scheduled_processes``)."""
    population(kfq_firm, make_user)
    sweep(on=ON, stop_after="talent")
    resumed = sweep(on=ON)
    rows = SweepResult.objects.filter(run=resumed).order_by("target", "policy_code")
    arrays = list(rows.values_list("target", "policy_code", "state"))
    tallies = ("policy_code", "granted", "verify_first", "excluded", "exhausted", "new")
    counts = list(rows.values_list(*tallies))
    assert {target for target, _code, _state in arrays} == {"talent", "enterprise"}
    assert all(bytes(state) for _target, _code, state in arrays)
    assert any(c[1] for c in counts)

    sweep(on=ON)  # the resumed run is the one before the newest: kept
    assert list(rows.values_list("target", "policy_code", "state")) == arrays
    sweep(on=ON)  # two newer runs done: its arrays are emptied, its counts stay
    assert set(rows.values_list("state", "since")) == {(b"", b"")}
    assert list(rows.values_list(*tallies)) == counts
    page = run_results(run=resumed, viewer=make_user("talent-office"))
    assert [(r["policy_code"], r["granted"]) for r in page] == sorted((c[0], c[1]) for c in counts)


SLOW_SWEEP = """
import time
from talentcloud.policies import sweep as module
original = module._reach_new
def slow(run):
    told = original(run)
    time.sleep(30)  # the notices are written, not yet committed: the kill lands here
    return told
module._reach_new = slow
module.sweep(on=__import__("datetime").date(2026, 6, 1))
"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.processes
def test_a_sweep_killed_midway_resumes_to_the_same_result(kfq_firm, make_user):
    population(kfq_firm, make_user)
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", SLOW_SWEEP],
        env=child_env({}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run = SweepRun.objects.first()
            if run is not None and run.total and len(run.done) == run.total:
                time.sleep(1)
                break
            time.sleep(0.1)
        child.send_signal(signal.SIGKILL)
    finally:
        output = child.communicate(timeout=30)[0].decode(errors="replace")
    run = SweepRun.objects.get()
    assert run.status == "running", output
    assert len(run.done) == run.total  # every result stored; telling the newly granted was cut off
    assert not Notification.objects.filter(event__startswith="policy.").exists()
    resumed = sweep(on=ON)
    assert resumed.pk == run.pk
    result = snapshot()
    told = sorted(Notification.objects.values_list("recipient", "event"))
    SweepRun.objects.all().delete()
    Notification.objects.all().delete()
    sweep(on=ON)
    assert snapshot() == result
    assert sorted(Notification.objects.values_list("recipient", "event")) == told
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.django_db
def test_staff_start_a_sweep_from_the_page_and_read_its_results(
    kfq_firm, make_user, login, django_capture_on_commit_callbacks
):
    verified, _declared = population(kfq_firm, make_user)
    office = login(make_user("talent-office"))
    assert 'data-testid="sweep-start"' in office.get("/policies/manage/sweeps/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = office.post("/policies/manage/sweeps/")
    run = SweepRun.objects.get()
    assert started.status_code == 302
    assert started["Location"] == f"/policies/manage/sweeps/{run.pk}/"
    run.refresh_from_db()
    assert run.status == "done"
    assert run.percent == 100
    page = office.get(started["Location"]).content.decode()
    results = page.split('data-testid="sweep-results"')[1].split("</table>")[0]
    assert "人才购房补贴" in results
    assert 'hx-trigger="every 1s"' not in page  # done: no more polling
    other = login(make_user("park-staff", "320115-P-GXQ"))
    assert other.get(started["Location"]).status_code == 403  # writing policies is the office's

    assert AuditEvent.objects.filter(action="policy.sweep_start").count() == 1
    assert AuditEvent.objects.filter(action="policy.sweep").count() == 1
    assert "granted" in statuses(talent=verified).values()


@pytest.mark.django_db
@pytest.mark.parametrize("everyone_from", [50_000, 0], ids=["by-keys", "one-pass"])
def test_a_policy_that_opens_cases_prepares_one_draft_per_person(
    kfq_firm, make_user, login, monkeypatch, everyone_from
):
    # who is told is read by lists of keys, or in one pass over everyone when many are told: the same
    monkeypatch.setattr(sweep_module, "EVERYONE_FROM", everyone_from)
    verified, declared = population(kfq_firm, make_user)
    assert Policy.objects.get(code="annual-health-check", status="published").on_match == "case"
    sweep(on=ON)
    # The notice points to the application; the draft is prepared when first opened (ADR 0040).
    assert not Case.objects.filter(service__code="health-check").exists()
    notice = Notification.objects.get(recipient=verified.account, event="policy.case_opened_entitlement")
    assert notice.url == "/policies/prepared/annual-health-check/"
    [found] = [f for f in found_for(talent=verified) if f.policy.code == "annual-health-check"]
    assert (found.case_id, found.prepares) == (None, True)
    client = login(verified.account)
    opened = client.get(notice.url)
    [case] = Case.objects.filter(service__code="health-check")
    assert opened.status_code == 302
    assert opened["Location"] == f"/hall/cases/{case.pk}/"
    assert case.applicant == verified.account
    assert case.talent == verified
    assert case.state == "draft"
    assert "人才年度健康体检" in case.events.get().note
    assert AuditEvent.objects.filter(action="case.prepare", object_id=str(case.pk)).count() == 1
    [found] = [f for f in found_for(talent=verified) if f.policy.code == "annual-health-check"]
    assert found.case_id == case.pk
    assert client.get(f"/hall/cases/{case.pk}/").status_code == 200
    calculator = client.get("/policies/calculator/").content.decode()
    assert f'href="/hall/cases/{case.pk}/" data-testid="prepared-case"' in calculator
    # Opened again (the notice, the calculator's link): the same draft.
    assert client.get(notice.url)["Location"] == f"/hall/cases/{case.pk}/"
    assert Case.objects.filter(service__code="health-check").count() == 1
    # Staff declared no grade for the second person: no draft opens for them, they are told why.
    refused = login(declared.account).get(notice.url, follow=True)
    assert refused.redirect_chain[-1][0] == "/policies/calculator/"
    said = " ".join(str(m) for m in refused.context["messages"])
    assert "no longer grant" in said or "不再" in said
    assert not Case.objects.exclude(applicant=verified.account).exists()
    sweep(on=ON)
    assert Case.objects.filter(service__code="health-check").count() == 1
    assert Notification.objects.filter(event="policy.case_opened_entitlement").count() == 1


@pytest.mark.django_db
def test_the_api_prepares_the_draft_the_notice_points_to(kfq_firm, make_user, login):
    """``POST /api/v1/policies/prepared/<code>``: 201 with the draft prepared now, then 200 with the same
    one (the page finds it too); 409 with the reason for someone it no longer grants, 404 for a policy that
    applies through no service; nothing written for either."""
    verified, declared = population(kfq_firm, make_user)
    sweep(on=ON)
    client = login(verified.account)
    made = client.post("/api/v1/policies/prepared/annual-health-check")
    assert made.status_code == 201
    [case] = Case.objects.filter(service__code="health-check")
    assert made.json() == {"case_id": str(case.pk), "url": f"/hall/cases/{case.pk}/", "prepared": True}
    again = client.post("/api/v1/policies/prepared/annual-health-check")
    assert again.status_code == 200
    assert (again.json()["case_id"], again.json()["prepared"]) == (str(case.pk), False)
    assert client.get("/policies/prepared/annual-health-check/")["Location"] == f"/hall/cases/{case.pk}/"
    refused = login(declared.account).post("/api/v1/policies/prepared/annual-health-check")
    assert refused.status_code == 409
    assert "calculator" in refused.json()["message"] or "计算器" in refused.json()["message"]
    assert client.post("/api/v1/policies/prepared/housing-purchase-subsidy").status_code == 404
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_run_counts_only_the_people_in_the_viewers_scope(kfq_firm, make_user, units):

    population(kfq_firm, make_user)  # everyone works at a firm of the development zone (KFQ)
    run = sweep(on=ON)
    office = {r["policy_code"]: r for r in run_results(run=run, viewer=make_user("talent-office"))}
    park = {r["policy_code"]: r for r in run_results(run=run, viewer=make_user("park-staff", "320115-P-KFQ"))}
    other = {
        r["policy_code"]: r for r in run_results(run=run, viewer=make_user("park-staff", "320115-P-GXQ"))
    }
    health = "annual-health-check"
    assert (
        office[health]["granted"] == park[health]["granted"] == 7
    )  # the verified one and the six of grade B
    assert park[health]["new"] == 7
    assert (other[health]["granted"], other[health]["new"]) == (0, 0)
    # A grade withdrawn (and noted, as the archive's services note it): the next sweep finds one fewer,
    # nothing new, one no longer matching.
    Talent.objects.filter(name="丙0").update(grade="")
    facts_changed(list(Talent.objects.filter(name="丙0").values_list("pk", flat=True)))
    later = sweep(on=ON)
    park = {
        r["policy_code"]: r for r in run_results(run=later, viewer=make_user("park-staff", "320115-P-KFQ"))
    }
    assert (park[health]["granted"], park[health]["new"], park[health]["lapsed"]) == (6, 0, 1)


@pytest.mark.django_db(transaction=True)
def test_a_sweep_started_by_staff_waits_for_the_nightly_run_holding_the_job(kfq_firm, make_user):

    population(kfq_firm, make_user)
    with job_exclusive("policy_sweep") as held:  # the nightly run of the same job is alive
        assert held
        sweep_task.call()
        assert not SweepRun.objects.exists()  # the staff task did nothing: that run finishes the sweep
    sweep_task.call()  # once it is gone, the task sweeps
    assert SweepRun.objects.get().status == "done"


@pytest.mark.django_db
def test_a_talent_who_turned_notices_off_is_not_told_nor_sent_a_draft(kfq_firm, make_user):

    verified, _declared = population(kfq_firm, make_user)
    consent_set(actor=verified.account, talent=verified, purpose="policy_push", granted=False)
    sweep(on=ON)
    assert statuses(talent=verified)["housing-purchase-subsidy"] == "granted"  # found, shown on their page
    assert not Notification.objects.filter(recipient=verified.account).exists()

    assert not Case.objects.filter(applicant=verified.account).exists()  # no draft prepared either
    # The same population with the box left as it is: the talent is told (the tests above).


@pytest.mark.django_db
def test_a_benefit_that_is_not_money_is_told_without_an_amount(kfq_firm, make_user):

    verified, _declared = population(kfq_firm, make_user)
    sweep(on=ON)
    told = set(Notification.objects.filter(recipient=verified.account).values_list("event", flat=True))
    assert "policy.granted" in told  # the housing subsidy: money, with its yearly amount
    assert told & {
        "policy.granted_entitlement",
        "policy.case_opened_entitlement",
    }  # school place, health check
    for event in ("policy.granted_entitlement", "policy.case_opened_entitlement"):
        _title, body = NOTIFICATION_EVENTS[event]
        for language in ("en", "zh-hans"):
            with translation.override(language):
                assert "%(amount)s" not in str(body)
                assert "yuan" not in str(body)
                assert "元" not in str(body)


@pytest.mark.django_db
def test_each_notice_says_the_amount_the_calculator_computes(kfq_firm, make_user):
    """The sweep tells the yearly amount it computed in its scan and kept with the run (ADR 0037), not one
    computed again: for every money notice it is the calculator's amount for that person, as for a policy
    whose amount depends on the person (a table by grade) as for a fixed one."""
    verified, _declared = population(kfq_firm, make_user)
    run = sweep(on=ON)
    kept = {r.policy_code for r in SweepResult.objects.filter(run=run) if r.amounts}
    money = ["policy.granted", "policy.case_opened"]
    notices = list(Notification.objects.filter(recipient=verified.account, event__in=money))
    assert notices
    with translation.override("zh-hans"):
        found = {str(f.policy): f for f in found_for(talent=verified)}
    from_kept = 0
    for notice in notices:
        params = notice.params
        assert params is not None
        [name] = [n for n in params["policy"]["each"].values() if n in found]
        assert Decimal(params["amount"]) == found[name].yearly_amount
        from_kept += found[name].policy.code in kept
    assert from_kept  # at least one of them was told from the amounts the run kept
