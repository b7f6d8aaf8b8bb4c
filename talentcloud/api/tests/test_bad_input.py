"""Bad input is a 4xx answer, never a server error, on every page and API operation.

- A NUL character (``\\x00``, ``%00``, ``\\u0000``) in a path, query, form field, JSON body, header or cookie
  is refused in one place (``common.middleware.RejectNulMiddleware``) with a 400, before any query runs
  (PostgreSQL refuses NUL in text, which used to surface as a 500).
- A huge, negative or malformed ``page``/``page_size``/``after`` is clamped or refused, never a 500
  ('bigint out of range' on PostgreSQL).

Every door is walked, as the talent office (which sees everything) and anonymously, over the world of the
scope meta-test (its park-B records give each URL parameter a real id).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from talentcloud.accounts.models import User
from talentcloud.accounts.services import token_create
from talentcloud.api.tests import test_scope_doors as doors
from talentcloud.api.tests.test_scope_doors import example_body, fill, is_api_operation, iter_patterns
from talentcloud.common.access import ACCESS_ATTR
from talentcloud.conftest import verify_session
from talentcloud.privacy.storage import encrypted_storage

pytestmark = pytest.mark.django_db
world = doors.world  # the scope meta-test's world: a park-B record for every URL parameter

HUGE = "9" * 30
PAGE_PROBES = (
    {"page": HUGE},
    {"page": "-5"},
    {"page": "0"},
    {"page": "1e400"},
    {"page": "2", "page_size": HUGE},
    {"page_size": "-1"},
    {"after": "x" * 300},
    {"after": HUGE},
)


def page_routes(ids: dict[str, str]) -> list[tuple[str, str]]:
    routes = []
    for route, pattern in iter_patterns(get_resolver().url_patterns):
        if is_api_operation(route, pattern):
            continue
        routes.append((fill(route, ids), str(getattr(pattern.callback, ACCESS_ATTR, ""))))
    return routes


def api_operations(client: Client, ids: dict[str, str]) -> list[tuple[str, str, dict[str, Any], Any]]:
    schema = client.get("/api/v1/openapi.json").json()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            url = re.sub(r"\{(\w+)\}", lambda m: ids[str(m.group(1))], path)
            operation["x-path"] = path
            found.append((method, url, operation, example_body(schema, operation)))
    return found


@pytest.fixture
def stored_files(world: dict[str, Any], private_media: Any) -> None:
    """The world's document and case material, on disk (downloads read them)."""

    for name in ("documents/x/none.pdf", "cases/x/none.pdf"):
        assert encrypted_storage.save(name, ContentFile(b"%PDF-1.4\n%probe\n")) == name


@pytest.fixture
def office(world: dict[str, Any]) -> Client:
    client = Client()
    verify_session(client, User.objects.get(username="office-for-b"))
    return client


@pytest.fixture
def office_token(world: dict[str, Any]) -> str:
    _token, clear = token_create(actor=User.objects.get(username="office-for-b"), name="bad", console=True)
    return clear


def assert_refused(response: Any, where: str) -> None:
    assert response.status_code == 400, f"{where}: {response.status_code}"
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        answer = response.json()
        assert answer["code"] == "bad_request", where
        assert "NUL" in answer["message"], where
        assert answer["fields"], where
    else:
        assert "NUL" in body or "空字符" in body, where
        assert response["X-Frame-Options"] == "DENY", where
        assert "default-src 'none'" in response["Content-Security-Policy"], where


def test_nul_in_query_path_and_form_is_refused_on_every_page_before_any_query(world, office):
    anonymous = Client()
    checked = 0
    for url, _kind in page_routes(world["ids"]):
        for client in (office, anonymous):
            with CaptureQueriesContext(connection) as queries:
                assert_refused(client.get(url, {"q": "\x00"}), f"GET {url}?q=%00")
                assert_refused(client.get(url, {"page": "1\x00"}), f"GET {url}?page=1%00")
                assert_refused(client.get(f"{url}?%00=1"), f"GET {url}?%00=1")
                assert_refused(client.post(url, {"name": "a\x00b"}), f"POST {url} name=a%00b")
                assert_refused(client.post(url, {"x\x00": "b"}), f"POST {url} with a NUL in a field name")
            assert not queries.captured_queries, (
                f"{url} ran queries before refusing: {queries.captured_queries}"
            )
        if url.count("/") > 2:  # a path with a parameter: NUL in the segment
            segments = url.rstrip("/").split("/")
            bad = "/".join([*segments[:-1], "ab%00cd"]) + "/"
            assert_refused(office.get(bad), f"GET {bad}")
        checked += 1
    assert checked >= 50


def test_nul_is_refused_by_every_api_operation(world, office_token):
    client = Client()
    auth = {"Authorization": f"Bearer {office_token}"}
    checked = path_probes = 0
    for method, url, operation, body in api_operations(client, world["ids"]):
        where = f"{method.upper()} {url}"
        call = getattr(client, method)
        assert_refused(call(f"{url}?q=%00", headers=auth), f"{where}?q=%00")
        assert_refused(call(f"{url}?q=%00"), f"anonymous {where}?q=%00")
        if operation["x-path"] != url:  # a path parameter: NUL in each segment the parameters fill
            for segment in set(url.split("/")) - set(operation["x-path"].split("/")):
                bad = url.replace(f"/{segment}", "/ab%00cd")
                assert_refused(call(bad, headers=auth), f"{method.upper()} {bad}")
                path_probes += 1
        if body is not None and isinstance(body, dict) and body:
            first = next(iter(body))
            payload = {**body, first: "a\x00b"}
            response = call(url, payload, content_type="application/json", headers=auth)
            assert_refused(response, f"{where} JSON {first}=a\\u0000b")
            assert first in response.json()["fields"], where
            raw = b'{"' + first.encode() + b'": "a\x00b"}'
            assert_refused(call(url, raw, content_type="application/json", headers=auth), f"{where} raw NUL")
        checked += 1
    assert checked >= 50
    assert path_probes >= 30


def test_nul_in_the_token_or_a_cookie_used_as_key_is_refused(world):
    client = Client()
    response = client.get("/api/v1/talents", headers={"Authorization": "Bearer tc_abcd1234_x\x00y"})
    assert_refused(response, "bearer token with NUL")
    assert response.json()["fields"] == {"authorization": [response.json()["message"]]}
    with_cookie = Client()
    with_cookie.cookies["tc_session"] = "abcdefgh\x00ijklmnop"
    assert_refused(with_cookie.get("/talents/"), "session cookie with NUL")
    assert_refused(with_cookie.get("/api/v1/me"), "session cookie with NUL (API)")


def test_nul_in_a_put_or_patch_form_body_is_refused(world, office_token):
    client = Client()
    auth = {"Authorization": f"Bearer {office_token}"}
    url = f"/api/v1/talents/{world['ids']['talent_id']}"
    for method in (client.put, client.patch):
        response = method(url, "name=a%00b", content_type="application/x-www-form-urlencoded", headers=auth)
        assert_refused(response, f"{method.__name__} form name=a%00b")
        assert response.json()["fields"] == {"name": [response.json()["message"]]}


def test_a_json_escape_that_is_not_a_nul_passes(world, office_token):
    """Only a decoded NUL is refused: an escaped backslash followed by 'u0000' is ordinary text."""
    response = Client().post(
        "/api/v1/policies/check",
        b'{"rule": {"note": "\\\\u0000"}, "benefit": {}}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {office_token}"},
    )
    assert response.status_code == 200, response.content


def test_huge_or_negative_pages_never_fail_on_any_page(world, office, stored_files):
    checked = 0
    for url, kind in page_routes(world["ids"]):
        if kind == "shell":
            continue
        for params in PAGE_PROBES:
            verify_session(office, User.objects.get(username="office-for-b"))  # a probed logout
            response = office.get(url, params)
            assert response.status_code < 500, f"GET {url} {params}: {response.status_code}"
        checked += 1
    assert checked >= 50


def test_huge_or_negative_pages_are_a_422_naming_the_field_in_the_api(world, office_token, stored_files):
    client = Client()
    auth = {"Authorization": f"Bearer {office_token}"}
    lists = 0
    for method, url, operation, _body in api_operations(client, world["ids"]):
        if method != "get":
            continue
        names = {p["name"] for p in operation.get("parameters", [])}
        for params in PAGE_PROBES:
            response = client.get(url, params, headers=auth)
            assert response.status_code < 500, f"GET {url} {params}: {response.status_code}"
        if "page" in names:
            lists += 1
            for params, field in (
                ({"page": HUGE}, "page"),
                ({"page": "-5"}, "page"),
                ({"page_size": HUGE}, "page_size"),
            ):
                response = client.get(url, params, headers=auth)
                assert response.status_code == 422, f"GET {url} {params}: {response.status_code}"
                assert field in response.json()["fields"], response.json()
            last = client.get(url, {"page": "100000"}, headers=auth)  # the highest page: empty, not an error
            assert last.status_code in (200, 403), url  # 403: the audit log is the audit administrator's
            assert last.status_code == 403 or last.json()["items"] == [], url
    assert lists >= 10
