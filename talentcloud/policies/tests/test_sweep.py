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

from talentcloud.common.tests.processes import ROOT, child_env
from talentcloud.notifications.models import Notification
from talentcloud.policies.loader import library_install
from talentcloud.policies.models import Entitlement, Policy, SweepRun
from talentcloud.policies.sweep import sweep
from talentcloud.servicehall.seed import catalogue_install
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
    for i in range(6):
        Talent.objects.create(name=f"丙{i}", highest_degree="doctor", grade="B", tier="elite", **base)
    return verified, declared


def snapshot():
    return sorted(
        Entitlement.objects.values_list(
            "policy_code", "talent__name", "status", "yearly_amount", "eligible_since"
        )
    )


@pytest.mark.django_db
def test_sweep_grants_asks_excludes_budgets_and_a_rerun_adds_nothing(kfq_firm, make_user):
    verified, declared = population(kfq_firm, make_user)
    Policy.objects.filter(code="elite-skills-subsidy").update(yearly_budget=Decimal(15000))  # three of six
    run = sweep(on=ON)
    assert run.status == "done"
    mine = dict(Entitlement.objects.filter(talent=verified).values_list("policy_code", "status"))
    assert mine["housing-purchase-subsidy"] == "granted"  # grade C, employed: 800,000 once
    assert mine["graduate-rental-subsidy"] == "excluded"  # same group, less
    assert (
        Entitlement.objects.get(talent=declared, policy_code="graduate-rental-subsidy").status
        == "verify_first"
    )
    elite = list(
        Entitlement.objects.filter(policy_code="elite-skills-subsidy").values_list("status", flat=True)
    )
    assert sorted(elite) == ["budget_exhausted"] * 3 + ["granted"] * 3
    notices = Notification.objects.filter(event="policy.granted")
    assert notices.filter(recipient=verified.account).exists()
    assert not notices.filter(recipient=declared.account).exists()
    from django.test import Client

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
    partial = sweep(on=ON, stop_after=4)
    assert partial.status == "running"
    assert len(partial.done) == 4
    resumed = sweep(on=ON)
    assert resumed.pk == partial.pk
    assert resumed.status == "done"
    result = snapshot()
    Entitlement.objects.all().delete()
    SweepRun.objects.all().delete()
    sweep(on=ON)
    assert snapshot() == result


SLOW_SWEEP = """
import time
from talentcloud.policies import sweep as module
original = module.sweep_policy
def slow(policy, run, params):
    result = original(policy, run, params)
    time.sleep(0.4)
    return result
module.sweep_policy = slow
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
            if run is not None and len(run.done) >= 3:
                break
            time.sleep(0.1)
        child.send_signal(signal.SIGKILL)
    finally:
        output = child.communicate(timeout=30)[0].decode(errors="replace")
    run = SweepRun.objects.get()
    assert run.status == "running", output
    assert 3 <= len(run.done) < run.total
    resumed = sweep(on=ON)
    assert resumed.pk == run.pk
    result = snapshot()
    Entitlement.objects.all().delete()
    SweepRun.objects.all().delete()
    sweep(on=ON)
    assert snapshot() == result
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
    from talentcloud.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="policy.sweep_start").count() == 1
    assert AuditEvent.objects.filter(action="policy.sweep").count() == 1
    assert verified.entitlements.filter(status="granted").exists()


@pytest.mark.django_db
def test_a_policy_that_opens_cases_prepares_one_draft_per_person(kfq_firm, make_user, login):
    from talentcloud.servicehall.models import Case

    verified, _declared = population(kfq_firm, make_user)
    assert Policy.objects.get(code="annual-health-check", status="published").on_match == "case"
    sweep(on=ON)
    [case] = Case.objects.filter(service__code="health-check")
    assert case.applicant == verified.account
    assert case.talent == verified
    assert case.state == "draft"
    assert "人才年度健康体检" in case.events.get().note
    ent = Entitlement.objects.get(talent=verified, policy_code="annual-health-check")
    assert ent.case == case
    notice = Notification.objects.get(recipient=verified.account, event="policy.case_opened")
    assert notice.url == f"/hall/cases/{case.pk}/"
    page = login(verified.account).get(notice.url)
    assert page.status_code == 200
    # Staff declared no grade for the second person: nothing is opened for them.
    assert not Case.objects.exclude(applicant=verified.account).exists()
    sweep(on=ON)
    assert Case.objects.filter(service__code="health-check").count() == 1
    assert Notification.objects.filter(event="policy.case_opened").count() == 1
