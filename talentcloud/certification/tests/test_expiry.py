"""到期复核 (#21): a certification whose validity has ended is expired by the scheduled job and the talent's
columns follow (with their verified facts and the re-evaluation); a renewal recorded ahead takes effect on
its day, so the grade never lapses in between."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.certification.enums import Basis
from talentcloud.certification.jobs import SCHEDULED_JOBS
from talentcloud.certification.models import Certification
from talentcloud.certification.services import Decision, certify, daily, renew
from talentcloud.common.errors import PermissionDenied
from talentcloud.infra.scheduling import configured_jobs
from talentcloud.policies.models import SubjectChange
from talentcloud.talents.models import FactRecord, Talent

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(db):
    return Talent.objects.create(
        name="吴到期",
        gender="M",
        birth_date=dt.date(1985, 5, 1),
        highest_degree="doctor",
        category="high_level",
    )


def test_the_scheduler_runs_the_daily_job():
    assert SCHEDULED_JOBS[0].task == "talentcloud.certification.services.daily_job"
    assert "certification_daily" in {job.name for job in configured_jobs()}


def test_an_ended_certification_is_expired_by_the_job_and_the_columns_follow(talent, make_user):
    office = make_user("talent-office", "320115-ZZB")
    today = timezone.localdate()
    certify(
        actor=office,
        talent=talent,
        decision=Decision(
            grade="C",
            tier="pioneer",
            basis=Basis.PROGRAMME,
            effective_from=today - dt.timedelta(days=30),
            effective_to=today + dt.timedelta(days=9),
            document_number="宁委人才〔2026〕3号",
        ),
    )
    talent.refresh_from_db()
    assert (talent.grade, talent.tier) == ("C", "pioneer")
    SubjectChange.objects.all().delete()

    assert daily(on=today + dt.timedelta(days=9)) == {
        "expired": 0,
        "started": 0,
        "changed": 0,
    }  # last valid day
    talent.refresh_from_db()
    assert talent.grade == "C"

    assert daily(on=today + dt.timedelta(days=10)) == {"expired": 1, "started": 0, "changed": 1}
    talent.refresh_from_db()
    assert (talent.grade, talent.tier) == ("", "")
    row = Certification.objects.get(talent=talent)
    assert row.status == "expired"
    assert FactRecord.objects.filter(talent=talent, key="grade").latest("created_at").value == ""
    assert SubjectChange.objects.filter(subject_id=str(talent.pk)).exists()  # re-evaluated at once
    event = AuditEvent.objects.get(action="certification.expire", object_id=str(talent.pk))
    assert event.details["grade"] == "C"
    assert daily(on=today + dt.timedelta(days=11)) == {"expired": 0, "started": 0, "changed": 0}


def test_a_renewal_recorded_ahead_takes_over_on_its_day(talent, make_user):
    office = make_user("talent-office", "320115-ZZB")
    today = timezone.localdate()
    first = certify(
        actor=office,
        talent=talent,
        decision=Decision(
            grade="B", tier="", basis=Basis.DECISION, effective_to=today + dt.timedelta(days=5)
        ),
    )
    renewal = renew(actor=office, certification=first)
    assert renewal.status == "scheduled"
    assert renewal.effective_from == today + dt.timedelta(days=6)
    talent.refresh_from_db()
    assert talent.grade == "B"

    result = daily(on=today + dt.timedelta(days=6))
    assert result == {"expired": 1, "started": 1, "changed": 0}  # the columns never change
    talent.refresh_from_db()
    assert talent.grade == "B"
    statuses = dict(Certification.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "expired", renewal.pk: "current"}
    assert AuditEvent.objects.filter(action="certification.renew", object_id=str(talent.pk)).exists()
    assert not AuditEvent.objects.filter(action="certification.expire").exists()


def test_only_staff_who_certify_may_renew(talent, make_user):
    office = make_user("talent-office", "320115-ZZB")
    park = make_user("park-staff", "320115-P-KFQ")
    row = certify(actor=office, talent=talent, decision=Decision(grade="E", tier="", basis=Basis.DECISION))
    with pytest.raises(PermissionDenied):
        renew(actor=park, certification=row)
