"""A 待遇 change end to end: the amount and its test case changed on the editor page, the failure read in
Chinese, and publishing by a second person who holds ``policy.publish`` — never by whoever changed the draft
last, on the page, through the API or by ``policies import`` (which makes drafts only)."""

from __future__ import annotations

import tempfile
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from talentcloud.audit.models import AuditEvent
from talentcloud.policies import cases
from talentcloud.policies.engine import calculate_for_facts
from talentcloud.policies.loader import LIBRARY, library_install, office_facts_file, read_file, run_tests
from talentcloud.policies.models import Policy
from talentcloud.policies.office_facts import hold_library_definitions
from talentcloud.servicehall.seed import catalogue_install

pytestmark = pytest.mark.django_db

CODE = "housing-purchase-subsidy"
EDITOR = f"/policies/manage/{CODE}/"
PUBLISH = f"/policies/manage/{CODE}/publish/"
API_PUBLISH = f"/api/v1/policies/drafts/{CODE}/publish"


class _Form(HTMLParser):
    """The fields the editor's form sends, as a browser would send them (inputs, ticked boxes, selections)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("id") == "policy-form":
            self._inside = True
        if not self._inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            if self._select and not self.data[self._select]:
                self.data[self._select] = [""]
            self._select = None
        if tag == "form":
            self._inside = False


def form_of(client: Any, url: str = EDITOR) -> dict[str, Any]:
    page = client.get(url)
    assert page.status_code == 200
    parser = _Form()
    parser.feed(page.content.decode())
    return {
        k: v if len(v) > 1 or k.endswith((".values", ".failed", ".missing")) else v[0]
        for k, v in parser.data.items()
    }


def case_index(form: dict[str, Any], name: str) -> int:
    return next(int(k.split(".")[1]) for k, v in form.items() if k.endswith(".name") and v == name)


@pytest.fixture
def library(units):
    catalogue_install()
    library_install()


@pytest.fixture
def office(library, make_user):
    return make_user("talent-office", display_name="王主任")


@pytest.fixture
def head(library, make_user):
    return make_user("talent-office-head", display_name="赵主任")


def _amount_for_c() -> str:
    facts = {"grade": "C", "employed_in_district": True}
    [verdict] = [v for v in calculate_for_facts(facts) if v.policy.code == CODE]
    return str(verdict.amount and verdict.amount.per_period)


def test_an_amount_change_with_its_case_updated_on_the_page_is_published_by_the_second_person(
    office, head, login
):
    drafter, publisher = login(office), login(head)
    # The office raises C 类 from 80 万 to 100 万 on the page.
    form = form_of(drafter)
    assert form["benefit-table_C"] == "800000"
    saved = drafter.post(EDITOR, {**form, "benefit-table_C": "1000000", "action": "save"})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    draft = Policy.objects.get(code=CODE, status="draft")
    assert draft.drafted_by == office
    # The policy's own case now fails, and says so in words: which case, what it expects, what came out.
    page = drafter.get(EDITOR).content.decode()
    assert "测试用例“C 类人才 80 万”：金额应为 800,000 元，实际为 1,000,000 元。" in page
    assert 'data-testid="publish"' not in page
    # The office updates the case on the same page: its name and the amount it expects.
    form = form_of(drafter)
    c = case_index(form, "C 类人才 80 万")
    form.update({f"t.{c}.name": "C 类人才 100 万", f"t.{c}.amount": "1000000", "action": "save"})
    assert drafter.post(EDITOR, form).status_code == 302
    draft.refresh_from_db()
    assert draft.tests[c] == {
        "name": "C 类人才 100 万",
        "facts": {"grade": "C", "employed_in_district": True},
        "expect": {"status": "eligible", "amount": 1000000},
    }
    assert [t["name"] for t in draft.tests] == ["C 类人才 100 万", "F 类不在范围", "未认定"]
    assert draft.tests[1]["expect"] == {"status": "not_eligible", "failed": ["grade"]}
    assert draft.tests[2]["expect"] == {"status": "missing", "missing": ["grade"]}
    page = drafter.get(EDITOR).content.decode()
    assert "测试用例“" not in page
    # The drafter has no publish permission: neither the page nor the API publishes for them.
    assert 'data-testid="publish"' not in page
    assert drafter.get(PUBLISH).status_code == 403
    assert drafter.post(PUBLISH).status_code == 403
    assert drafter.post(API_PUBLISH).status_code == 403
    assert _amount_for_c() == "800000.00"
    # The head sees the button, is asked to confirm, and publishes.
    assert 'data-testid="publish"' in publisher.get(EDITOR).content.decode()
    confirm = publisher.get(PUBLISH).content.decode()
    assert 'data-testid="confirm-publish"' in confirm
    assert "王主任" in confirm  # who changed it
    assert publisher.post(PUBLISH).status_code == 302
    versions = dict(Policy.objects.filter(code=CODE).values_list("version", "status"))
    assert versions == {1: "retired", 2: "published"}
    assert _amount_for_c() == "1000000.00"
    event = AuditEvent.objects.get(action="policy.publish")
    assert event.actor_id == head.pk
    assert event.details["drafted_by"] == office.pk
    saved_event = AuditEvent.objects.filter(action="policy.draft_save").order_by("-pk").first()
    assert saved_event is not None
    assert "tests" in saved_event.details["changed"]


def test_whoever_changed_the_draft_last_cannot_publish_it_on_the_page_or_through_the_api(
    head, make_user, login
):
    # The head writes the change: holding the publish permission does not let them publish their own draft.
    author = login(head)
    form = form_of(author)
    c = case_index(form, "C 类人才 80 万")
    form.update({"benefit-table_C": "1000000", f"t.{c}.amount": "1000000", "action": "save"})
    assert author.post(EDITOR, form).status_code == 302
    page = author.get(EDITOR).content.decode()
    assert 'data-testid="publish"' not in page
    assert "您不能发布自己修改的草稿" in page
    assert "这份草稿最后由您修改" in author.get(PUBLISH).content.decode()
    assert 'data-testid="confirm-publish"' not in author.get(PUBLISH).content.decode()
    assert author.post(PUBLISH).status_code == 403
    refused = author.post(API_PUBLISH)
    assert refused.status_code == 403
    assert "另一位有发布权限的人员" in refused.json()["message"]
    assert Policy.objects.get(code=CODE, status="draft").version == 2
    assert not AuditEvent.objects.filter(action="policy.publish").exists()
    # A second head publishes it; the API answers the published version.
    other = login(make_user("talent-office-head"))
    published = other.post(API_PUBLISH)
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert _amount_for_c() == "1000000.00"


def test_policies_import_makes_a_draft_only_and_its_drafter_cannot_publish_it(
    head, make_user, login, tmp_path
):
    data = (LIBRARY / f"{CODE}.yaml").read_text(encoding="utf-8")
    data = data.replace("version: 1", "version: 2").replace("C: 800000", "C: 1000000")
    data = data.replace("amount: 800000", "amount: 1000000")
    (tmp_path / f"{CODE}.yaml").write_text(data, encoding="utf-8")
    out = StringIO()
    call_command("policies", "import", str(tmp_path), "--by", head.username, stdout=out)
    assert f"{CODE}: draft v2" in out.getvalue()
    versions = dict(Policy.objects.filter(code=CODE).values_list("version", "status"))
    assert versions == {1: "published", 2: "draft"}  # nothing changed for anyone
    assert _amount_for_c() == "800000.00"
    assert Policy.objects.get(code=CODE, version=2).drafted_by == head
    # Who imported it cannot publish it, on the page or through the API.
    importer = login(head)
    assert importer.post(PUBLISH).status_code == 403
    assert importer.post(API_PUBLISH).status_code == 403
    # A newer file while the draft waits is refused; nothing is overwritten.
    newer = data.replace("version: 2", "version: 3")
    (tmp_path / f"{CODE}.yaml").write_text(newer, encoding="utf-8")
    with pytest.raises(CommandError, match=r"草稿|draft"):
        call_command("policies", "import", str(tmp_path), stdout=StringIO())
    assert not Policy.objects.filter(code=CODE, version=3).exists()
    # Another head publishes it.
    assert login(make_user("talent-office-head")).post(PUBLISH).status_code == 302
    assert _amount_for_c() == "1000000.00"


def test_policies_import_from_the_console_never_publishes(library):
    data = read_file(LIBRARY / "recuperation.yaml")
    path_data = (
        (LIBRARY / "recuperation.yaml").read_text(encoding="utf-8").replace("version: 1", "version: 3")
    )

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "recuperation.yaml").write_text(path_data, encoding="utf-8")
        call_command("policies", "import", folder, stdout=StringIO())
    draft = Policy.objects.get(code="recuperation", version=3)
    assert draft.status == "draft"
    assert draft.drafted_by is None
    assert Policy.objects.get(code="recuperation", status="published").version == data["version"]


def test_case_buttons_add_and_remove_cases_and_facts_and_bad_values_are_named(office, login):
    client = login(office)
    form = form_of(client)
    count = sum(1 for k in form if k.startswith("t.") and k.endswith(".name"))
    added = client.post(EDITOR, {**form, "action": "add-case"})
    parser = _Form()
    parser.feed(added.content.decode())
    assert f"t.{count}.name" in parser.data
    assert f"t.{count}.f.0.fact" in parser.data
    form = {k: v[0] if len(v) == 1 else v for k, v in parser.data.items()}
    form.update(
        {
            f"t.{count}.name": "E 类 15 万",
            f"t.{count}.f.0.fact": "grade",
            f"t.{count}.f.0.value": "E",
            f"t.{count}.status": "eligible",
            f"t.{count}.amount": "150000",
        }
    )
    # A fact row added to the new case, filled with a value that is not a number.
    more = client.post(EDITOR, {**form, "action": f"add-fact:{count}"})
    parser = _Form()
    parser.feed(more.content.decode())
    form = {k: v[0] if len(v) == 1 else v for k, v in parser.data.items()}
    assert f"t.{count}.f.1.fact" in form
    form.update({f"t.{count}.f.1.fact": "age", f"t.{count}.f.1.value": "forty", "action": "save"})
    refused = client.post(EDITOR, form)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "“年龄”须为整数" in text
    assert not Policy.objects.filter(code=CODE, status="draft").exists()  # nothing half-saved
    # Fixed: the age row is removed, the employment row added; then the first case is removed.
    form = {k: v for k, v in form.items() if not k.startswith(f"t.{count}.f.1.")}
    form.update({f"t.{count}.f.1.fact": "employed_in_district", f"t.{count}.f.1.value": "true"})
    removed = client.post(EDITOR, {**form, "action": "remove-case:0"})
    parser = _Form()
    parser.feed(removed.content.decode())
    form = {k: v[0] if len(v) == 1 else v for k, v in parser.data.items()}
    assert form["t.0.name"] == "F 类不在范围"
    assert client.post(EDITOR, {**form, "action": "save"}).status_code == 302
    draft = Policy.objects.get(code=CODE, status="draft")
    assert [t["name"] for t in draft.tests] == ["F 类不在范围", "未认定", "E 类 15 万"]
    assert draft.tests[2]["facts"] == {"grade": "E", "employed_in_district": True}
    assert run_tests(
        {
            **{"code": CODE},
            **{f: getattr(draft, f) for f in ("rule", "benefit", "target")},
            "effective_from": draft.effective_from,
            "tests": draft.tests,
        }
    )[2].ok


def test_every_library_case_reads_back_unchanged_from_the_form_rows():
    hold_library_definitions(office_facts_file())  # the facts the office defined for the library
    for path in sorted(LIBRARY.glob("*.yaml")):
        if path.name == "parameters.yaml":
            continue
        data = read_file(path)
        tests = [
            {**t, "as_of": t["as_of"].isoformat()} if "as_of" in t else t for t in data.get("tests") or []
        ]
        again, problems = cases.cases_to_tests(cases.cases_from_tests(tests), data.get("target", "talent"))
        assert problems == {}, (path.name, problems)
        assert again == tests, path.name


def test_a_failing_case_reads_in_chinese_with_the_case_and_the_difference():
    data = read_file(LIBRARY / f"{CODE}.yaml")
    data["benefit"]["amount"]["table"]["C"] = 1000000
    data["tests"][1]["expect"] = {"status": "eligible"}
    data["tests"][2]["expect"] = {"status": "missing", "missing": ["employed_in_district"]}
    with translation.override("zh-hans"):
        texts = [r.text() for r in run_tests(data) if not r.ok]
    assert texts == [
        "测试用例“C 类人才 80 万”：金额应为 800,000 元，实际为 1,000,000 元。",
        "测试用例“F 类不在范围”：结果应为“符合”，实际为“不符合”。",
        "测试用例“未认定”：缺少的信息应为“在区内企业就业”，实际为“人才认定类别”。",
    ]
    with translation.override("en"):
        [first, *_rest] = [r.text() for r in run_tests(data) if not r.ok]
    assert first == "Test case “C 类人才 80 万”: the amount should be 800,000 yuan but is 1,000,000 yuan."


def test_the_api_takes_the_test_cases_checked_as_the_page_checks_them(office, head, login):
    api = login(office)
    current = api.get(f"/api/v1/policies/drafts/{CODE}").json()
    body = {k: current[k] for k in ("title", "issuer", "effective_from", "target", "rule", "benefit")}
    body["benefit"]["amount"]["table"]["C"] = 1000000
    case = {
        "name": "C 类人才 100 万",
        "facts": {"grade": "C", "employed_in_district": True},
        "expect": {"status": "eligible", "amount": 1000000},
    }
    bad = {**case, "facts": {"grade": "C", "employed_in_district": 3}}
    refused = api.put(
        f"/api/v1/policies/drafts/{CODE}", {**body, "tests": [bad]}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert "tests[0]" in refused.json()["fields"]
    assert not Policy.objects.filter(code=CODE, status="draft").exists()
    saved = api.put(
        f"/api/v1/policies/drafts/{CODE}", {**body, "tests": [case]}, content_type="application/json"
    )
    assert saved.status_code == 200
    assert saved.json()["tests_failing"] == []
    assert Policy.objects.get(code=CODE, status="draft").tests == [case]
    assert api.post(API_PUBLISH).status_code == 403
    assert login(head).post(API_PUBLISH).status_code == 200
