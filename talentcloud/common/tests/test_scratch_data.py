"""A new app's data registries, without editing another app: the scratch app's dashboard metric is computed by
the snapshot job and drawn on the dashboard, its Excel importer is run by the background import job and named
on the job's page, its fact about a talent is in the fact registry and a policy reading it is decided by the
calculator and put into words on the policy page. All gone once the app is not installed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone, translation

from talentcloud.common.models import BackgroundJob, JobStatus
from talentcloud.dashboards.metrics import metrics, snapshot_refresh
from talentcloud.dashboards.models import MetricSnapshot
from talentcloud.infra.sheets import import_start, importers
from talentcloud.infra.tests.xlsxgen import xlsx_bytes
from talentcloud.policies import explain
from talentcloud.policies.engine import ELIGIBLE, calculate, parse_answers
from talentcloud.policies.models import Policy, PolicyStatus
from talentcloud.rules.facts import FACTS, facts_for
from talentcloud.rules.logic import TRUE, evaluate, fact_values, to_sql, validate
from talentcloud.talents.models import Talent

from .scratch import scratch_app

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_kept():
    """A page read in English leaves English active in this thread: the next test starts in the language
    this one started in."""
    with translation.override(translation.get_language()):
        yield


FACT = "scratch_name_length"
LABEL = "scratch: length of the name"


def test_the_metric_is_computed_by_the_refresh_and_drawn_last_on_the_dashboard(make_user, login, units):
    office = login(make_user("talent-office", "320115-ZZB"))
    with scratch_app():
        assert [m.key for m in metrics()][-1] == "scratch_units"
        assert snapshot_refresh() == len(metrics())
        figures = MetricSnapshot.objects.get(metric="scratch_units").data
        assert figures["series"]["rows"] == [len(units)]
        body = office.get("/dashboard/").content.decode()
        assert re.findall(r'<script id="data-([a-z_]+)"', body)[-1] == "scratch_units"
        assert "Scratch: organisation units" in body
    assert "scratch_units" not in [m.key for m in metrics()]
    assert snapshot_refresh() == len(metrics())
    assert "data-scratch_units" not in office.get("/dashboard/").content.decode()


def test_the_importer_is_run_by_the_import_job_and_named_on_its_page(
    make_user, login, private_media, django_capture_on_commit_callbacks
):
    user = make_user("talent-office", "320115-ZZB")
    client = login(user)
    assert "scratch_import" not in importers()
    with scratch_app():
        importer = importers()["scratch_import"]
        assert {"talent_import", "enterprise_import"} < set(importers())
        good = xlsx_bytes(["Code", "Count"], [("S-1", 3), ("S-2", 0)], row_count=2)
        with django_capture_on_commit_callbacks(execute=True):  # the test settings run the job at once
            job = import_start(importer=importer, actor=user, filename="s.xlsx", data=good)
        job = BackgroundJob.objects.get(pk=job.pk)
        assert job.status == JobStatus.DONE
        assert job.summary["rows"] == 2
        assert job.summary["unchanged"] == 2
        page = client.get(f"/jobs/{job.pk}/").content.decode()
        assert "Scratch import" in page

        bad = xlsx_bytes(["Code", "Count"], [("S-1", 3), ("S-1", -1)], row_count=2)
        with django_capture_on_commit_callbacks(execute=True):
            failed = import_start(importer=importer, actor=user, filename="bad.xlsx", data=bad)
        failed = BackgroundJob.objects.get(pk=failed.pk)
        assert failed.status == JobStatus.FAILED
        assert {e["row"] for e in failed.summary["errors"]} == {3}
        report = client.get(f"/jobs/{failed.pk}/result/")
        assert report.status_code == 200
        assert "Scratch import problems-" in report["Content-Disposition"]
    assert "scratch_import" not in importers()


@pytest.fixture
def talent(units, make_user, kfq_firm):
    account = make_user("talent", None)
    return Talent.objects.create(
        name="冯博士",
        gender="M",
        birth_date=dt.date(1992, 3, 1),
        highest_degree="doctor",
        employer=kfq_firm,
        account=account,
    )


def test_the_fact_is_registered_and_a_policy_reading_it_is_decided_and_explained(talent, login, client):
    rule = {
        "all": [
            {"fact": FACT, "op": ">=", "value": 2},
            {"fact": "highest_degree", "op": "==", "value": "doctor"},
        ]
    }
    on = timezone.localdate()
    assert FACT not in FACTS
    with scratch_app():
        assert list(facts_for("talent"))[-1] == FACT
        assert FACTS[FACT].text() == LABEL
        assert validate(rule) == []
        # The evaluator (one person, with reasons) and the SQL form (everyone at once) agree.
        outcome = evaluate(rule, fact_values(talent, {FACT, "highest_degree"}, on), {})
        assert outcome.status == TRUE
        assert LABEL in outcome.clauses[0].reason()
        matched = Talent.objects.annotate(
            ok=ExpressionWrapper(to_sql(rule, {}, on), output_field=BooleanField())
        ).get(pk=talent.pk)
        assert matched.ok is True
        # The anonymous calculator may ask it.
        assert parse_answers({FACT: "3"})[FACT] == 3

        Policy.objects.create(
            code="scratch-long-name",
            status=PolicyStatus.PUBLISHED,
            title="Scratch allowance",
            issuer="Scratch office",
            effective_from=dt.date(2020, 1, 1),
            rule=rule,
            benefit={"kind": "entitlement", "text": "A scratch entitlement"},
        )
        [verdict] = [v for v in calculate(talent=talent, on=on) if v.policy.code == "scratch-long-name"]
        assert verdict.status == ELIGIBLE
        assert any(LABEL in reason for reason in verdict.reasons)
        assert any(LABEL in line.text for line in explain.conditions(rule, {}))
        client.cookies["tc_language"] = "en"
        page = client.get("/policies/scratch-long-name/").content.decode()
        assert f"{LABEL} at least 2" in page  # the plain-language rule of the public policy page
        own = login(talent.account)
        own.cookies["tc_language"] = "en"
        calculator = own.get("/policies/calculator/").content.decode()
        assert "Scratch allowance" in calculator
        assert LABEL in calculator
    assert FACT not in FACTS
    assert FACT not in facts_for("talent")
    assert validate({"fact": FACT, "op": ">=", "value": 2})[0].path == "rule"
