"""The sidebar's mechanism: entries from every app merged by group and order; an unknown group or an order
taken twice in a group is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured

from talentcloud.common.navigation import NavItem
from talentcloud.common.registries import forget_all
from talentcloud.web import navigation


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[NavItem]]:
    found: list[NavItem] = []
    forget_all()
    monkeypatch.setattr(navigation.DECLARED, "items", lambda: found)
    yield found
    forget_all()


def test_entries_are_merged_by_group_then_order(declared):
    declared += [
        NavItem(group="platform", order=20, label="B", url_name="b"),
        NavItem(group="daily", order=30, label="C", url_name="c"),
        NavItem(group="platform", order=10, label="A", url_name="a"),
    ]
    assert [item.url_name for item in navigation.nav_items()] == ["c", "a", "b"]
    assert [group.key for group, _items in navigation.nav_groups()] == [g.key for g in navigation.GROUPS]


def test_an_order_taken_twice_in_a_group_is_refused(declared):
    declared += [
        NavItem(group="govern", order=10, label="A", url_name="a"),
        NavItem(group="govern", order=10, label="B", url_name="b"),
    ]
    with pytest.raises(ImproperlyConfigured, match="order 10 taken"):
        navigation.nav_groups()


def test_an_unknown_group_is_refused(declared):
    declared.append(NavItem(group="elsewhere", order=10, label="A", url_name="a"))  # type: ignore[arg-type]
    with pytest.raises(ImproperlyConfigured, match="unknown group"):
        navigation.nav_groups()
