"""就高不重复 and yearly budgets: one decision, written once for one person and once over arrays for everyone.

The calculator (one person) and the 免申即享 sweep (everyone) ask the same two questions of the policies a
person matches:

- **Exclusion groups (就高不重复).** Of the policies of one group a person matches, one is granted: the
  highest yearly amount, then the group's priority (lower first), then the code. A benefit that is not
  money, or whose amount is not known for the person, counts as 0 a year. A policy may also name policies
  it is not granted together with ("与人才购房补贴就高不重复": ``Policy.excludes``), each such pair a group of
  two of its own, so one policy may be in several groups. The claims are then granted best first (the same
  order): a claim is granted unless a claim already granted shares a group with it. With one group per
  policy this is exactly "the best of each group".
- **Yearly budgets.** A policy's granted claims are paid in order of eligibility (the day the person began to
  match, then their sweep number); a claim whose running total passes the budget is over it, and so is
  every claim after it (a later, cheaper claim does not jump the queue). A budget of 0 covers nobody with
  money; no budget covers everyone. The budget is *decided* here, not committed: nothing is reserved until
  the payout ledger makes a grant a commitment.

``excluded_by`` and ``over_budget`` are the definitions (plain Python, one person or one queue): the
calculator calls the first. ``group_losers`` and ``over_budget_array`` are the same functions over numpy
arrays indexed by sweep number, which the sweep calls; ``policies/tests/test_decision.py`` proves that the
calculator and the sweep give the same answers on generated policies and people, on both databases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np


def fen(yearly: Decimal | None) -> int:
    """A yearly amount in whole fen (0 when there is none): what the decision compares and adds."""
    return int(yearly * 100) if yearly is not None else 0


def pair_group(one: str, other: str) -> str:
    """The group of two that ``Policy.excludes`` makes of a pair (the same whichever names the other)."""
    first, second = sorted((one, other))
    return f"{first}|{second}"


def exclusion_sets(policies: Iterable[Any]) -> dict[str, tuple[str, ...]]:
    """Each policy's groups by code: its exclusion group, and a group of two for every pair it forms with a
    policy it names in ``excludes`` or that names it (only pairs of policies given count)."""
    given = list(policies)
    codes = {p.code for p in given}
    groups: dict[str, set[str]] = {p.code: {p.exclusion_group} - {""} for p in given}
    for policy in given:
        for other in policy.excludes or ():
            if other in codes and other != policy.code:
                pair = pair_group(policy.code, other)
                groups[policy.code].add(pair)
                groups[other].add(pair)
    return {code: tuple(sorted(found)) for code, found in groups.items()}


@dataclass(frozen=True)
class Claim:
    """A policy one person matches, as the decision sees it: ``yearly`` in fen; ``groups`` () for none."""

    code: str
    groups: tuple[str, ...]
    priority: int
    yearly: int

    def rank(self) -> tuple[int, int, str]:
        """Lower is better: the highest yearly amount, then the group's priority, then the code."""
        return (-self.yearly, self.priority, self.code)


def excluded_by(claims: Iterable[Claim]) -> dict[str, Claim]:
    """就高不重复 for one person: each claim not granted (by code), with the granted claim that shares a group
    with it. The claims are taken best first; one is granted unless a granted one shares a group with it."""
    granted: list[Claim] = []
    losers: dict[str, Claim] = {}
    for claim in sorted(claims, key=Claim.rank):
        winner = next((g for g in granted if set(g.groups) & set(claim.groups)), None)
        if winner is None:
            granted.append(claim)
        else:
            losers[claim.code] = winner
    return losers


def over_budget(queue: Iterable[tuple[Any, int]], budget: int | None) -> list[Any]:
    """One policy's budget (fen; None: no budget): of the granted claims ``(who, yearly fen)`` in order of
    eligibility, those over the budget."""
    if budget is None:
        return []
    total, over = 0, []
    for who, yearly in queue:
        total += yearly
        if total > budget:
            over.append(who)
    return over


def eligibility_order(since: Sequence[int], numbers: Sequence[int]) -> list[int]:
    """Places in order of eligibility: the eligibility day, then the sweep number."""
    return sorted(range(len(numbers)), key=lambda i: (since[i], numbers[i]))


# --- the same, over arrays indexed by sweep number (the sweep) ---------------------------------------------


@dataclass(frozen=True)
class Member:
    """A policy of an exclusion group, as ``group_losers`` reads it."""

    code: str
    groups: tuple[str, ...]
    priority: int


def linked(members: Sequence[Member]) -> list[list[int]]:
    """The places of ``members`` that share groups, directly or through others (each a list in the given
    order): what ``group_losers`` decides together. A member in no group is in none of them."""
    parent = list(range(len(members)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    first_with: dict[str, int] = {}
    for k, member in enumerate(members):
        for group in member.groups:
            if group in first_with:
                parent[root(k)] = root(first_with[group])
            else:
                first_with[group] = k
    found: dict[int, list[int]] = {}
    for k, member in enumerate(members):
        if member.groups:
            found.setdefault(root(k), []).append(k)
    return [places for places in found.values() if len(places) > 1]


def group_losers(
    members: Sequence[Member], matched: Sequence[np.ndarray], yearly: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """``excluded_by`` for everyone at once. ``members`` are policies linked by their groups (``linked``);
    ``matched[k]`` whether each person matches member k and ``yearly[k]`` what it gives them a year (fen).
    Per member: the people who match it and to whom it is not granted. Each round grants every person their
    best open claim and closes the claims that share a group with it."""
    if len(members) < 2:
        return [np.zeros_like(m, dtype=bool) for m in matched]
    # The members in order of priority, then code: argmax takes the first of equal amounts, so the order
    # breaks the ties as ``Claim.rank`` does.
    order = sorted(range(len(members)), key=lambda k: (members[k].priority, members[k].code))
    clash = np.array(
        [[bool(set(members[a].groups) & set(members[b].groups)) or a == b for b in order] for a in order]
    )
    worth = np.stack([np.where(matched[k], yearly[k], -1) for k in order], axis=1)
    open_ = np.stack([np.asarray(matched[k], dtype=bool) for k in order], axis=1)
    granted = np.zeros_like(open_)
    for _round in range(len(members)):
        rows = np.flatnonzero(open_.any(axis=1))
        if not len(rows):
            break
        best = np.argmax(np.where(open_[rows], worth[rows], -1), axis=1)
        granted[rows, best] = True
        open_[rows] &= ~clash[best]
    losers: list[np.ndarray] = [np.zeros(0, dtype=bool)] * len(members)
    for place, k in enumerate(order):
        losers[k] = np.asarray(matched[k], dtype=bool) & ~granted[:, place]
    return losers


def over_budget_array(
    granted: np.ndarray, since: np.ndarray, yearly: np.ndarray, budget: int | None
) -> np.ndarray:
    """``over_budget`` for everyone at once: ``granted`` whether each number's claim is granted, ``since`` its
    eligibility day, ``yearly`` its amount (fen). Whether each number is over the budget."""
    over = np.zeros(len(granted), dtype=bool)
    if budget is None:
        return over
    queue = np.flatnonzero(granted)  # in number order, so a stable sort by day breaks ties by number
    queue = queue[np.argsort(since[queue], kind="stable")]
    over[queue[np.cumsum(yearly[queue]) > budget]] = True
    return over
