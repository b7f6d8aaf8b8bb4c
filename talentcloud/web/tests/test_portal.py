"""The public portal at / (a visitor's front page; a signed-in user's home stays at /), its footer from the
settings, the privacy statement, and the way back from the login page."""

from __future__ import annotations

import pytest
from django.test import Client

from talentcloud.conftest import PASSWORD
from talentcloud.policies.loader import library_install
from talentcloud.policies.models import Policy
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.web.tests.pagetext import main_text

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_the_portal_with_entry_points_and_footer(units):
    catalogue_install()
    library_install()
    response = Client().get("/")
    assert response.status_code == 200
    body = response.content.decode()
    for testid, href in (
        ("entry-guide", "/hall/guide/"),
        ("entry-policies", "/policies/"),
        ("entry-calculator", "/policies/quick/"),
        ("entry-login", "/accounts/login/"),
        ("signup-talent", "/talents/register/"),
        ("signup-enterprise", "/enterprises/join/"),
        ("theme-housing", "/hall/guide/?theme=housing"),
        ("theme-certification", "/hall/guide/?theme=certification"),
    ):
        assert f'href="{href}" data-testid="{testid}"' in body or (
            f'data-testid="{testid}"' in body and href in body
        ), testid
    text = main_text(body)
    assert "南京市江宁区" in text
    assert "人才创业创新云服务平台" in text
    assert "办事指南" in text
    assert "政策库" in text
    for theme in ("安居", "医疗", "子女入学", "创业融资", "人才认定"):
        assert theme in text
    assert "苏ICP备" in text
    assert "隐私声明" in text
    assert "025-5210 1000" in text
    assert 'href="/privacy/"' in body
    assert 'action="/hall/guide/"' in body  # the search box searches the guide
    newest = Policy.objects.filter(status="published").order_by("-effective_from", "code").first()
    assert newest is not None
    assert newest.title in text  # the newest policies


def test_the_footer_follows_the_settings(units, settings):
    settings.TALENTCLOUD_ICP_NUMBER = "苏ICP备12345678号-2"
    settings.TALENTCLOUD_OFFICE_PHONE = "025-8888 8888"
    settings.TALENTCLOUD_PRIVACY_URL = "https://www.jiangning.gov.cn/privacy.html"
    body = Client().get("/").content.decode()
    assert "苏ICP备12345678号-2" in body
    assert "025-8888 8888" in body
    assert 'href="https://www.jiangning.gov.cn/privacy.html" data-testid="privacy-link"' in body


def test_the_portal_in_english(units):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = main_text(client.get("/").content.decode())
    assert "Service guide" in text
    assert "Policy library" in text
    assert "Privacy statement" in text
    assert "Start-ups and finance" in text


def test_a_signed_in_user_still_gets_their_home_and_reaches_the_portal(make_user, login):
    client = login(make_user("talent-office", "320115-ZZB"))
    home = client.get("/").content.decode()
    assert 'data-testid="to-portal"' in home
    assert 'data-testid="entry-login"' not in home
    portal = client.get("/portal/").content.decode()
    assert 'data-testid="entry-workbench"' in portal
    assert 'data-testid="entry-login"' not in portal


def test_staff_without_the_second_factor_are_sent_to_it_not_to_the_home(make_user):

    make_user("talent-office", "320115-ZZB", username="needs.code")
    client = Client()
    client.post("/accounts/login/", {"username": "needs.code", "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/")


def test_the_login_page_links_back_to_the_portal(units):
    body = Client().get("/accounts/login/").content.decode()
    assert 'href="/portal/" data-testid="back-to-portal"' in body


def test_the_privacy_statement_is_public(units):
    response = Client().get("/privacy/")
    assert response.status_code == 200
    text = main_text(response.content.decode())
    assert "隐私声明" in text
    assert "15 个工作日" in text
    assert "个人信息保护法" in text
