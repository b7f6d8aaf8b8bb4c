"""Matching both ways through the pages and the API: consent, edits in the very next query, explanations,
masking until the talent accepts contact, the export, bad input, scope."""

from __future__ import annotations

import io

import openpyxl
import pytest

from talentcloud.audit.models import AuditEvent
from talentcloud.enterprises.models import IndustryChain
from talentcloud.matching.index import PROFILES
from talentcloud.matching.models import ContactRequest
from talentcloud.matching.queries import passing_facts_and_changes
from talentcloud.matching.selectors import contact_allowed, facts_of
from talentcloud.matching.services import details_save

from .conftest import seeker

pytestmark = pytest.mark.django_db


def ids(client, demand) -> list[int]:
    response = client.get(f"/api/v1/matching/demand/{demand.pk}/talents")
    assert response.status_code == 200, response.content
    return [row["profile_id"] for row in response.json()]


def test_only_consenting_talents_are_matched_and_a_withdrawal_shows_in_the_next_query(
    rworld, make_user, login, hire
):
    s = rworld.skills
    demand = hire(skills=[s[0], s[1]], majors=[rworld.majors[0]])
    yes = seeker(make_user, post=rworld.posts["A1"], major=rworld.majors[0], skills=[s[0]])
    never = seeker(make_user, post=rworld.posts["A1"], major=rworld.majors[0], skills=[s[0]], consent=None)
    refused = seeker(make_user, post=rworld.posts["A1"], major=rworld.majors[0], skills=[s[0]], consent=False)
    hr = login(rworld.hr_a)
    assert ids(hr, demand) == [yes.pk]
    talent = login(yes.account)
    assert (
        talent.put("/api/v1/matching/me/consent", {"granted": False}, "application/json").status_code == 200
    )
    assert ids(hr, demand) == []  # the very next query
    talent.post("/matching/me/", {"action": "consent", "granted": "1"})
    assert ids(hr, demand) == [yes.pk]
    assert never.pk not in ids(hr, demand)
    assert refused.pk not in ids(hr, demand)


def test_an_edited_profile_is_matched_on_its_new_values_in_the_next_query(rworld, make_user, login, hire):
    s = rworld.skills
    demand = hire(skills=[s[2]], location="江宁")
    p = seeker(make_user, post=rworld.posts["B1"], skills=[s[2]], location="江宁")
    hr = login(rworld.hr_a)
    assert ids(hr, demand) == [p.pk]
    talent = login(p.account)
    moved = talent.put(
        "/api/v1/matching/me/details", {"skills": ["Python"], "location": "上海"}, "application/json"
    )
    assert moved.status_code == 200, moved.content
    assert ids(hr, demand) == []  # a hard filter now fails
    talent.put("/api/v1/matching/me/details", {"skills": ["Python"], "location": ""}, "application/json")
    assert ids(hr, demand) == [p.pk]


def test_explanations_name_terms_of_both_sides_and_what_is_missing(rworld, make_user, login, hire):
    s = rworld.skills
    chain = IndustryChain.objects.order_by("pk").first()
    assert chain is not None
    demand = hire(
        skills=[s[0], s[1], s[3]],
        majors=[rworld.majors[0]],
        chain=chain,
        title="数字芯片验证",
        experience_years=5,
    )
    p = seeker(
        make_user,
        post=rworld.posts["A1"],
        major=rworld.majors[0],
        skills=[s[0], s[3]],
        chain=chain,
        summary="做过数字芯片验证",
        experience_years=2,
    )
    row = login(rworld.hr_a).get(f"/api/v1/matching/demand/{demand.pk}/talents").json()[0]
    e = row["explanation"]
    assert e["skills"] == ["集成电路设计", "嵌入式"]
    assert e["missing_skills"] == ["Verilog"]
    assert e["major"] == rworld.majors[0].name
    assert e["degree"]
    assert e["post"] == "芯片设计工程师"
    assert e["chain"] == chain.name
    assert e["years_short"] == 3
    assert "数字" in e["keywords"] or "验证" in e["keywords"]
    page = login(rworld.hr_a).get(f"/matching/demand/{demand.pk}/")
    assert "集成电路设计" in page.content.decode()
    assert "Verilog" in page.content.decode()
    assert p.pk == row["profile_id"]


def test_employers_see_a_masked_profile_until_the_talent_accepts_contact(rworld, make_user, login, hire):
    demand = hire(skills=[rworld.skills[0]])
    p = seeker(
        make_user, post=rworld.posts["A1"], skills=[rworld.skills[0]], name="王小明", summary="我的简介"
    )
    hr = login(rworld.hr_a)
    row = hr.get(f"/api/v1/matching/demand/{demand.pk}/talents").json()[0]
    assert row["name"] == "王**"
    assert row["phone"] == "138****5678"
    assert row["summary"] == ""
    assert not row["unmasked"]
    assert "王小明" not in hr.get(f"/matching/demand/{demand.pk}/").content.decode()
    assert not contact_allowed(rworld.ent_a, p.account)
    asked = hr.post(f"/api/v1/matching/demand/{demand.pk}/contact", {"profile_id": p.pk}, "application/json")
    assert asked.status_code == 201, asked.content
    again = hr.post(f"/api/v1/matching/demand/{demand.pk}/contact", {"profile_id": p.pk}, "application/json")
    assert again.status_code == 409
    talent = login(p.account)
    contacts = talent.get("/api/v1/matching/me/contacts").json()
    assert [c["state"] for c in contacts] == ["requested"]
    talent.post("/matching/me/", {"action": "answer", "request_id": contacts[0]["id"], "accept": "1"})
    assert contact_allowed(rworld.ent_a, p.account)
    row = hr.get(f"/api/v1/matching/demand/{demand.pk}/talents").json()[0]
    assert row["name"] == "王小明"
    assert row["phone"] == "13812345678"
    assert row["summary"] == "我的简介"
    assert not contact_allowed(rworld.ent_b, p.account)  # another enterprise still sees it masked
    assert AuditEvent.objects.filter(action="matching.contact_answer").exists()


def test_a_declined_request_keeps_the_profile_masked(rworld, make_user, login, hire):
    demand = hire()
    p = seeker(make_user, post=rworld.posts["A1"], name="李雷")
    login(rworld.hr_a).post(f"/matching/demand/{demand.pk}/", {"profile_id": p.pk})
    request = ContactRequest.objects.get()
    talent = login(p.account)
    assert (
        talent.post(
            f"/api/v1/matching/me/contacts/{request.pk}", {"accept": False}, "application/json"
        ).json()["state"]
        == "declined"
    )
    assert not contact_allowed(rworld.ent_a, p.account)
    assert "李雷" not in login(rworld.hr_a).get(f"/matching/demand/{demand.pk}/").content.decode()


def test_the_export_is_masked_scoped_and_audited(rworld, make_user, login, hire):
    demand = hire(skills=[rworld.skills[0]])
    seeker(make_user, post=rworld.posts["A1"], skills=[rworld.skills[0]], name="张三丰")
    response = login(rworld.hr_a).get(f"/matching/demand/{demand.pk}/matches.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "张**" in values
    assert "张三丰" not in values
    assert "集成电路设计" in values
    assert AuditEvent.objects.filter(action="matching.export", object_id=str(demand.pk)).exists()
    assert login(rworld.hr_b).get(f"/matching/demand/{demand.pk}/matches.xlsx").status_code == 404
    assert login(rworld.park_b).get(f"/api/v1/matching/demand/{demand.pk}/talents").status_code == 404
    assert login(rworld.park_a).get(f"/api/v1/matching/demand/{demand.pk}/talents").status_code == 200


def test_only_the_enterprise_itself_requests_contact(rworld, make_user, login, hire):
    demand = hire()
    p = seeker(make_user, post=rworld.posts["A1"])
    office = login(rworld.office)
    assert office.get(f"/matching/demand/{demand.pk}/").status_code == 200
    r = office.post(f"/api/v1/matching/demand/{demand.pk}/contact", {"profile_id": p.pk}, "application/json")
    assert r.status_code == 403
    r = login(rworld.hr_b).post(
        f"/api/v1/matching/demand/{demand.pk}/contact", {"profile_id": p.pk}, "application/json"
    )
    assert r.status_code == 404
    outsider = seeker(make_user, post=rworld.posts["A1"], consent=False)
    r = login(rworld.hr_a).post(
        f"/api/v1/matching/demand/{demand.pk}/contact", {"profile_id": outsider.pk}, "application/json"
    )
    assert r.status_code == 404  # not matched: no consent
    assert not ContactRequest.objects.exists()


def test_posts_for_me_both_ways(rworld, make_user, login, hire):
    s = rworld.skills
    good = hire(skills=[s[0]], degree="bachelor", title="芯片")
    too_high = hire(degree="doctor")
    p = seeker(make_user, post=rworld.posts["A1"], degree="master", skills=[s[0]])
    talent = login(p.account)
    rows = talent.get("/api/v1/matching/me/posts").json()
    assert [r["demand_id"] for r in rows] == [str(good.pk)]
    assert rows[0]["explanation"]["skills"] == ["集成电路设计"]
    page = talent.get("/matching/me/").content.decode()
    assert "集成电路设计" in page
    assert str(good.pk) in page
    assert str(too_high.pk) not in page


def test_bad_details_are_refused_at_their_field_in_the_users_language(rworld, make_user, login):
    p = seeker(make_user, post=rworld.posts["A1"], skills=[rworld.skills[0]])
    talent = login(p.account)
    r = talent.put(
        "/api/v1/matching/me/details", {"skills": ["没有这个"], "chain": "nope"}, "application/json"
    )
    assert r.status_code == 422
    fields = r.json()["fields"]
    assert "没有这个" in fields["skills"][0]
    assert fields["chain"]
    page = talent.post("/matching/me/", {"action": "details", "salary_floor": "-5"})
    assert page.status_code == 400
    assert list(p.match.skills.values_list("term", flat=True)) == ["集成电路设计"]  # nothing half-written


def test_the_data_copy_holds_the_matching_details_and_requests(rworld, make_user, login, hire):
    from talentcloud.talents.models import Talent  # noqa: PLC0415
    from talentcloud.talents.services import talent_data_copy  # noqa: PLC0415

    demand = hire()
    p = seeker(make_user, post=rworld.posts["A1"], skills=[rworld.skills[1]], summary="简介")
    login(rworld.hr_a).post(f"/matching/demand/{demand.pk}/", {"profile_id": p.pk})
    copy = talent_data_copy(actor=rworld.office, talent=Talent.objects.get(account=p.account))
    assert copy["matching_details"][0]["skills"] == ["Verilog"]
    assert copy["matching_details"][0]["about_me"] == "简介"
    assert [(c["enterprise"], c["post"]) for c in copy["contact_requests"]] == [
        (rworld.ent_a.name, "芯片设计工程师")
    ]


def test_a_change_found_by_the_re_read_is_applied_and_the_index_searched_again(rworld, make_user, hire):
    """The index is searched as it stands, then its candidates and the change log's unapplied rows are read
    in one statement: no change, one statement; a change (here committed just before that statement runs)
    is applied and the index searched and its candidates read again."""
    s = rworld.skills
    demand = facts_of(hire(skills=[s[0], s[1]]))
    a = seeker(make_user, post=rworld.posts["A1"], skills=[s[0]])
    b = seeker(make_user, post=rworld.posts["A1"])
    calls: list[list[int]] = []

    def read(ids, unapplied, edit=None):
        if edit:
            edit()
        calls.append(ids)
        return passing_facts_and_changes(demand, ids, unapplied)

    PROFILES.catch_up()
    hits, rows = PROFILES.search_read(demand, 1, read)
    assert calls == [[a.pk]]
    assert [p.pk for p in rows] == [a.pk]

    calls.clear()

    def edit_b() -> None:
        details_save(
            actor=b.account, skills=[s[0], s[1]], location="", chain=None, salary_floor=None, summary=""
        )

    edits = [edit_b]
    hits, rows = PROFILES.search_read(demand, 1, lambda ids, u: read(ids, u, edits.pop() if edits else None))
    assert calls == [[a.pk], [b.pk]]
    assert [pk for pk, _score in hits] == [p.pk for p in rows] == [b.pk]
