"""Meta-test: every door (URL pattern and OpenAPI operation) declares its access, and none leaks.

A user of park A probes every page and every API operation with the ids of park B's records. Adding
a view or an endpoint without an access declaration fails here; so does one that shows park B's data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from talentcloud.accounts.models import OrgUnit
from talentcloud.accounts.services import token_create
from talentcloud.campaigns.models import Campaign, FairSession, JobApplication
from talentcloud.certification.models import Certification, ClassificationRule, Proposal
from talentcloud.common.access import ACCESS_ATTR, ACCESS_KINDS
from talentcloud.common.models import BackgroundJob, ScheduledSlot, SlotOutcome
from talentcloud.conftest import verify_session
from talentcloud.enterprises.models import Enterprise, EnterpriseMember, MembershipRequest
from talentcloud.matching.models import ContactRequest
from talentcloud.notifications.models import Notification
from talentcloud.payouts.models import Award, Batch, BudgetLine
from talentcloud.policies.models import SweepRun
from talentcloud.policies.tests.factories import PolicyFactory
from talentcloud.programs.models import Application, Objection, Publicity, PublicityEntry
from talentcloud.programs.tests.world import make_call
from talentcloud.recruitment.models import Catalogue, Demand, JobSeekerProfile, Post
from talentcloud.servicehall.models import Appeal, Case, CaseMaterial, Rating, Rectification, Service
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.stations.models import Event, Lead, Station
from talentcloud.talentcode.models import Scene, TalentCode, Verification, Verifier
from talentcloud.talents.models import Need, Talent, TalentClash, TalentDocument
from talentcloud.talents.services import rights_request_create

pytestmark = pytest.mark.django_db

SENTINELS = ("乙园区秘密", "parkb-user-sentinel")
API_PREFIX = "api/v1/"


def iter_patterns(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from iter_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def is_api_operation(route: str, pattern: URLPattern) -> bool:
    return route.startswith(API_PREFIX) and getattr(pattern.callback, ACCESS_ATTR, None) is None


@pytest.fixture
def world(units, make_user):
    park_a, park_b = units["320115-P-KFQ"], units["320115-P-GXQ"]
    ent_a = Enterprise.objects.create(
        name="甲园区公司", credit_code="91320115MA1AAAAA01", park=park_a, street=units["320115-S-ML"]
    )
    ent_b = Enterprise.objects.create(
        name="乙园区秘密企业", credit_code="91320115MA1BBBBB02", park=park_b, street=units["320115-S-QL"]
    )
    common = {
        "gender": "F",
        "birth_date": dt.date(1990, 5, 1),
        "highest_degree": "master",
        "category": "young",
    }
    Talent.objects.create(name="甲园区人才", employer=ent_a, **common)
    talent_b = Talent.objects.create(name="乙园区秘密人才", employer=ent_b, **common)
    viewer = make_user("park-staff", "320115-P-KFQ", username="parka-user")
    other = make_user("park-staff", "320115-P-GXQ", username="parkb-user-sentinel")
    other_token, _clear = token_create(actor=other, name="b", console=True)
    _token, viewer_token = token_create(actor=viewer, name="a", console=True)
    office = make_user("talent-office", "320115-ZZB", username="office-for-b")
    request_b = rights_request_create(actor=office, talent=talent_b, kind="copy")
    job_b = BackgroundJob.objects.create(kind="talent_import", owner=other, result_name="jobs/x/errors.xlsx")
    need_b = Need.objects.create(
        talent=talent_b,
        raised_by=office,
        title="乙园区秘密人才的诉求",
        owner_department=units["320115-ZJJ"],
        raised_on=dt.date(2026, 1, 5),
        due_on=dt.date(2026, 1, 19),
    )
    hr_b = make_user("enterprise-hr", None, username="hr-of-b")
    member_b = EnterpriseMember.objects.create(enterprise=ent_b, user=hr_b, is_admin=True)
    applicant = make_user("enterprise-hr", None, username="applicant-of-b")
    membership_b = MembershipRequest.objects.create(enterprise=ent_b, user=applicant, as_admin=True)
    document_b = TalentDocument.objects.create(
        talent=talent_b,
        kind="degree",
        file="documents/x/none.pdf",
        display_name="乙园区秘密人才.pdf",
        content_type="application/pdf",
        size=1,
        sm3="0" * 64,
    )
    catalogue_install()
    service = Service.objects.get(code="policy-consultation")
    applicant_b = make_user("talent", None, username="applicant-b")
    case_b = Case.objects.create(
        service=service,
        version=service.versions.get(),
        applicant=applicant_b,
        applicant_name="乙园区秘密申请人",
        department=units["320115-ZJJ"],
        state="answered",
        number="320115-20260101-00001",
    )
    material_b = CaseMaterial.objects.create(
        case=case_b,
        key="x",
        file="cases/x/none.pdf",
        display_name="乙园区秘密材料.pdf",
        content_type="application/pdf",
        size=1,
        sm3="0" * 64,
        uploaded_by=applicant_b,
    )
    rating_b = Rating.objects.create(
        case=case_b, level=1, comment="乙园区秘密评价", department=units["320115-ZJJ"], service=service
    )
    rectification_b = Rectification.objects.create(
        rating=rating_b, department=units["320115-ZJJ"], step_due_on=dt.date(2026, 1, 10)
    )
    appeal_b = Appeal.objects.create(
        rating=rating_b, department=units["320115-ZJJ"], reason="乙园区秘密申诉", filed_by=office
    )
    notification_b = Notification.objects.create(
        recipient=applicant_b, event="case.answered", title="乙园区秘密通知", body="乙园区秘密通知"
    )

    run = SweepRun.objects.create(on=dt.date(2026, 1, 1))

    clash_b = TalentClash.objects.create(new=talent_b, existing=talent_b, via="edit")

    slot = ScheduledSlot.objects.create(
        job="heartbeat", slot=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), outcome=SlotOutcome.FAILED
    )
    cert_b = Certification.objects.create(
        talent=talent_b,
        grade="C",
        basis="decision",
        effective_from=dt.date(2024, 1, 1),
        effective_to=timezone.localdate() + dt.timedelta(days=10),
        document_number="乙园区秘密文号",
        status="current",
    )
    rule = ClassificationRule.objects.create(
        grade="B",
        label="x",
        rule={"fact": "grade", "op": "==", "value": "C"},
        issuer="x",
        effective_from=dt.date(2024, 1, 1),
    )
    proposal_b = Proposal.objects.create(talent=talent_b, rule=rule, grade="B", run_on=dt.date(2026, 1, 1))
    demand_b = Demand.objects.create(
        enterprise=ent_b,
        post=Post.objects.create(code="乙园区秘密岗位", name="乙园区秘密岗位"),
        headcount=1,
        degree="master",
        salary_kind="negotiable",
        deadline=dt.date(2026, 12, 31),
        year=2026,
        title="乙园区秘密需求",
    )
    seeker_b = make_user("talent", None, username="seeker-b")
    contact_b = ContactRequest.objects.create(
        enterprise=ent_b,
        demand=demand_b,
        profile=JobSeekerProfile.objects.create(account=seeker_b, post=demand_b.post, degree="master"),
    )
    Catalogue.objects.create(year=2026)  # a draft: the office's alone, never on the portal
    policy = PolicyFactory.create(code="payout-door")
    budget_b = BudgetLine.objects.create(
        policy_code=policy.code, fiscal_year=2026, department=units["320115-ZZB"], amount=Decimal(1000)
    )
    award_b = Award.objects.create(
        policy=policy,
        budget_line=budget_b,
        talent=talent_b,
        source="sweep",
        period_amount=Decimal(100),
        periods=1,
        cadence="once",
        starts=dt.date(2026, 1, 1),
        total=Decimal(100),
        payee_account="6222000011112222333",
        status="suspended",
        decided_by=office,
    )
    batch_b = Batch.objects.create(number="PB-B", due_by=dt.date(2026, 1, 31), maker=office)
    code_b = TalentCode.objects.create(talent=talent_b, basis="office")
    unit_x = OrgUnit.objects.create(code="EXT-H", name="某医院", kind="external", parent=units["320115"])
    verifier_x = Verifier.objects.create(unit=unit_x)
    verification_b = Verification.objects.create(
        code=code_b, verifier=verifier_x, scene=Scene.objects.get(code="medical"), result="valid"
    )
    call = make_call("doors-call")
    application_b = Application.objects.create(
        call=call,
        number="doors-call-0001",
        talent=talent_b,
        employer=ent_b,
        title="乙园区秘密项目",
        field="F03",
    )
    listed = Publicity.objects.create(call=call, days=5, published_by=office)
    entry_b = PublicityEntry.objects.create(
        publicity=listed,
        application=application_b,
        masked_name="乙*",
        employer_name="公示的单位名称",  # a published line: what the portal shows to anyone
        programme="x",
        starts_on=dt.date(2026, 1, 5),
        ends_on=dt.date(2026, 1, 9),
    )
    objection_b = Objection.objects.create(entry=entry_b, user=hr_b, text="乙园区秘密异议")
    partner_x = OrgUnit.objects.create(
        code="EXT-ST", name="某工作站合作方", kind="external", parent=units["320115"]
    )
    station_b = Station.objects.create(
        name="乙园区秘密工作站",
        kind="overseas",
        country="德国",
        city="慕尼黑",
        partner="x",
        partner_unit=partner_x,
    )
    lead_b = Lead.objects.create(station=station_b, name="乙园区秘密人才", contacted_on=dt.date(2026, 1, 5))
    event_b = Event.objects.create(
        title="内部活动", kind="salon", venue="x", starts_at=timezone.now(), published=False
    )
    campaign_b = Campaign.objects.create(  # a draft: the office's alone, never on the portal
        title="乙园区秘密招贤令",
        target="graduates",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    campaign_b.posts.add(demand_b)
    session = FairSession.objects.create(  # public, listing nothing of park B
        title="双选会", starts_at=timezone.now(), ends_at=timezone.now() + dt.timedelta(hours=2)
    )
    job_application_b = JobApplication.objects.create(
        demand=demand_b,
        applicant=applicant_b,
        degree="master",
        statement="乙园区秘密自我介绍",
        consent_at=timezone.now(),
        channel="direct",
    )
    ids = {
        "campaign_id": str(campaign_b.pk),
        "session_id": str(session.pk),
        "job_application_id": str(job_application_b.pk),
        "demand_id": str(demand_b.pk),
        "contact_id": str(contact_b.pk),
        "station_id": str(station_b.pk),
        "lead_id": str(lead_b.pk),
        "event_id": str(event_b.pk),
        "year": "2026",
        "award_id": str(award_b.pk),
        "batch_id": str(batch_b.pk),
        "entry_id": str(entry_b.pk),
        "objection_id": str(objection_b.pk),
        "call_id": str(call.pk),
        "application_id": str(application_b.pk),
        "certification_id": str(cert_b.pk),
        "code_id": str(code_b.pk),
        "verification_id": str(verification_b.pk),
        "proposal_id": str(proposal_b.pk),
        "run_id": str(run.pk),
        "slot_id": str(slot.pk),
        "appeal_id": str(appeal_b.pk),
        "clash_id": str(clash_b.pk),
        "case_id": str(case_b.pk),
        "code": "policy-consultation",
        "key": "question",
        "kind": "education",
        "section": "documents",
        "material_id": str(material_b.pk),
        "notification_id": str(notification_b.pk),
        "rating_id": str(rating_b.pk),
        "rectification_id": str(rectification_b.pk),
        "document_id": str(document_b.pk),
        "member_id": str(member_b.pk),
        "membership_id": str(membership_b.pk),
        "need_id": str(need_b.pk),
        "job_id": str(job_b.pk),
        "request_id": str(request_b.pk),
        "talent_id": str(talent_b.pk),
        "enterprise_id": str(ent_b.pk),
        "token_id": str(other_token.pk),
        "user_id": str(other.pk),
    }
    return {"viewer": viewer, "viewer_token": viewer_token, "ids": ids}


def fill(route: str, ids: dict[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(2)
        assert name in ids, f"the meta-test has no park-B object for URL parameter {name!r} in {route}"
        return ids[name]

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def example_value(schema: dict[str, Any], node: dict[str, Any]) -> Any:
    node = resolve(schema, node)
    if "enum" in node:
        return node["enum"][0]
    if "anyOf" in node:
        return example_value(schema, node["anyOf"][0])
    kind = str(node.get("type", ""))
    formats = {
        "date": "2026-01-05",
        "date-time": "2026-01-05T10:00:00+08:00",
        "uuid": "00000000-0000-4000-8000-000000000000",
        "uri": "https://example.org/",
    }
    if kind == "string" and node.get("format") in formats:
        return formats[node["format"]]
    if kind == "object":
        return {name: example_value(schema, prop) for name, prop in node.get("properties", {}).items()}
    return {"string": "probe-text", "integer": 7, "number": 7, "boolean": True, "array": []}.get(kind)


def example_body(schema: dict[str, Any], operation: dict[str, Any]) -> Any:
    """A valid request body, so that the probe reaches the scope check, not the input validation."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return None if content is None else example_value(schema, content["schema"])


def example_form(schema: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    """A valid multipart body (files as a small PDF), for uploads."""
    content = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
    if content is None:
        return None
    body_schema = content["schema"]
    if "$ref" in body_schema:
        body_schema = schema["components"]["schemas"][body_schema["$ref"].rsplit("/", 1)[-1]]
    form: dict[str, Any] = {}
    for name, prop in body_schema.get("properties", {}).items():
        if prop.get("format") == "binary":
            form[name] = SimpleUploadedFile(
                "probe.pdf", b"%PDF-1.4\n%probe\n", content_type="application/pdf"
            )
        else:
            form[name] = "other" if name == "kind" else "x"
    return form


def assert_no_leak(response: Any, where: str) -> None:
    body = response.content.decode("utf-8", "replace")
    for sentinel in SENTINELS:
        assert sentinel not in body, f"{where} shows park B's {sentinel}"


def test_every_page_declares_access_and_keeps_scope(world):
    client = Client()
    verify_session(client, world["viewer"])
    anonymous = Client()
    checked = 0
    for route, pattern in iter_patterns(get_resolver().url_patterns):
        if is_api_operation(route, pattern):
            continue
        kind = getattr(pattern.callback, ACCESS_ATTR, None)
        assert kind in ACCESS_KINDS, f"/{route} ({pattern.name}) declares no access kind; use @access(...)"
        url = fill(route, world["ids"])
        has_object = "<" in route
        for method in ("get", "post"):
            verify_session(client, world["viewer"])  # a probed logout must not end the probing
            who = anonymous if kind == "public" else client
            response = getattr(who, method)(url)
            assert_no_leak(response, f"{method.upper()} {url}")
            if has_object and kind != "public":
                assert response.status_code in (403, 404, 405), (
                    f"{method.upper()} {url} answered {response.status_code}"
                )
            if kind != "public":
                # The same door, anonymously, must send the visitor to sign in.
                anon = getattr(anonymous, method)(url)
                assert anon.status_code in (302, 403, 405), (
                    f"anonymous {method.upper()} {url}: {anon.status_code}"
                )
                assert_no_leak(anon, f"anonymous {method.upper()} {url}")
        checked += 1
    assert checked >= 15


def test_every_api_operation_declares_access_and_keeps_scope(world):
    # The rate limits count per user id in the process's cache, which outlives a test; a rolled-back
    # database gives the next test's users the same ids, so an earlier test's PII reads counted here (429).
    cache.clear()
    client = Client()
    schema = client.get("/api/v1/openapi.json").json()
    auth = {"Authorization": f"Bearer {world['viewer_token']}"}
    checked = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            kind = operation.get("x-access")
            assert kind in ACCESS_KINDS, f"{method.upper()} {path} declares no x-access (use api_access(...))"
            if kind != "public":
                assert operation.get("security"), f"{method.upper()} {path} is not authenticated"
            url = re.sub(r"\{(\w+)\}", lambda m: world["ids"][m.group(1)], path)
            body = example_body(schema, operation)
            form = example_form(schema, operation)
            if form is not None:
                response = getattr(client, method)(url, form, headers=auth)
            elif body is None:
                response = getattr(client, method)(url, headers=auth)
            else:
                response = getattr(client, method)(url, body, content_type="application/json", headers=auth)
            assert_no_leak(response, f"{method.upper()} {url}")
            if "{" in path and kind != "public":  # public operations show public data (the catalogue)
                assert response.status_code in (403, 404), (
                    f"{method.upper()} {url} answered {response.status_code}"
                )
            anon = getattr(Client(), method)(url)
            if kind != "public":
                assert anon.status_code == 401, f"anonymous {method.upper()} {url}: {anon.status_code}"
            checked += 1
    assert checked >= 8


def test_park_a_lists_show_own_park(world):
    client = Client()
    verify_session(client, world["viewer"])
    page = client.get("/talents/").content.decode()
    assert "甲园区人才" in page
    api = client.get("/api/v1/talents", headers={"Authorization": f"Bearer {world['viewer_token']}"}).json()
    assert [t["name"] for t in api["items"]] == ["甲园区人才"]
