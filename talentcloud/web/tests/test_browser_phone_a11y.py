"""The phone shell and accessibility, in Debian's chromium over the seeded demo.

- At 390×844 the talent meets a compact header, a bottom tab bar with five tabs, no page wider than the
  screen and tables drawn as cards.
- axe-core (vendored under ``vendor/axe-core``, injected from the file: no network) finds no violation of
  any impact on the main pages, in both languages, at 1366×900 and at 390×844; and no ``aria-describedby``
  on those pages names an id that is not there.

The demo is seeded once per test (one browser, one page reused, sessions set as cookies). The pages are data:
add a page by adding an ``AxePage`` to ``AXE_PAGES``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from talentcloud.accounts.models import User
from talentcloud.conftest import CHROMIUM, verify_session
from talentcloud.demo.seed import seed_all
from talentcloud.policies.models import Policy
from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case, Service
from talentcloud.talents.models import Talent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LANGUAGES = ("zh-hans", "en")
DRAFT_KEY = "phone-a11y-draft"
LAZY_SECTIONS = "details[hx-get] > summary"


@dataclass(frozen=True)
class AxePage:
    """A page axe checks: its path (placeholders filled from the seeded demo, see ``demo_ids``) and who
    looks at it (a demo username, or None for a visitor)."""

    name: str
    path: str
    viewer: str | None = None
    submit_empty: bool = False  # send the page's form empty first: the page as it shows its errors
    open_menu: bool = False  # on the phone, check it again with the header's menu open
    expand: str = ""  # selector of <summary> elements to open first (sections htmx loads when opened)


AXE_PAGES: tuple[AxePage, ...] = (
    # Public pages.
    AxePage("service guide (办事指南)", "/hall/guide/"),
    AxePage("a service's guide", "/hall/guide/{service_code}/"),
    AxePage("portal", "/"),
    AxePage("login", "/accounts/login/"),
    AxePage("login, with its errors", "/accounts/login/", submit_empty=True),
    AxePage("public policy library", "/policies/"),
    AxePage("public policy page", "/policies/{policy_code}/"),
    AxePage("public calculator", "/policies/quick/"),
    # The talent, on the pages of the phone tab bar and their cases.
    AxePage("talent home (tab bar)", "/", "talent", open_menu=True),
    AxePage("my cases (card table)", "/hall/cases/", "talent"),
    AxePage("a case", "/hall/cases/{case_id}/", "talent"),
    AxePage("a draft with a file input", "/hall/cases/{draft_id}/", "talent"),
    AxePage("hall catalogue", "/hall/", "talent"),
    AxePage("calculator", "/policies/calculator/", "talent"),
    AxePage("inbox", "/inbox/", "talent"),
    AxePage("my details", "/talents/me/", "talent"),
    AxePage("my archive record", "/talents/{own_talent_id}/", "talent", expand=LAZY_SECTIONS),
    # Staff.
    AxePage("staff home", "/", "office", open_menu=True),
    AxePage("talent list (card table)", "/talents/", "office"),
    AxePage("talent detail", "/talents/{talent_id}/", "office", expand=LAZY_SECTIONS),
    AxePage("talent edit (help texts)", "/talents/{talent_id}/edit/", "office"),
    AxePage("enterprise list (card table)", "/enterprises/", "office"),
    AxePage("worklist (card table)", "/hall/work/", "zjj"),
    AxePage("a case, staff", "/hall/cases/{case_id}/", "zjj"),
    AxePage("policy library", "/policies/", "office"),
    AxePage("my talents (cards labelled by app.js)", "/talents/mine/", "cadre"),
    AxePage("register of talent programmes (card table, form)", "/talents/programmes/", "office"),
    AxePage("register, with its errors", "/talents/programmes/", "office", submit_empty=True),
    AxePage("my certification", "/certification/me/", "talent"),
    AxePage("a talent's certification history", "/certification/talents/{talent_id}/", "office"),
    AxePage("grade proposals", "/certification/proposals/", "office"),
    AxePage("expiring certifications", "/certification/expiring/", "office"),
    AxePage("published demand catalogues", "/recruitment/catalogues/"),
    AxePage("a published catalogue (card table)", "/recruitment/catalogues/{last_year}/"),
    AxePage("the catalogue draft (weights, preview form)", "/recruitment/manage/{this_year}/", "office"),
    AxePage("talent demand (card table)", "/recruitment/demand/", "park-kfq"),
    AxePage("post demand", "/recruitment/demand/new/", "hr"),
    AxePage("post demand, with its errors", "/recruitment/demand/new/", "hr", submit_empty=True),
    AxePage("job seeking", "/recruitment/me/", "talent"),
)


def demo_ids() -> dict[str, str]:
    """Values for the placeholders of ``AXE_PAGES``, read from the seeded demo."""

    talent_user = User.objects.get(username="talent")
    mine = Case.objects.filter(applicant=talent_user)
    return {
        "policy_code": Policy.objects.order_by("code").values_list("code", flat=True)[0],
        "service_code": Service.objects.order_by("code").values_list("code", flat=True)[0],
        "case_id": str(mine.filter(number__isnull=False).order_by("created_at")[0].pk),
        "draft_id": str(mine.get(idempotency_key=DRAFT_KEY).pk),
        "talent_id": str(Talent.objects.order_by("name", "id")[0].pk),
        "own_talent_id": str(Talent.objects.get(account=talent_user).pk),
        "last_year": str(timezone.localdate().year - 1),
        "this_year": str(timezone.localdate().year),
    }


@pytest.fixture
def demo(units: Any) -> dict[str, str]:

    seed_all(talents=60, seed=13)
    # A draft on a service that asks for documents: its page has the file inputs.
    cases.case_draft_save(
        actor=User.objects.get(username="talent"),
        service=Service.objects.get(code="spouse-employment"),
        data={},
        idempotency_key=DRAFT_KEY,
    )
    return demo_ids()


def session_cookie(username: str) -> str:

    user = User.objects.get(username=username)
    client = Client()
    if user.requires_second_factor:
        verify_session(client, user)
    else:
        client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Visitor:
    """One page of one browser, signed in as whoever the next page needs, in the language asked for."""

    def __init__(self, page: Any, base_url: str):
        self.page = page
        self.base_url = base_url
        self.viewer: str | bool | None = False  # nobody yet
        self.cookies: dict[str, str] = {}

    def open(self, path: str, viewer: str | None, language: str) -> None:
        context = self.page.context
        if viewer != self.viewer:
            context.clear_cookies()
            if viewer is not None:
                if viewer not in self.cookies:
                    self.cookies[viewer] = session_cookie(viewer)
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": self.cookies[viewer],
                            "url": self.base_url,
                        }
                    ]
                )
            self.viewer = viewer
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": self.base_url}]
        )
        response = self.page.goto(self.base_url + path)
        assert response is not None
        assert response.status == 200, f"{path} as {viewer}: {response.status}"
        if self.page.locator("html").get_attribute("lang") != language:
            # An account's own preferred language wins over the cookie: switch through the header.
            with self.page.expect_navigation():
                self.page.get_by_test_id("lang-en" if language == "en" else "lang-zh").first.click()
        assert self.page.locator("html").get_attribute("lang") == language


NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_the_talent_on_a_phone_gets_a_compact_header_a_tab_bar_and_cards(browser_context, live_server, demo):

    page = browser_context.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
    ).new_page()
    page.set_default_timeout(20_000)
    visitor = Visitor(page, live_server.url)
    visitor.open("/", "talent", "zh-hans")

    # The header: one bar, under 15 % of the screen's height; the menu folds behind its button.
    header = page.locator("header.site-header").bounding_box()
    assert header is not None
    assert header["y"] + header["height"] < 0.15 * PHONE["height"], header
    main_nav = page.get_by_role("navigation", name="主导航")
    expect(main_nav.get_by_role("link", name="一站式服务大厅")).to_be_hidden()
    toggle = page.get_by_test_id("menu-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(main_nav.get_by_role("link", name="一站式服务大厅")).to_be_visible()
    expect(page.get_by_test_id("logout")).to_be_attached()
    assert page.evaluate(NO_OVERFLOW)
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(main_nav.get_by_role("link", name="一站式服务大厅")).to_be_hidden()

    # The tab bar: five tabs at the bottom of the screen, the current one marked.
    tab_bar = page.get_by_role("navigation", name="快捷导航")
    expect(tab_bar).to_be_visible()
    tabs = tab_bar.get_by_role("link")
    expect(tabs).to_have_text(["首页", "办事", "政策", "消息", "我的"])
    bar = tab_bar.bounding_box()
    assert bar is not None
    assert bar["y"] + bar["height"] == pytest.approx(PHONE["height"], abs=1)
    expect(tab_bar.get_by_role("link", name="首页")).to_have_attribute("aria-current", "page")
    hrefs = [tabs.nth(i).get_attribute("href") for i in range(5)]
    assert hrefs == ["/", "/hall/cases/", "/policies/calculator/", "/inbox/", "/talents/me/"]
    tab_bar.get_by_role("link", name="办事").click()
    page.wait_for_url("**/hall/cases/")
    expect(tab_bar.get_by_role("link", name="办事")).to_have_attribute("aria-current", "page")

    # My cases: the table drawn as cards, each cell with its column's header before it.
    table = page.locator("main table.cards")
    expect(table.locator("tbody tr").first).to_be_visible()
    first_row = table.locator("tbody tr").first
    assert first_row.evaluate("tr => getComputedStyle(tr).display") == "block"
    labels = first_row.locator("td").evaluate_all(
        "tds => tds.map(td => getComputedStyle(td, '::before').content)"
    )
    headers = table.locator("thead th").all_inner_texts()
    assert headers[:3] == ["办件编号", "服务事项", "状态"]
    assert labels == [f'"{h}" / ""' for h in headers], labels
    assert table.locator("thead").evaluate("t => t.getBoundingClientRect().height") <= 1
    card = first_row.bounding_box()
    assert card is not None
    assert card["width"] <= PHONE["width"]
    assert page.evaluate(NO_OVERFLOW), "my cases is wider than the screen"

    # No page is wider than the screen: home, my cases (above), a list page, the inbox, a case.
    pages = (
        "/",
        "/policies/",
        "/inbox/",
        "/policies/calculator/",
        "/talents/me/",
        f"/hall/cases/{demo['case_id']}/",
    )
    for path in pages:
        visitor.open(path, "talent", "zh-hans")
        assert page.evaluate(NO_OVERFLOW), f"{path} is wider than the screen"
        expect(page.get_by_role("navigation", name="快捷导航")).to_be_visible()

    # A table whose template marks it .cards but labels no cell: app.js gives each cell its column's header.
    visitor.open("/talents/mine/", "cadre", "zh-hans")
    table = page.locator("main table.cards")
    headers = table.locator("thead th").evaluate_all("ths => ths.map(th => th.textContent.trim())")
    assert headers[:2] == ["名称", "工作单位"], headers
    for row in table.locator("tbody tr").all()[:3]:
        labels = row.locator("td").evaluate_all("tds => tds.map(td => td.dataset.label)")
        assert labels == headers, labels
        assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert page.evaluate(NO_OVERFLOW)

    # A draft's file inputs: as wide as the screen allows, with a button of the page's own colours.
    visitor.open(f"/hall/cases/{demo['draft_id']}/", "talent", "zh-hans")
    upload = page.locator("input[type=file]").first
    expect(upload).to_be_visible()
    box = upload.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    button = upload.evaluate(
        "i => { const s = getComputedStyle(i, '::file-selector-button');"
        " return [s.backgroundColor, s.color]; }"
    )
    primary = page.evaluate(
        "() => { const b = document.createElement('button'); document.body.append(b);"
        " const c = getComputedStyle(b).backgroundColor; b.remove(); return c; }"
    )
    assert button[0] == primary, (button, primary)
    assert page.evaluate(NO_OVERFLOW)


def test_on_a_desktop_the_header_shows_the_menu_and_no_tab_bar(browser_context, live_server, demo):

    page = browser_context.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    visitor = Visitor(page, live_server.url)
    for viewer, link in (("talent", "一站式服务大厅"), ("office", "人才")):
        visitor.open("/", viewer, "zh-hans")
        expect(page.get_by_test_id("menu-toggle")).to_be_hidden()
        expect(
            page.get_by_role("navigation", name="主导航").get_by_role("link", name=link, exact=True)
        ).to_be_visible()
        expect(page.get_by_test_id("lang-en")).to_be_visible()
        # The talent's tab bar is in the page but hidden on a wide screen; staff have none.
        expect(page.get_by_test_id("tab-bar")).to_have_count(1 if viewer == "talent" else 0)
        expect(page.get_by_test_id("tab-bar")).to_be_hidden()
        assert page.evaluate(NO_OVERFLOW)
        if viewer == "talent":  # staff: test_browser_staff_shell walks their sidebar and top bar
            header = page.locator("header.site-header").bounding_box()
            assert header is not None
            assert header["height"] < 0.15 * DESKTOP["height"], header


def axe_violations(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "), summary: n.failureSummary}))
            }));
        }"""
    )


def check(page: Any, where: str, described: list[str]) -> list[str]:
    """axe's violations on the page as it is, and each aria-describedby naming an id that is not there."""
    found = [f"{where}: {v['id']} [{v['impact']}] {v['help']} {v['nodes']}" for v in axe_violations(page)]
    references = page.evaluate(DESCRIBEDBY)
    described += [ref["id"] for ref in references]
    found += [
        f"{where}: aria-describedby of <{ref['element']}> names a missing id: {ref['id']}"
        for ref in references
        if not ref["exists"]
    ]
    return found


MAIN = {"zh-hans": "主导航", "en": "Main"}
DESCRIBEDBY = """() => {
    const references = [];
    for (const el of document.querySelectorAll("[aria-describedby]")) {
        for (const id of el.getAttribute("aria-describedby").split(/\\s+/).filter(Boolean)) {
            const element = `${el.tagName.toLowerCase()}#${el.id}`;
            references.push({element, id, exists: !!document.getElementById(id)});
        }
    }
    return references;
}"""


def test_axe_finds_nothing_on_the_main_pages_in_both_languages_and_sizes(browser_context, live_server, demo):

    # axe is injected as a script of the page's own: the context lets it past the page's CSP (nothing else
    # runs there that the CSP would stop; the other browser tests keep the CSP as served).
    page = browser_context.new_context(locale="zh-CN", viewport=DESKTOP, bypass_csp=True).new_page()
    page.set_default_timeout(20_000)
    visitor = Visitor(page, live_server.url)
    found: list[str] = []
    described: list[str] = []
    for language in LANGUAGES:
        for entry in AXE_PAGES:
            path = entry.path.format(**demo)
            page.set_viewport_size(DESKTOP)
            visitor.open(path, entry.viewer, language)
            if entry.submit_empty:
                form = page.locator("main form[method=post]").first
                with page.expect_navigation():
                    form.locator("button[type=submit]").first.click()
                assert page.locator("main [role=alert]").count(), f"{path}: no error shown"
            if entry.expand:
                summaries = page.locator(entry.expand)
                assert summaries.count(), f"{path}: nothing to open"
                for summary in summaries.all():
                    summary.click()
                page.wait_for_load_state("networkidle")
                expect(page.locator("details[open] .lazy-section > a")).to_have_count(0)
            for size in (DESKTOP, PHONE):
                page.set_viewport_size(size)
                where = f"{entry.name} ({path}, {entry.viewer or 'visitor'}, {language}, {size['width']}px)"
                found += check(page, where, described)
            if entry.open_menu:
                page.get_by_test_id("menu-toggle").click()
                page.get_by_role("navigation", name=MAIN[language]).get_by_role("link").last.wait_for()
                found += check(page, f"{entry.name} ({path}, {language}, phone, menu open)", described)
    assert not found, "\n".join(found)
    # The check saw descriptions to follow: help texts (the talent's edit page) and errors (the login's).
    assert any(ref.endswith("_helptext") for ref in described), described
    assert any(ref.endswith("_error") for ref in described), described
