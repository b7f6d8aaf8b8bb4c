"""The sidebar each standard role sees, pinned: groups, entries and their order (the entries are declared by
each app in its own ``navigation.py``; the rendered result must stay exactly this)."""

from __future__ import annotations

import re

import pytest

from talentcloud.accounts.roles import ROLE_CATALOGUE

pytestmark = pytest.mark.django_db

SIDEBAR = re.compile(r'data-testid="sidebar">(.*?)</nav>', re.S)
GROUP = re.compile(r'<div class="nav-group nav-group-([a-z]+)">(.*?)</ul>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')
TILE = re.compile(r'class="tile">\s*<h2><a href="([^"]+)"')


def sidebar_of(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    found = SIDEBAR.search(html)
    if found is None:
        return []
    return [(key, LINK.findall(body)) for key, body in GROUP.findall(found.group(1))]


EXPECTED: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
    "talent": [
        (
            "daily",
            [
                ("/", "Home"),
                ("/inbox/", "Messages"),
                ("/hall/", "Service hall"),
                ("/hall/cases/", "My cases"),
                ("/policies/calculator/", "Policy calculator"),
                ("/programs/", "Programme calls"),
                ("/certification/me/", "My certification"),
                ("/talentcode/me/", "My talent code"),
                ("/payouts/me/", "My payments"),
                ("/recruitment/me/", "Job seeking"),
                ("/policies/", "Policies"),
                ("/matching/me/", "Posts for me"),
                ("/campaigns/mine/", "My job applications"),
            ],
        )
    ],
    "enterprise-hr": [
        (
            "daily",
            [
                ("/", "Home"),
                ("/inbox/", "Messages"),
                ("/hall/", "Service hall"),
                ("/hall/cases/", "My cases"),
                ("/enterprises/mine/", "My enterprises"),
                ("/policies/", "Policies"),
                ("/payouts/enterprise/", "Our payments"),
            ],
        ),
        (
            "attract",
            [
                ("/enterprises/", "Enterprises"),
                ("/recruitment/demand/", "Our talent demand"),
                ("/matching/", "Talents for our posts"),
                ("/campaigns/applicants/", "Applicants"),
            ],
        ),
        ("develop", [("/programs/", "Programme calls")]),
    ],
    "service-staff": [
        (
            "daily",
            [("/", "Home"), ("/inbox/", "Messages"), ("/hall/", "Service hall"), ("/policies/", "Policies")],
        ),
        ("develop", [("/talents/needs/", "Needs")]),
        ("retain", [("/hall/work/", "Worklist"), ("/hall/ratings/", "Ratings")]),
        ("platform", [("/accounts/units/", "Organisation")]),
    ],
    "department-head": [
        (
            "daily",
            [("/", "Home"), ("/inbox/", "Messages"), ("/hall/", "Service hall"), ("/policies/", "Policies")],
        ),
        ("develop", [("/talents/needs/", "Needs")]),
        ("retain", [("/hall/work/", "Worklist"), ("/hall/ratings/", "Ratings")]),
        ("platform", [("/accounts/units/", "Organisation")]),
    ],
    "park-staff": [
        (
            "daily",
            [("/", "Home"), ("/inbox/", "Messages"), ("/hall/", "Service hall"), ("/policies/", "Policies")],
        ),
        (
            "attract",
            [
                ("/talents/", "Talents"),
                ("/enterprises/", "Enterprises"),
                ("/recruitment/demand/", "Talent demand"),
                ("/matching/", "Matching talents"),
            ],
        ),
        (
            "develop",
            [
                ("/talents/facts/review/", "Facts to verify"),
                ("/certification/proposals/", "Grade proposals"),
                ("/certification/expiring/", "Expiring certifications"),
                ("/programs/", "Programme calls"),
            ],
        ),
        ("retain", [("/talentcode/codes/", "Talent codes")]),
        ("platform", [("/accounts/units/", "Organisation")]),
    ],
    "street-staff": [
        (
            "daily",
            [("/", "Home"), ("/inbox/", "Messages"), ("/hall/", "Service hall"), ("/policies/", "Policies")],
        ),
        (
            "attract",
            [
                ("/talents/", "Talents"),
                ("/enterprises/", "Enterprises"),
                ("/recruitment/demand/", "Talent demand"),
                ("/matching/", "Matching talents"),
            ],
        ),
        (
            "develop",
            [
                ("/talents/facts/review/", "Facts to verify"),
                ("/certification/proposals/", "Grade proposals"),
                ("/certification/expiring/", "Expiring certifications"),
                ("/programs/", "Programme calls"),
            ],
        ),
        ("retain", [("/talentcode/codes/", "Talent codes")]),
        ("platform", [("/accounts/units/", "Organisation")]),
    ],
    "liaison-cadre": [
        (
            "daily",
            [("/", "Home"), ("/inbox/", "Messages"), ("/hall/", "Service hall"), ("/policies/", "Policies")],
        ),
        ("attract", [("/talents/", "Talents")]),
        ("develop", [("/talents/mine/", "My talents")]),
        ("platform", [("/accounts/units/", "Organisation")]),
    ],
    "talent-office": [
        (
            "daily",
            [
                ("/", "Home"),
                ("/inbox/", "Messages"),
                ("/hall/", "Service hall"),
                ("/policies/", "Policies"),
                ("/stations/", "Workstations"),
                ("/stations/events/", "Talent events"),
            ],
        ),
        (
            "attract",
            [
                ("/talents/", "Talents"),
                ("/enterprises/", "Enterprises"),
                ("/policies/manage/", "Policy editor"),
                ("/recruitment/demand/", "Talent demand"),
                ("/recruitment/manage/", "Demand catalogue"),
                ("/recruitment/taxonomy/", "Posts, majors and skills"),
                ("/matching/", "Matching talents"),
                ("/campaigns/manage/", "Campaigns"),
            ],
        ),
        (
            "develop",
            [
                ("/talents/mine/", "My talents"),
                ("/talents/needs/", "Needs"),
                ("/talents/facts/review/", "Facts to verify"),
                ("/certification/proposals/", "Grade proposals"),
                ("/certification/expiring/", "Expiring certifications"),
                ("/talents/programmes/", "Talent programmes"),
                ("/programs/calls/new/", "Open a call"),
                ("/programs/experts/", "Expert pool"),
                ("/programs/", "Programme calls"),
            ],
        ),
        (
            "retain",
            [
                ("/hall/overview/", "Hall overview"),
                ("/hall/ratings/", "Appeals"),
                ("/talentcode/codes/", "Talent codes"),
                ("/talentcode/verifiers/", "Code verifiers"),
                ("/hall/manage/", "Service catalogue"),
                ("/payouts/grants/", "Confirm grants"),
                ("/payouts/batches/", "Payment batches"),
                ("/payouts/budget/", "Payout budgets"),
            ],
        ),
        (
            "govern",
            [
                ("/dashboard/", "Dashboard"),
                ("/talents/requests/", "Data requests"),
                ("/talents/clashes/", "Duplicates"),
            ],
        ),
        ("platform", [("/accounts/units/", "Organisation"), ("/calendar/", "Holiday calendar")]),
    ],
    "talent-office-head": [
        (
            "daily",
            [
                ("/", "Home"),
                ("/inbox/", "Messages"),
                ("/hall/", "Service hall"),
                ("/policies/", "Policies"),
                ("/stations/", "Workstations"),
                ("/stations/events/", "Talent events"),
            ],
        ),
        (
            "attract",
            [
                ("/talents/", "Talents"),
                ("/enterprises/", "Enterprises"),
                ("/policies/manage/", "Policy editor"),
                ("/recruitment/demand/", "Talent demand"),
                ("/recruitment/manage/", "Demand catalogue"),
                ("/recruitment/taxonomy/", "Posts, majors and skills"),
                ("/matching/", "Matching talents"),
                ("/campaigns/manage/", "Campaigns"),
            ],
        ),
        (
            "develop",
            [
                ("/talents/mine/", "My talents"),
                ("/talents/needs/", "Needs"),
                ("/talents/facts/review/", "Facts to verify"),
                ("/certification/proposals/", "Grade proposals"),
                ("/certification/expiring/", "Expiring certifications"),
                ("/talents/programmes/", "Talent programmes"),
                ("/programs/calls/new/", "Open a call"),
                ("/programs/experts/", "Expert pool"),
                ("/programs/", "Programme calls"),
            ],
        ),
        (
            "retain",
            [
                ("/hall/overview/", "Hall overview"),
                ("/hall/ratings/", "Appeals"),
                ("/talentcode/codes/", "Talent codes"),
                ("/talentcode/verifiers/", "Code verifiers"),
                ("/hall/manage/", "Service catalogue"),
                ("/payouts/grants/", "Confirm grants"),
                ("/payouts/batches/", "Payment batches"),
                ("/payouts/budget/", "Payout budgets"),
            ],
        ),
        (
            "govern",
            [
                ("/dashboard/", "Dashboard"),
                ("/talents/requests/", "Data requests"),
                ("/talents/clashes/", "Duplicates"),
            ],
        ),
        ("platform", [("/accounts/units/", "Organisation"), ("/calendar/", "Holiday calendar")]),
    ],
    "expert": [
        (
            "daily",
            [
                ("/", "Home"),
                ("/inbox/", "Messages"),
                ("/hall/", "Service hall"),
                ("/programs/reviews/", "My reviews"),
                ("/policies/", "Policies"),
            ],
        )
    ],
    "think-tank": [
        (
            "daily",
            [("/", "Home"), ("/inbox/", "Messages"), ("/hall/", "Service hall"), ("/policies/", "Policies")],
        )
    ],
    "system-admin": [
        (
            "daily",
            [("/", "Home"), ("/inbox/", "Messages"), ("/hall/", "Service hall"), ("/policies/", "Policies")],
        ),
        (
            "platform",
            [
                ("/accounts/units/", "Organisation"),
                ("/accounts/users/", "Accounts"),
                ("/calendar/", "Holiday calendar"),
                ("/ops/", "Operations"),
            ],
        ),
    ],
    "security-admin": [
        (
            "daily",
            [("/", "Home"), ("/inbox/", "Messages"), ("/hall/", "Service hall"), ("/policies/", "Policies")],
        ),
        (
            "platform",
            [
                ("/accounts/users/", "Role assignment"),
                ("/accounts/lockouts/", "Lockouts"),
                ("/ops/sessions/", "Sessions"),
            ],
        ),
    ],
    "audit-admin": [
        (
            "daily",
            [("/", "Home"), ("/inbox/", "Messages"), ("/hall/", "Service hall"), ("/policies/", "Policies")],
        ),
        ("govern", [("/audit/", "Audit log")]),
    ],
    "finance-bureau": [
        (
            "daily",
            [("/", "Home"), ("/inbox/", "Messages"), ("/hall/", "Service hall"), ("/policies/", "Policies")],
        ),
        ("retain", [("/payouts/batches/", "Payment batches"), ("/payouts/budget/", "Payout budgets")]),
    ],
    "code-verifier": [
        (
            "daily",
            [
                ("/", "Home"),
                ("/inbox/", "Messages"),
                ("/hall/", "Service hall"),
                ("/talentcode/verify/", "Verify a talent code"),
                ("/policies/", "Policies"),
            ],
        ),
    ],
    "station-partner": [
        (
            "daily",
            [
                ("/", "Home"),
                ("/inbox/", "Messages"),
                ("/hall/", "Service hall"),
                ("/policies/", "Policies"),
                ("/stations/leads/", "Station leads"),
            ],
        ),
    ],
}


@pytest.mark.parametrize("spec", ROLE_CATALOGUE, ids=lambda s: s.code)
def test_sidebar_of_every_standard_role_is_unchanged(make_user, login, spec):
    unit = None if spec.code in ("talent", "enterprise-hr") else "320115-ZZB"
    client = login(make_user(spec.code, unit))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert sidebar_of(html) == EXPECTED[spec.code]
    tiles = [href for _key, links in EXPECTED[spec.code] for href, _label in links if href != "/"]
    assert TILE.findall(html) == tiles
