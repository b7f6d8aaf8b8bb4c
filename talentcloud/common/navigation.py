"""A sidebar entry, as an app declares it in its own ``navigation.py`` (``NAVIGATION = [NavItem(...)]``).

The web shell (``web.navigation``) owns the sidebar: its groups, their order, and who sees what. The entry's
type lives here, in the kernel, so that any app (audit and notifications included) can declare its pages
without importing the shell above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from django.urls import reverse
from django.utils.functional import Promise

# The sidebar's groups, in order (their labels: ``web.navigation.GROUPS``): the everyday entries, the four
# jobs of talent work (引才 / 育才 / 留才 / 治理), the platform's administration.
NavGroupKey = Literal["daily", "attract", "develop", "retain", "govern", "platform"]


@dataclass(kw_only=True)
class NavItem:
    """One entry: in ``group`` at position ``order`` (ascending; entries of all apps are merged by it), shown
    to users holding ``perm`` (everyone signed in when None) and, if ``role_kinds`` is given, only to holders
    of a role of those kinds. Two entries to the same page: the first a user may see is shown."""

    group: NavGroupKey
    order: int
    label: str | Promise
    url_name: str
    perm: str | None = None
    description: str | Promise = ""
    role_kinds: tuple[str, ...] = ()

    @cached_property
    def url(self) -> str:  # the URL map is fixed while the process runs
        return reverse(self.url_name)
