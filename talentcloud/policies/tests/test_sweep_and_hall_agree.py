"""The sweep and the service hall agree (ADR 0014): a talent a policy grants through a service is prepared the
draft and told, or — when the service's own eligibility rule refuses them — not told they qualify."""

from __future__ import annotations

import pytest

from talentcloud.notifications.models import Notification
from talentcloud.policies.cases import _value
from talentcloud.policies.editor import rows_from_rule, rule_from_rows
from talentcloud.policies.models import Policy
from talentcloud.policies.sweep import sweep
from talentcloud.rules.facts import FACTS
from talentcloud.servicehall.models import Case, Service

from .test_sweep import ON, population, statuses

TOLD = ("policy.case_opened_entitlement", "policy.granted_entitlement")


@pytest.mark.django_db
def test_a_talent_the_service_refuses_is_not_told_they_qualify(kfq_firm, make_user):
    verified, _declared = population(kfq_firm, make_user)
    Service.objects.filter(code="health-check").update(
        eligibility={"all": [{"fact": "tags", "op": "any_of", "value": ["海归"]}]}
    )
    sweep(on=ON)
    assert statuses(talent=verified)["annual-health-check"] == "granted"  # the policy's verdict stands
    assert not Case.objects.filter(service__code="health-check").exists()
    health = Policy.objects.get(code="annual-health-check", status="published")
    told = [str(n) for n in Notification.objects.filter(recipient=verified.account, event__in=TOLD)]
    assert told  # of the policies that do not go through a service
    assert not [text for text in told if health.title in text]


@pytest.mark.django_db
def test_a_talent_the_service_admits_gets_the_draft_and_the_notice(kfq_firm, make_user, login):
    verified, _declared = population(kfq_firm, make_user)
    Service.objects.filter(code="health-check").update(
        eligibility={"all": [{"fact": "tags", "op": "any_of", "value": ["海归", "博士后"]}]}
    )
    verified.tags = ["博士后"]
    verified.save(update_fields=["tags"])
    sweep(on=ON)
    notice = Notification.objects.get(recipient=verified.account, event="policy.case_opened_entitlement")
    assert login(verified.account).get(notice.url).status_code == 302
    [case] = Case.objects.filter(service__code="health-check")
    assert case.applicant == verified.account
    assert notice.url == "/policies/prepared/annual-health-check/"


@pytest.mark.django_db
def test_a_service_that_refuses_the_talent_by_the_time_they_open_it_says_why(kfq_firm, make_user, login):
    """Told by the sweep, the talent opens the application after the service's rule changed: no draft opens,
    and the calculator tells them what the service asks for."""
    verified, _declared = population(kfq_firm, make_user)
    sweep(on=ON)
    notice = Notification.objects.get(recipient=verified.account, event="policy.case_opened_entitlement")
    Service.objects.filter(code="health-check").update(
        eligibility={"all": [{"fact": "tags", "op": "any_of", "value": ["海归"]}]}
    )
    page = login(verified.account).get(notice.url, follow=True)
    assert page.redirect_chain[-1][0] == "/policies/calculator/"
    said = " ".join(str(m) for m in page.context["messages"])
    assert "海归" in said
    assert not Case.objects.filter(service__code="health-check").exists()


def test_the_policy_editor_reads_and_writes_the_tags_fact():
    rule = {"all": [{"fact": "tags", "op": "any_of", "value": ["海归", "博士后"]}]}
    problems: dict[str, list[str]] = {}
    assert rule_from_rows(rows_from_rule(rule), problems=problems) == rule
    assert problems == {}
    assert _value(FACTS["tags"], "海归，创业") == (["海归", "创业"], None)
