"""Conflicts of interest between an expert and an application (ADR 0027), as plain data so that a property
test can generate pools and histories freely.

An expert may not review an application when, within the call's window (``years`` back from ``today``):
- they worked at the applicant's employer or a team member's institution (their institution history);
- they were a co-applicant or collaborator of the applicant or a team member (a history with a date);
and at any time when they declared a tie (family, advisor or student, business partner) with one of them.
A tie names a talent of the archive, or a person by name while that person has no record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .enums import TieKind

DATED = frozenset({TieKind.CO_APPLICANT, TieKind.COLLABORATOR})


def normal(text: str) -> str:
    """Names and institutions compare without spaces, case or full-width brackets."""
    return "".join(text.split()).casefold().replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class Side:
    """Whom an application involves: the applicant and the team, by record and by name, and their
    institutions (the employer's name among them)."""

    talents: frozenset[str]
    names: frozenset[str]
    institutions: frozenset[str]


@dataclass(frozen=True)
class History:
    """What is recorded of one expert."""

    affiliations: tuple[tuple[str, date, date | None], ...]  # institution, from, to (None: still there)
    ties: tuple[tuple[str, str | None, str, date | None], ...]  # kind, talent id, person's name, on


def window_start(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def reasons(history: History, side: Side, *, today: date, years: int) -> list[str]:
    """Why this expert may not review this application (empty: no conflict). Codes, not words: the
    pages put them into words (``CONFLICT_WORDS``)."""
    since = window_start(today, years)
    found: list[str] = []
    institutions = {normal(i) for i in side.institutions}
    for institution, start, end in history.affiliations:
        if normal(institution) in institutions and start <= today and (end is None or end >= since):
            found.append("institution")
            break
    names = {normal(n) for n in side.names}
    for kind, talent_id, name, on in history.ties:
        person = (talent_id is not None and str(talent_id) in side.talents) or (
            talent_id is None and normal(name) in names
        )
        if not person:
            continue
        if kind in DATED and on is not None and on < since:
            continue
        found.append(kind)
    return found
