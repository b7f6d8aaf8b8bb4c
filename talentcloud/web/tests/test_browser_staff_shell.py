"""The staff shell at 1366×900, in Debian's chromium over the seeded demo: for every staff role, on each
page of its sidebar, no navigation label wraps or is cut, the user menu stays in the top bar beside the
brand, and no page scrolls sideways. The sidebar shows each role only what it may open."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from talentcloud.accounts.models import User
from talentcloud.conftest import CHROMIUM
from talentcloud.servicehall.models import Case
from talentcloud.servicehall.workflow import allowed_actions
from talentcloud.web.tests.test_browser_phone_a11y import (  # noqa: F401  (demo: a fixture)
    DESKTOP,
    NO_OVERFLOW,
    Visitor,
    demo,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (make browser-deps)"
    ),
]

STAFF_ROLES = (
    "office",
    "rsj",
    "zjj",
    "zjj-head",
    "wjw",
    "park-kfq",
    "park-gxq",
    "street-ds",
    "cadre",
    "expert",
    "thinktank",
    "sysadmin",
    "secadmin",
    "auditor",
    "hr",
)

# Each sidebar link: how many lines its text takes (the distinct tops of its text's line boxes), and whether
# its text is wider than the link (cut off rather than wrapped).
LINKS = """() => Array.from(document.querySelectorAll("nav.sidebar a")).map(a => {
    const range = document.createRange();
    range.selectNodeContents(a);
    const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
    const style = getComputedStyle(a);
    const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    return {
        label: a.textContent.trim(),
        href: a.getAttribute("href"),
        lines: tops.size,
        oneLine: Math.round(a.getBoundingClientRect().height - padding)
            <= Math.round(parseFloat(style.lineHeight)),
        cut: a.scrollWidth > a.clientWidth,
    };
})"""
BAR = """() => {
    const box = el => el.getBoundingClientRect();
    const brand = box(document.querySelector(".topbar .brand"));
    const menu = box(document.querySelector("[data-testid=user-menu] summary"));
    const bar = box(document.querySelector(".topbar"));
    return {brandTop: brand.top, brandMiddle: brand.top + brand.height / 2, menuTop: menu.top,
            menuMiddle: menu.top + menu.height / 2, menuRight: menu.right, barHeight: bar.height};
}"""


def check_shell(page: Any, where: str) -> list[str]:
    problems = []
    for link in page.evaluate(LINKS):
        if link["lines"] != 1 or not link["oneLine"]:
            problems.append(f"{where}: the label {link['label']!r} wraps ({link['lines']} lines)")
        if link["cut"]:
            problems.append(f"{where}: the label {link['label']!r} is wider than the sidebar")
    bar = page.evaluate(BAR)
    # On the brand's row: the user menu's middle is level with the brand's, and the bar is one row high.
    if abs(bar["menuMiddle"] - bar["brandMiddle"]) > 6 or bar["menuTop"] > bar["brandMiddle"]:
        problems.append(f"{where}: the user menu left the brand's row {bar}")
    if bar["barHeight"] > 0.1 * DESKTOP["height"] or bar["menuRight"] > DESKTOP["width"]:
        problems.append(f"{where}: the top bar is more than one row or wider than the screen {bar}")
    if not page.evaluate(NO_OVERFLOW):
        problems.append(f"{where}: the page scrolls sideways")
    return problems


def test_every_staff_role_gets_a_sidebar_that_fits_at_1366(browser_context, live_server, demo):  # noqa: F811

    page = browser_context.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    page.set_default_timeout(20_000)
    visitor = Visitor(page, live_server.url)
    problems: list[str] = []
    seen: dict[str, list[str]] = {}
    for role in STAFF_ROLES:
        visitor.open("/", role, "zh-hans")
        sidebar = page.get_by_role("navigation", name="主导航")
        expect(sidebar).to_be_visible()
        expect(page.get_by_test_id("menu-toggle")).to_be_hidden()
        hrefs = sidebar.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        seen[role] = hrefs
        assert len(hrefs) == len(set(hrefs)), f"{role}: a page twice in the sidebar {hrefs}"
        for href in hrefs:
            visitor.open(href, role, "zh-hans")
            problems += check_shell(page, f"{role} {href}")
            expect(sidebar.locator(f'a[href="{href}"]')).to_have_attribute("aria-current", "page")
        visitor.open("/", role, "en")  # the English labels are the longer ones
        problems += check_shell(page, f"{role} / (en)")
    assert not problems, "\n".join(problems)

    # Each role sees only what it may open: the office works the whole district, the auditor reads the log,
    # the enterprise's staff see their own pages and nothing of the archive.
    assert {"/talents/", "/hall/overview/", "/policies/manage/"} <= set(seen["office"]), seen["office"]
    assert "/audit/" in seen["auditor"], seen["auditor"]
    assert "/talents/" not in seen["auditor"], seen["auditor"]
    assert "/hall/work/" in seen["zjj"], seen["zjj"]
    assert "/accounts/users/" not in seen["zjj"], seen["zjj"]
    assert "/talents/" not in seen["hr"], seen["hr"]
    assert "/hall/cases/" in seen["hr"], seen["hr"]
    assert "/accounts/users/" in seen["sysadmin"], seen["sysadmin"]
    assert "/hall/work/" not in seen["sysadmin"], seen["sysadmin"]


def test_an_irreversible_action_asks_first_and_nothing_happens_when_declined(
    browser_context,
    live_server,
    demo,  # noqa: F811
):

    talent = User.objects.get(username="talent")
    case = next(
        c
        for c in Case.objects.filter(applicant=talent).order_by("created_at")
        if "withdraw" in {t.action for t in allowed_actions(talent, c)}
    )
    state = case.state
    page = browser_context.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    page.set_default_timeout(20_000)
    visitor = Visitor(page, live_server.url)
    visitor.open(f"/hall/cases/{case.pk}/", "talent", "zh-hans")
    button = page.get_by_test_id("action-withdraw").get_by_role("button")
    questions: list[str] = []

    def decline(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    button.click()
    expect(button).to_be_visible()
    assert questions == ["确定撤回此申请？撤回后无法恢复。"]
    assert Case.objects.get(pk=case.pk).state == state

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        button.click()
    assert Case.objects.get(pk=case.pk).state == "withdrawn"
