"""What matching reads of a demand and of a profile, and the hard filters as one pure rule.

``violations`` is the rule; ``selectors`` states the same rule as database conditions (authoritative: the
candidates the index returns are re-read through them) and the tests hold the two to each other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.translation import gettext_lazy as _

from talentcloud.talents.enums import Degree
from talentcloud.talents.search import tokens

DEGREE_RANK = {
    Degree.JUNIOR_COLLEGE.value: 0,
    Degree.BACHELOR.value: 1,
    Degree.MASTER.value: 2,
    Degree.DOCTOR.value: 3,
}


def degrees_at_least(degree: str) -> list[str]:
    rank = DEGREE_RANK.get(degree, 0)
    return [code for code, r in DEGREE_RANK.items() if r >= rank]


def degrees_at_most(degree: str) -> list[str]:
    rank = DEGREE_RANK.get(degree, -1)
    return [code for code, r in DEGREE_RANK.items() if r <= rank]


@dataclass
class DemandFacts:
    pk: Any
    enterprise: str
    post_id: int
    post_name: str
    title: str
    degree: str
    majors: dict[int, str]
    skills: dict[int, str]
    experience_years: int
    annual_min: int | None
    annual_max: int | None
    location: str
    chain_id: int | None
    chain_name: str
    state: str = ""

    def text(self) -> str:
        """Everything of the demand an explanation may quote."""
        return " ".join(
            [
                self.post_name,
                self.title,
                str(Degree(self.degree).label),
                self.location,
                self.chain_name,
                *list(self.majors.values()),
                *list(self.skills.values()),
            ]
        )

    @cached_property
    def title_words(self) -> frozenset[str]:
        """The tokens of the post's name and the title (what an explanation's keywords are drawn from)."""
        return frozenset(tokens(f"{self.post_name} {self.title}"))

    def query_tokens(self) -> list[str]:
        return list(self._query_tokens)

    @cached_property
    def _query_tokens(self) -> tuple[str, ...]:
        found = tokens(f"{self.post_name} {self.title}")
        for term in [*self.skills.values(), *self.majors.values(), self.chain_name]:
            if term:
                found += [term.lower(), *tokens(term)]
        return tuple(dict.fromkeys(found))


@dataclass
class ProfileFacts:
    pk: int
    account_id: int
    post_id: int
    post_name: str
    degree: str
    major_id: int | None
    major_name: str
    experience_years: int
    skills: dict[int, str] = field(default_factory=dict)
    location: str = ""
    chain_id: int | None = None
    chain_name: str = ""
    salary_floor: int | None = None
    summary: str = ""
    tokens: str = ""  # the stored rjieba tokens of the profile's text (``profile_tokens``)

    def text(self) -> str:
        return " ".join(
            [
                self.post_name,
                str(Degree(self.degree).label),
                self.major_name,
                self.location,
                self.chain_name,
                self.summary,
                *list(self.skills.values()),
            ]
        )


def profile_tokens(
    *,
    post_name: str,
    skills: list[str],
    major_name: str,
    chain_name: str,
    summary: str,
    cut: Callable[[str], list[str]] = tokens,
) -> str:
    """The profile's text as the index and ``ts_rank`` read it: rjieba tokens (with the skills dictionary),
    each skill and major also whole. ``cut`` is ``search.tokens`` (a bulk load passes it remembered)."""
    found = cut(post_name)
    for term in [*skills, major_name, chain_name]:
        if term:
            found += [term.lower(), *cut(term)]
    found += cut(summary)
    return " ".join(dict.fromkeys(t.replace(" ", "") for t in found if t.strip()))


HARD_FILTERS = {
    "degree": _("degree"),
    "major": _("major"),
    "location": _("work location"),
    "chain": _("industry chain"),
    "salary": _("salary band"),
}


def violations(demand: DemandFacts, profile: ProfileFacts) -> list[str]:
    """The hard filters ``profile`` fails for ``demand`` (none: it may be matched).

    degree: the profile's degree is at least the demand's minimum; major: when the demand names majors, the
    profile's major is one of them; location: when both name one, they are the same; chain: a profile that
    names a chain is matched only with that chain's demand; salary: a profile's least annual salary is within
    the demand's band (its top; 面议 has none)."""
    failed = []
    if DEGREE_RANK.get(profile.degree, -1) < DEGREE_RANK.get(demand.degree, 0):
        failed.append("degree")
    if demand.majors and profile.major_id not in demand.majors:
        failed.append("major")
    if demand.location and profile.location and demand.location != profile.location:
        failed.append("location")
    if profile.chain_id is not None and profile.chain_id != demand.chain_id:
        failed.append("chain")
    if (
        profile.salary_floor is not None
        and demand.annual_max is not None
        and profile.salary_floor > demand.annual_max
    ):
        failed.append("salary")
    return failed
