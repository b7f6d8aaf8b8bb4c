"""The phone shell as served: the talent's tab bar, the menu button, list tables labelled for the card layout,
and form fields whose aria-describedby names ids that are on the page."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import Client

from talentcloud.policies.loader import library_install
from talentcloud.talents.models import Talent

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The parts of a page these tests read: the tab bar's links, every id, every aria-describedby, and the
    .cards tables' headers and cells."""

    def __init__(self, html: str):
        super().__init__()
        self.tabs: list[dict[str, str | None]] = []
        self.ids: set[str] = set()
        self.described: list[str] = []
        self.tables: list[dict[str, list]] = []
        self._in_tab_bar = False
        self._tab: dict[str, str | None] | None = None
        self._table: dict[str, list] | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if a.get("aria-describedby"):
            self.described += (a["aria-describedby"] or "").split()
        if tag == "nav" and a.get("data-testid") == "tab-bar":
            self._in_tab_bar = True
        if self._in_tab_bar and tag == "a":
            self._tab = {"href": a.get("href"), "current": a.get("aria-current"), "label": ""}
        if tag == "table" and "cards" in (a.get("class") or "").split():
            self._table = {"headers": [], "rows": []}
        if self._table is not None:
            if tag == "th":
                self._cell = []
            elif tag == "tr":
                self._table["rows"].append([])
            elif tag == "td":
                self._cell = []
                self._table["rows"][-1].append((a.get("data-label"), "colspan" in a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_tab_bar = False
        if tag == "a" and self._tab is not None:
            self.tabs.append(self._tab)
            self._tab = None
        if self._table is not None:
            if tag == "th" and self._cell is not None:
                self._table["headers"].append("".join(self._cell).strip())
                self._cell = None
            elif tag == "table":
                self._table["rows"] = [row for row in self._table["rows"] if row]
                self.tables.append(self._table)
                self._table = None

    def handle_data(self, data: str) -> None:
        if self._tab is not None:
            self._tab["label"] = (self._tab["label"] or "") + data.strip()
        if self._cell is not None:
            self._cell.append(data)


def make_talent_with_archive(make_user):

    user = make_user("talent", None)
    Talent.objects.create(
        name="程晓",
        gender="F",
        birth_date=dt.date(1991, 3, 3),
        highest_degree="master",
        category="young",
        account=user,
    )
    return user


def test_a_talent_gets_the_tab_bar_with_the_current_tab_marked(make_user, login):
    client = login(make_talent_with_archive(make_user))
    home = Page(client.get("/").content.decode())
    assert [t["label"] for t in home.tabs] == ["首页", "办事", "政策", "消息", "我的"]
    assert [t["href"] for t in home.tabs] == [
        "/",
        "/hall/cases/",
        "/policies/calculator/",
        "/inbox/",
        "/talents/me/",
    ]
    assert [t["current"] for t in home.tabs] == ["page", None, None, None, None]
    for tab in home.tabs:  # each tab opens for the talent
        assert client.get(tab["href"]).status_code == 200, tab
    # Under a tab's pages the tab is current: a service's page is under 办事, a policy under 政策.
    for path, current in (
        ("/hall/", "办事"),
        ("/inbox/", "消息"),
        ("/policies/", "政策"),
        ("/talents/me/", "我的"),
    ):
        page = Page(client.get(path).content.decode())
        assert [t["label"] for t in page.tabs if t["current"] == "page"] == [current], path
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = Page(client.get("/").content.decode())
    assert [t["label"] for t in english.tabs] == ["Home", "Services", "Policies", "Messages", "Me"]


@pytest.mark.parametrize("role", ["talent-office", "service-staff", "enterprise-hr"])
def test_staff_enterprises_and_visitors_get_no_tab_bar(make_user, login, role):
    unit = None if role == "enterprise-hr" else "320115-ZZB"
    body = login(make_user(role, unit)).get("/").content.decode()
    assert 'data-testid="tab-bar"' not in body
    assert "with-tab-bar" not in body
    visitor = Client().get("/accounts/login/").content.decode()
    assert 'data-testid="tab-bar"' not in visitor
    # A visitor's bar holds the language switch itself: there is no menu to fold.
    assert 'data-testid="menu-toggle"' not in visitor
    assert 'class="site-menu" id="site-menu"' in visitor
    assert 'data-testid="lang-en"' in visitor


def test_the_menu_button_names_the_menu_it_opens(make_user, login):
    body = login(make_talent_with_archive(make_user)).get("/").content.decode()
    button = re.search(r"<button[^>]*class=\"menu-toggle[^>]*>", body)
    assert button is not None
    assert 'type="button"' in button.group(0)
    assert 'aria-expanded="false"' in button.group(0)
    assert 'aria-controls="site-menu"' in button.group(0)
    menu = body.split('id="site-menu"', 1)[1]
    assert 'data-testid="logout"' in menu  # the account's menu folds with the pages
    assert 'data-testid="lang-en"' in menu


def test_list_tables_label_every_cell_with_its_column(make_user, login):

    library_install()
    for i in range(3):
        Talent.objects.create(
            name=f"卡片{i}",
            gender="M",
            birth_date=dt.date(1990, 1, 1),
            highest_degree="doctor",
            category="young",
        )
    office = login(make_user("talent-office", "320115-ZZB"))
    talent = login(make_talent_with_archive(make_user))
    pages = [
        (office, "/talents/"),
        (office, "/enterprises/"),
        (Client(), "/policies/"),
        (talent, "/hall/cases/"),
        (talent, "/accounts/tokens/"),
    ]
    labelled: set[str] = set()
    for client, path in pages:
        page = Page(client.get(path).content.decode())
        assert page.tables, path
        for table in page.tables:
            for row in table["rows"]:
                for index, (label, spans) in enumerate(row):
                    if spans:
                        continue  # "nothing here" across the row: no label
                    header = table["headers"][index]
                    # A cell under an unlabelled column (a row's actions) says so with an empty label.
                    assert label == header or (label == "" and header in ("操作", "")), (path, index, label)
                    labelled.add(path)
    assert labelled >= {"/talents/", "/policies/"}, labelled


class Described(forms.Form):
    name = forms.CharField(label="Name", help_text="As on your ID card.")
    phone = forms.CharField(label="Phone", max_length=3)


def test_every_aria_describedby_names_an_id_on_the_page():
    bound = Described(data={"name": "", "phone": "1234"})
    assert not bound.is_valid()
    for form in (Described(), bound):
        page = Page(render_to_string("web/includes/form_fields.html", {"form": form}))
        assert page.described, "the fields are described"
        assert set(page.described) <= page.ids, (page.described, page.ids)
    page = Page(render_to_string("web/includes/form_fields.html", {"form": bound}))
    assert {"id_name_helptext", "id_name_error", "id_phone_error"} <= set(page.described)
    # A form without ids describes nothing and names nothing.
    unnamed = Page(render_to_string("web/includes/form_fields.html", {"form": Described(auto_id=False)}))
    assert unnamed.described == []
