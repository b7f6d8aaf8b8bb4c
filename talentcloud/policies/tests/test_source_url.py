"""A policy's source link is a web address (http or https only), in the editor's form and the API alike:
``javascript:`` and other schemes are refused with the same message; required fields are required in both."""

from __future__ import annotations

from typing import Any

import pytest

from talentcloud.policies.loader import PolicyFileError, import_policy, library_install
from talentcloud.policies.models import Policy
from talentcloud.policies.tests.test_authoring import NEW_POLICY
from talentcloud.servicehall.seed import catalogue_install

pytestmark = pytest.mark.django_db

BAD_URLS = (
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,x",
    "ftp://x.example/a",
)
API_POLICY: dict[str, Any] = {
    "code": "linked-policy",
    "title": "链接政策",
    "issuer": "人才办",
    "effective_from": "2026-01-01",
    "rule": {"fact": "age", "op": "<=", "value": 35},
    "benefit": {"kind": "money", "amount": 100, "period": "year"},
}


@pytest.fixture
def office(units, make_user, login):
    catalogue_install()
    library_install()
    return login(make_user("talent-office"))


@pytest.mark.parametrize("url", BAD_URLS)
def test_the_form_refuses_a_link_that_is_not_http(office, url):
    response = office.post(
        "/policies/manage/new/",
        {**NEW_POLICY, "source_url": url, "action": "save"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "http:// 或 https://" in page or "http:// or https://" in page
    assert not Policy.objects.filter(code=NEW_POLICY["code"]).exists()


@pytest.mark.parametrize("url", BAD_URLS)
def test_the_api_refuses_a_link_that_is_not_http(office, url):
    response = office.post(
        "/api/v1/policies/drafts", {**API_POLICY, "source_url": url}, content_type="application/json"
    )
    assert response.status_code == 422
    messages = response.json()["fields"]["source_url"]
    assert any("http:// 或 https://" in m or "http:// or https://" in m for m in messages), messages
    assert not Policy.objects.filter(code="linked-policy").exists()
    put = office.put(
        "/api/v1/policies/drafts/young-talent-allowance",
        {k: v for k, v in {**API_POLICY, "source_url": url}.items() if k != "code"},
        content_type="application/json",
    )
    assert put.status_code == 422
    assert "source_url" in put.json()["fields"]


def test_http_and_https_links_are_kept_in_both(office):
    link = "https://www.jiangning.gov.cn/a"
    form = office.post("/policies/manage/new/", {**NEW_POLICY, "source_url": link, "action": "save"})
    assert form.status_code == 302
    assert Policy.objects.get(code=NEW_POLICY["code"]).source_url == link
    api = office.post(
        "/api/v1/policies/drafts",
        {**API_POLICY, "source_url": "http://rsj.example.gov.cn/p?id=1"},
        content_type="application/json",
    )
    assert api.status_code == 201, api.content
    assert api.json()["source_url"] == "http://rsj.example.gov.cn/p?id=1"


@pytest.mark.parametrize("field", ["title", "issuer"])
def test_spaces_only_is_missing_in_the_api_as_in_the_form(office, field):
    form = office.post("/policies/manage/new/", {**NEW_POLICY, field: "   ", "action": "save"})
    assert form.status_code == 400
    api = office.post(
        "/api/v1/policies/drafts", {**API_POLICY, field: "   "}, content_type="application/json"
    )
    assert api.status_code == 422
    assert field in api.json()["fields"]
    assert not Policy.objects.filter(code__in=[NEW_POLICY["code"], "linked-policy"]).exists()


def test_a_policy_file_with_a_javascript_link_is_refused(office):
    data = {**API_POLICY, "source_url": "javascript:alert(1)"}
    with pytest.raises(PolicyFileError, match="source_url"):
        import_policy(data)
    assert not Policy.objects.filter(code="linked-policy").exists()
