"""The navigation: each entry is shown to users holding its permission (or to everyone signed in)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentcloud.accounts.permissions import Perm, has_perm


@dataclass
class NavItem:
    label: Any
    url_name: str
    perm: Perm | None = None
    description: Any = ""
    role_kinds: tuple[str, ...] = ()  # shown only to holders of a role of these kinds

    @cached_property
    def url(self) -> str:  # the URL map is fixed while the process runs
        return reverse(self.url_name)


@dataclass(frozen=True)
class NavGroup:
    """A group of the sidebar: one of the four jobs of talent work (引才 / 育才 / 留才 / 治理) or the
    platform's administration; ``label`` empty for the leading group of everyday entries. A page is added
    by adding a ``NavItem`` to the group it serves (each entry names the permission it needs)."""

    key: str
    label: Any
    items: tuple[NavItem, ...]


GROUPS: tuple[NavGroup, ...] = (
    NavGroup(
        "daily",
        "",
        (
            NavItem(_("Home"), "web:home"),
            NavItem(_("Messages"), "notifications:inbox", None, _("Messages about your cases and work")),
            NavItem(
                _("Service hall"),
                "servicehall:catalogue",
                None,
                _("Apply for the district's talent services"),
            ),
            NavItem(
                _("My cases"),
                "servicehall:my_cases",
                None,
                _("Your applications and their answers"),
                role_kinds=("talent", "enterprise"),
            ),
            NavItem(
                _("Policy calculator"),
                "policies:calculator",
                None,
                _("Which policies fit you, how much, and why"),
                role_kinds=("talent",),
            ),
            NavItem(
                _("My enterprises"),
                "enterprises:requests_mine",
                Perm.ENTERPRISE_REPORT,
                _("The enterprises you act for, and your requests"),
                role_kinds=("enterprise",),
            ),
            NavItem(
                _("Policies"),
                "policies:library",
                None,
                _("The district's talent policies, and which fit whom"),
            ),
        ),
    ),
    NavGroup(
        "attract",
        pgettext_lazy("navigation group", "Attract talent"),
        (
            NavItem(_("Talents"), "talents:list", Perm.TALENT_VIEW, _("Talent archives in your scope")),
            NavItem(
                _("Enterprises"),
                "enterprises:list",
                Perm.ENTERPRISE_VIEW,
                _("Enterprise archives in your scope"),
            ),
            NavItem(
                _("Policy editor"),
                "policies:manage",
                Perm.POLICY_MANAGE,
                _("Write rules, simulate them, publish new versions; the 免申即享 sweeps"),
            ),
        ),
    ),
    NavGroup(
        "develop",
        pgettext_lazy("navigation group", "Develop talent"),
        (
            NavItem(
                _("My talents"),
                "talents:mine",
                Perm.CONTACT_LOG,
                _("The talents you look after, and who is due a contact"),
            ),
            NavItem(
                _("Needs"), "talents:needs", Perm.NEED_REPLY, _("Talents' needs to answer, overdue first")
            ),
            NavItem(
                _("Facts to verify"),
                "talents:fact_review",
                Perm.FACT_VERIFY,
                _("Facts talents declared, awaiting staff"),
            ),
        ),
    ),
    NavGroup(
        "retain",
        pgettext_lazy("navigation group", "Retain talent"),
        (
            NavItem(
                _("Worklist"),
                "servicehall:worklist",
                Perm.CASE_HANDLE,
                _("Your department's cases, overdue first"),
            ),
            NavItem(
                _("Hall overview"),
                "servicehall:overview",
                Perm.CASE_OVERSEE,
                _("Every department's open, due-soon and overdue cases; ratings"),
            ),
            NavItem(
                _("Ratings"),
                "servicehall:ratings",
                Perm.CASE_HANDLE,
                _("Ratings, rectifications and appeals"),
            ),
            NavItem(
                _("Appeals"), "servicehall:ratings", Perm.CASE_OVERSEE, _("Appeals against ratings to decide")
            ),
            NavItem(
                _("Service catalogue"),
                "servicehall:manage",
                Perm.SERVICE_MANAGE,
                _("Services, their forms and time limits"),
            ),
        ),
    ),
    NavGroup(
        "govern",
        pgettext_lazy("navigation group", "Governance"),
        (
            NavItem(
                _("Dashboard"),
                "dashboards:home",
                Perm.DASHBOARD_VIEW,
                _("Talent work at a glance, from regular snapshots"),
            ),
            NavItem(
                _("Data requests"),
                "talents:requests",
                Perm.PIPL_HANDLE,
                _("Copies, corrections and deletions of personal data"),
            ),
            NavItem(
                _("Duplicates"),
                "talents:clashes",
                Perm.CLASH_RESOLVE,
                _("ID numbers and credit codes written twice: merge or keep apart"),
            ),
            NavItem(_("Audit log"), "audit:list", Perm.AUDIT_VIEW, _("Every write and sensitive read")),
        ),
    ),
    NavGroup(
        "platform",
        pgettext_lazy("navigation group", "Platform administration"),
        (
            NavItem(
                _("Organisation"),
                "accounts:units",
                Perm.ORGUNIT_VIEW,
                _("District, departments, parks and streets"),
            ),
            NavItem(_("Accounts"), "accounts:users", Perm.USER_MANAGE, _("Create and deactivate accounts")),
            NavItem(_("Role assignment"), "accounts:users", Perm.ROLE_ASSIGN, _("Give accounts their roles")),
            NavItem(
                _("Lockouts"),
                "accounts:lockouts",
                Perm.ACCOUNT_UNLOCK,
                _("Unlock accounts after failed sign-ins"),
            ),
            NavItem(
                _("Holiday calendar"),
                "web:calendar",
                Perm.CALENDAR_MANAGE,
                _("Holidays and make-up days for time limits"),
            ),
            NavItem(
                _("Operations"),
                "operations:jobs",
                Perm.SYSTEM_STATUS,
                _("Background jobs, schedules and health"),
            ),
            NavItem(
                _("Sessions"),
                "operations:sessions",
                Perm.SESSION_MANAGE,
                _("Who is signed in; sign someone out"),
            ),
        ),
    ),
)

# Every entry in the sidebar's order (the home page's tiles).
NAV: tuple[NavItem, ...] = tuple(item for group in GROUPS for item in group.items)


_BY_ACCESS: dict[tuple[frozenset[str], frozenset[str]], list[tuple[NavGroup, list[NavItem]]]] = {}


def nav_groups_for(user: Any) -> list[tuple[NavGroup, list[NavItem]]]:
    """The sidebar a user sees: each group with the entries they may open, groups left empty dropped. The
    same for everyone with the same permissions and role kinds, so it is worked out once per combination
    (the catalogue is code; labels translate when rendered)."""
    if not getattr(user, "is_authenticated", False):
        return []
    key = (user.permission_codes(), user.role_kinds())
    cached = _BY_ACCESS.get(key)
    if cached is None:
        cached = _BY_ACCESS[key] = _nav_groups(user)
    return cached


def nav_for(user: Any) -> list[NavItem]:
    """The entries a user sees, in the sidebar's order."""
    return [item for _group, items in nav_groups_for(user) for item in items]


def _nav_groups(user: Any) -> list[tuple[NavGroup, list[NavItem]]]:
    seen: set[str] = set()
    groups = []
    for group in GROUPS:
        items = []
        for item in group.items:
            if item.perm is not None and not has_perm(user, item.perm):
                continue
            if item.role_kinds and not any(r.kind in item.role_kinds for r in user._role_list()):
                continue
            if item.url_name in seen:
                continue
            seen.add(item.url_name)
            items.append(item)
        if items:
            groups.append((group, items))
    return groups


@dataclass
class Tab:
    """A tab of the phone tab bar: current on its own page and on the pages under ``prefixes``."""

    key: str
    label: Any
    url_name: str
    prefixes: tuple[str, ...] = ()

    @cached_property
    def url(self) -> str:
        return reverse(self.url_name)

    def is_current(self, path: str) -> bool:
        return path == self.url or any(path.startswith(prefix) for prefix in self.prefixes)


# The talent's tab bar on a phone (shown below 768 px): 首页 / 办事 / 政策 / 消息 / 我的.
TALENT_TABS: tuple[Tab, ...] = (
    Tab("home", pgettext_lazy("tab bar", "Home"), "web:home"),
    Tab("cases", pgettext_lazy("tab bar", "Services"), "servicehall:my_cases", ("/hall/",)),
    Tab("policies", pgettext_lazy("tab bar", "Policies"), "policies:calculator", ("/policies/",)),
    Tab("messages", pgettext_lazy("tab bar", "Messages"), "notifications:inbox", ("/inbox/",)),
    Tab("me", pgettext_lazy("tab bar", "Me"), "talents:me", ("/talents/",)),
)


def tabs_for(user: Any, path: str) -> list[tuple[Tab, bool]]:
    """The tab bar a user gets (talents only; others have none), each tab with whether it is current."""
    if not getattr(user, "is_authenticated", False) or "talent" not in user.role_kinds():
        return []
    return [(tab, tab.is_current(path)) for tab in TALENT_TABS]
