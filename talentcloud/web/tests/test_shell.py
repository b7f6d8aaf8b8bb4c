from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from talentcloud.accounts.roles import ROLE_CATALOGUE
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db


def test_csp_forbids_inline_scripts_and_styles(make_user, login):
    response = login(make_user("talent-office", "320115-ZZB")).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    body = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), "inline <script> found"
    assert "style=" not in body
    assert "<style" not in body


def test_every_page_asset_is_local(make_user, login):
    body = login(make_user("talent-office", "320115-ZZB")).get("/").content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', body):
        assert not url.startswith(("http:", "https:", "//")), url


def test_chinese_by_default_and_english_on_request(make_user, login):
    client = login(make_user("talent-office", "320115-ZZB"))
    zh = client.get("/").content.decode()
    assert "人才云" in zh
    assert 'lang="zh-hans"' in zh
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get("/").content.decode()
    assert 'lang="en"' in en
    assert "Talent Cloud" in en
    assert "Sign out" in en


def test_language_switch_works_before_login():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Sign in" in client.get("/accounts/login/").content.decode()


def test_chinese_catalogue_is_complete():
    path = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries()


@pytest.mark.parametrize("spec", ROLE_CATALOGUE, ids=lambda s: s.code)
def test_every_role_gets_a_home_page(make_user, login, spec):
    unit = None if spec.code in ("talent", "enterprise-hr") else "320115-ZZB"
    client = login(make_user(spec.code, unit))
    response = client.get("/")
    assert response.status_code == 200
    for link in re.findall(r'class="tile">\s*<h2><a href="([^"]+)"', response.content.decode()):
        assert client.get(link).status_code == 200, link


def test_health_and_api_docs_are_public():
    client = Client()
    assert client.get("/health/").json() == {"status": "ok"}
    assert client.get("/api/v1/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/talents" in schema["paths"]


def test_anonymous_pages_redirect_to_login():
    response = Client().get("/talents/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_sqlite_runs_in_wal_with_full_sync():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_api_errors_are_json_with_fields(make_user, login):
    client = login(make_user("talent-office", "320115-ZZB"))
    response = client.get("/api/v1/talents?page=abc")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "page" in body["fields"]
    unknown = client.get("/api/v1/talents/not-a-uuid")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "not_found"
    missing = client.get("/api/v1/talents/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_chinese_even_when_the_browser_asks_for_english():
    page = Client().get("/accounts/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert 'lang="zh-hans"' in page.content.decode()
    assert "登录" in page.content.decode()


def test_a_talent_finds_their_own_archive_on_the_home_page(make_user, login):

    user = make_user("talent", None)
    other = Talent.objects.create(
        name="别人", gender="M", birth_date=dt.date(1990, 1, 1), highest_degree="master", category="young"
    )
    mine = Talent.objects.create(
        name="我自己",
        gender="F",
        birth_date=dt.date(1992, 2, 2),
        highest_degree="doctor",
        category="young",
        account=user,
    )
    client = login(user)
    home = client.get("/").content.decode()
    assert f"/talents/{mine.pk}/" in home
    assert "我自己" in client.get(f"/talents/{mine.pk}/").content.decode()
    assert client.get(f"/talents/{other.pk}/").status_code == 404
