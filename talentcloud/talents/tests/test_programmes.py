"""The register of talent programmes: read by everyone who sees talents, kept by the talent office (page and
API, bad input at its field, every write audited); a programme title recorded in an archive is a fact rules
read at once (免申即享 hears of it), and a programme's level corrected moves its holders."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from talentcloud.audit.models import AuditEvent
from talentcloud.policies.engine import ELIGIBLE, NOT_ELIGIBLE, calculate
from talentcloud.policies.models import SubjectChange
from talentcloud.policies.tests.factories import PolicyFactory
from talentcloud.rules.explain import clause_text
from talentcloud.rules.facts import FACTS
from talentcloud.rules.logic import validate
from talentcloud.talents.models import Qualification, TalentProgramme
from talentcloud.talents.programmes import SHIPPED, programmes_install
from talentcloud.talents.tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(units):
    programmes_install()
    return {p.code: p for p in TalentProgramme.objects.all()}


@pytest.fixture
def office(make_user, login):
    return login(make_user("talent-office"))


@pytest.fixture
def park(make_user, login):
    return login(make_user("park-staff", "320115-P-KFQ"))


def test_the_shipped_register_is_installed_once(register):
    assert len(register) == len(SHIPPED)
    assert programmes_install() == 0
    assert {p.level for p in register.values()} == {"national", "provincial", "city", "district"}


def test_the_office_adds_and_changes_a_programme_and_park_staff_only_read(register, office, park):
    page = park.get("/talents/programmes/")
    assert page.status_code == 200
    assert "长江学者奖励计划" in page.content.decode()
    assert 'data-testid="programme-add"' not in page.content.decode()
    assert (
        park.post("/talents/programmes/", {"code": "x-plan", "name": "某计划", "level": "city"}).status_code
        == 403
    )
    assert park.get("/talents/programmes/changjiang-scholars/").status_code == 403

    missing = office.post("/talents/programmes/", {"code": "x-plan", "name": "", "level": "galaxy"})
    assert missing.status_code == 400
    assert not TalentProgramme.objects.filter(code="x-plan").exists()
    taken = office.post(
        "/talents/programmes/", {"code": "changjiang-scholars", "name": "别名", "level": "city"}
    )
    assert taken.status_code == 400
    assert "该编码已被使用。" in taken.content.decode()
    same_name = office.post(
        "/talents/programmes/", {"code": "x-plan", "name": "长江学者奖励计划", "level": "city"}
    )
    assert same_name.status_code == 400

    added = office.post(
        "/talents/programmes/",
        {
            "code": "jiangning-young-eagle",
            "name": "江宁区“青年雏鹰计划”",
            "level": "district",
            "active": "on",
        },
    )
    assert added.status_code == 302
    programme = TalentProgramme.objects.get(code="jiangning-young-eagle")
    assert programme.active
    assert AuditEvent.objects.filter(action="programme.add", object_id=str(programme.pk)).exists()
    changed = office.post(
        "/talents/programmes/jiangning-young-eagle/",
        {"name": "江宁区“青年雏鹰计划”", "level": "city", "issuer": "区委人才办"},
    )
    assert changed.status_code == 302
    programme.refresh_from_db()
    assert (programme.level, programme.active, programme.issuer) == ("city", False, "区委人才办")
    event = AuditEvent.objects.get(action="programme.change", object_id=str(programme.pk))
    assert event.details["changed"] == ["active", "issuer", "level"]


def test_the_api_reads_the_register_and_only_the_office_writes(register, office, park):
    listed = park.get("/api/v1/talents/programmes")
    assert listed.status_code == 200
    assert {p["code"] for p in listed.json()} == set(register)
    body = {"code": "x-plan", "name": "某计划", "level": "city"}
    assert park.post("/api/v1/talents/programmes", body, content_type="application/json").status_code == 403
    created = office.post("/api/v1/talents/programmes", body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["active"] is True
    again = office.post(
        "/api/v1/talents/programmes", {**body, "name": "另一计划"}, content_type="application/json"
    )
    assert again.status_code == 409  # the code is taken
    twice = office.post(
        "/api/v1/talents/programmes", {**body, "code": "z-plan"}, content_type="application/json"
    )
    assert twice.status_code == 422  # the name is taken
    assert "name" in twice.json()["fields"]
    wrong = office.post(
        "/api/v1/talents/programmes",
        {**body, "code": "y-plan", "level": "galaxy"},
        content_type="application/json",
    )
    assert wrong.status_code == 422
    put = office.put(
        "/api/v1/talents/programmes/x-plan",
        {"name": "某计划", "level": "provincial", "active": False},
        content_type="application/json",
    )
    assert put.status_code == 200
    assert (put.json()["level"], put.json()["active"]) == ("provincial", False)
    assert (
        office.put(
            "/api/v1/talents/programmes/nothing",
            {"name": "x", "level": "city"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_a_programme_title_is_a_fact_rules_read_at_once(register, office):
    """入选省级及以上人才计划: a title recorded in the archive changes the calculator's answer, and
    免申即享 is told (a re-evaluation is noted); a title needs a programme of the register."""
    PolicyFactory.create(
        code="provincial-or-above",
        rule={"fact": "programme_level", "op": "in", "value": ["national", "provincial"]},
        benefit={"kind": "money", "amount": 1000, "period": "once"},
    )
    PolicyFactory.create(
        code="changjiang-only",
        rule={"fact": "programme_titles", "op": "any_of", "value": ["changjiang-scholars"]},
        benefit={"kind": "money", "amount": 2000, "period": "once"},
    )
    talent = TalentFactory.create(name="钱教授")
    statuses = {v.policy.code: v.status for v in calculate(talent=talent)}
    assert statuses == {"provincial-or-above": NOT_ELIGIBLE, "changjiang-only": NOT_ELIGIBLE}
    assert FACTS["programme_level"].get(talent, date.today()) == "none"

    no_programme = office.post(f"/talents/{talent.pk}/qualifications/", {"kind": "programme", "year": "2024"})
    assert no_programme.status_code == 302
    assert not Qualification.objects.filter(talent=talent).exists()
    SubjectChange.objects.all().delete()
    added = office.post(
        f"/talents/{talent.pk}/qualifications/",
        {"kind": "programme", "programme": "jiangsu-333", "year": "2024"},
    )
    assert added.status_code == 302
    title = Qualification.objects.get(talent=talent)
    assert title.programme == register["jiangsu-333"]
    assert title.name == register["jiangsu-333"].name
    assert SubjectChange.objects.filter(subject_id=str(talent.pk)).exists()
    statuses = {v.policy.code: v.status for v in calculate(talent=talent)}
    assert statuses == {"provincial-or-above": ELIGIBLE, "changjiang-only": NOT_ELIGIBLE}
    section = office.get(f"/talents/{talent.pk}/sections/education/").content.decode()
    assert "江苏省“333高层次人才培养工程”" in section

    # the level corrected in the register moves the title, and its holders are re-evaluated
    SubjectChange.objects.all().delete()
    office.post("/talents/programmes/jiangsu-333/", {"name": title.name, "level": "city", "active": "on"})
    assert SubjectChange.objects.filter(subject_id=str(talent.pk)).exists()
    statuses = {v.policy.code: v.status for v in calculate(talent=talent)}
    assert statuses["provincial-or-above"] == NOT_ELIGIBLE


def test_a_rule_may_name_only_programmes_of_the_register(register):
    assert validate({"fact": "programme_titles", "op": "any_of", "value": ["changjiang-scholars"]}) == []
    assert validate({"fact": "programme_titles", "op": "any_of", "value": ["no-such-plan"]}) != []
    assert validate({"fact": "programme_level", "op": "==", "value": "planet"}) != []


def test_a_programme_clause_reads_as_the_programme_names(register):
    with translation.override("zh-hans"):
        assert "长江学者奖励计划" in clause_text("programme_titles", "any_of", ["changjiang-scholars"])
        level = clause_text("programme_level", "in", ["national", "provincial"])
        assert "国家级" in level
        assert "省级" in level
    with translation.override("en"):
        assert "Changjiang Scholars Program" in clause_text(
            "programme_titles", "any_of", ["changjiang-scholars"]
        )
