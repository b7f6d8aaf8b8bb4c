"""就高不重复 and yearly budgets: one decision, written once for one person and once over arrays for everyone.

The calculator (one person) and the 免申即享 sweep (everyone) ask the same two questions of the policies a
person matches:

- **Exclusion groups (就高不重复).** Of the policies of one group a person matches, one is granted: the
  highest yearly amount, then the group's priority (lower first), then the code. A benefit that is not
  money, or whose amount is not known for the person, counts as 0 a year.
- **Yearly budgets.** A policy's granted claims are paid in order of eligibility (the day the person began to
  match, then their sweep number); a claim whose running total passes the budget is over it, and so is
  every claim after it (a later, cheaper claim does not jump the queue). A budget of 0 covers nobody with
  money; no budget covers everyone. The budget is *decided* here, not committed: nothing is reserved until
  the payout ledger makes a grant a commitment.

``group_winners`` and ``over_budget`` are the definitions (plain Python, one person or one queue): the
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


@dataclass(frozen=True)
class Claim:
    """A policy one person matches, as the decision sees it: ``yearly`` in fen; ``group`` "" for none."""

    code: str
    group: str
    priority: int
    yearly: int

    def rank(self) -> tuple[int, int, str]:
        """Lower is better: the highest yearly amount, then the group's priority, then the code."""
        return (-self.yearly, self.priority, self.code)


def group_winners(claims: Iterable[Claim]) -> dict[str, Claim]:
    """就高不重复 for one person: per exclusion group, the one claim granted (the others are excluded)."""
    best: dict[str, Claim] = {}
    for claim in claims:
        if claim.group and (claim.group not in best or claim.rank() < best[claim.group].rank()):
            best[claim.group] = claim
    return best


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
    group: str
    priority: int


def group_losers(
    members: Sequence[Member], matched: Sequence[np.ndarray], yearly: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """``group_winners`` for everyone at once. ``members`` are policies of one group; ``matched[k]`` whether
    each person matches member k and ``yearly[k]`` what it gives them a year (fen). Per member: the people
    who match it and whom another member of the group is granted instead."""
    if len(members) < 2:
        return [np.zeros_like(m, dtype=bool) for m in matched]
    # The members in order of priority, then code: argmax takes the first of equal amounts, so the order
    # breaks the ties as ``Claim.rank`` does.
    order = sorted(range(len(members)), key=lambda k: (members[k].priority, members[k].code))
    worth = np.stack([np.where(matched[k], yearly[k], -1) for k in order], axis=1)
    best = np.argmax(worth, axis=1)
    losers: list[np.ndarray] = [np.zeros(0, dtype=bool)] * len(members)
    for place, k in enumerate(order):
        losers[k] = matched[k] & (best != place)
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
