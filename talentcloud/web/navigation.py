"""The navigation: the sidebar's groups (owned here), and the entries every app declares in its own
``navigation.py`` (``NAVIGATION = [NavItem(group=..., order=..., ...)]``, ``common.navigation.NavItem``); each
entry is shown to users holding its permission (or to everyone signed in)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentcloud.accounts.permissions import has_perm
from talentcloud.common.navigation import NavGroupKey, NavItem
from talentcloud.common.registries import Declarations, forgotten_with_apps

from .permissions import WebPerm


@dataclass(frozen=True)
class NavGroup:
    """A group of the sidebar: one of the four jobs of talent work (引才 / 育才 / 留才 / 治理) or the
    platform's administration; ``label`` empty for the leading group of everyday entries. A page is added
    by declaring a ``NavItem`` for the group it serves in its app's ``navigation.py`` (each entry names the
    permission it needs)."""

    key: NavGroupKey
    label: str | Promise


GROUPS: tuple[NavGroup, ...] = (
    NavGroup("daily", ""),
    NavGroup("attract", pgettext_lazy("navigation group", "Attract talent")),
    NavGroup("develop", pgettext_lazy("navigation group", "Develop talent")),
    NavGroup("retain", pgettext_lazy("navigation group", "Retain talent")),
    NavGroup("govern", pgettext_lazy("navigation group", "Governance")),
    NavGroup("platform", pgettext_lazy("navigation group", "Platform administration")),
)

DECLARED: Declarations[NavItem] = Declarations("navigation", "NAVIGATION")

# The shell's own entries.
NAVIGATION = [
    NavItem(group="daily", order=10, label=_("Home"), url_name="web:home"),
    NavItem(
        group="platform",
        order=50,
        label=_("Holiday calendar"),
        url_name="web:calendar",
        perm=WebPerm.CALENDAR_MANAGE,
        description=_("Holidays and make-up days for time limits"),
    ),
]


@cache
def nav_groups() -> tuple[tuple[NavGroup, tuple[NavItem, ...]], ...]:
    """Every group with every installed app's entries, in the sidebar's order."""
    by_group: dict[str, list[NavItem]] = {group.key: [] for group in GROUPS}
    for item in DECLARED.items():
        if item.group not in by_group:
            raise ImproperlyConfigured(f"navigation entry {item.url_name!r}: unknown group {item.group!r}")
        if any(other.order == item.order for other in by_group[item.group]):
            raise ImproperlyConfigured(f"navigation entry {item.url_name!r}: order {item.order} taken")
        by_group[item.group].append(item)
    return tuple((group, tuple(sorted(by_group[group.key], key=lambda item: item.order))) for group in GROUPS)


forgotten_with_apps(nav_groups)


def nav_items() -> list[NavItem]:
    """Every entry in the sidebar's order (the home page's tiles)."""
    return [item for _group, items in nav_groups() for item in items]


class _AccessMemo(dict[tuple[frozenset[str], frozenset[str]], list[tuple[NavGroup, list[NavItem]]]]):
    """The sidebar per combination of permissions and role kinds; forgotten when the installed apps change."""

    def cache_clear(self) -> None:
        self.clear()


_BY_ACCESS = _AccessMemo()
forgotten_with_apps(_BY_ACCESS)


def nav_groups_for(user: Any) -> list[tuple[NavGroup, list[NavItem]]]:
    """The sidebar a user sees: each group with the entries they may open, groups left empty dropped. The
    same for everyone with the same permissions and role kinds, so it is worked out once per combination
    (the entries are code; labels translate when rendered)."""
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
    for group, declared in nav_groups():
        items = []
        for item in declared:
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
