"""How a candidate is scored once it passed the hard filters, and how it explains itself.

The score adds the text relevance (BM25 from the index, normalised by the best candidate's) to structured
similarity: the share of the demand's skills the talent has, the major, the post sought, the chain and the
years of experience. Every term an explanation names occurs in both the demand and the profile."""

from __future__ import annotations

from dataclasses import dataclass, field

from talentcloud.talents.enums import Degree
from talentcloud.talents.search import tokens

from .facts import DemandFacts, ProfileFacts

SKILLS_WEIGHT = 2.0
MAJOR_WEIGHT = 0.6
POST_WEIGHT = 0.4
CHAIN_WEIGHT = 0.2
EXPERIENCE_WEIGHT = 0.2


@dataclass
class Explanation:
    skills: list[str] = field(default_factory=list)
    major: str = ""
    degree: str = ""
    post: str = ""
    chain: str = ""
    keywords: list[str] = field(default_factory=list)
    missing_skills: list[str] = field(default_factory=list)
    years_short: int = 0

    def terms(self) -> list[str]:
        """Every term the explanation says both sides hold."""
        found = [*self.skills, *self.keywords]
        found += [t for t in (self.major, self.degree, self.post, self.chain) if t]
        return found


@dataclass
class Match:
    demand: DemandFacts
    profile: ProfileFacts
    score: float
    explanation: Explanation


def explain(demand: DemandFacts, profile: ProfileFacts) -> Explanation:
    have = set(profile.skills)
    ex = Explanation(
        skills=[term for pk, term in demand.skills.items() if pk in have],
        missing_skills=[term for pk, term in demand.skills.items() if pk not in have],
        years_short=max(0, demand.experience_years - profile.experience_years),
    )
    if profile.major_id is not None and profile.major_id in demand.majors:
        ex.major = profile.major_name
    if profile.degree == demand.degree:
        ex.degree = str(Degree(profile.degree).label)
    if profile.post_id == demand.post_id:
        ex.post = profile.post_name
    if profile.chain_id is not None and profile.chain_id == demand.chain_id:
        ex.chain = profile.chain_name
    claimed = {t.lower() for t in ex.terms()}
    demand_words = demand.title_words
    summary = profile.summary.lower()
    words = profile.tokens.split() if profile.tokens else tokens(profile.summary)
    ex.keywords = [
        word
        for word in dict.fromkeys(words)
        if len(word) >= 2
        and word in demand_words
        and not any(word in term for term in claimed)  # not a piece of a term already named
        and word in summary
    ][:5]
    return ex


def structured(demand: DemandFacts, profile: ProfileFacts, ex: Explanation) -> float:
    score = SKILLS_WEIGHT * len(ex.skills) / max(1, len(demand.skills))
    score += MAJOR_WEIGHT if ex.major else 0.0
    score += POST_WEIGHT if profile.post_id == demand.post_id else 0.0
    score += CHAIN_WEIGHT if ex.chain else 0.0
    score += EXPERIENCE_WEIGHT if not ex.years_short else 0.0
    return score


def text_overlap(demand: DemandFacts, profile_tokens: set[str]) -> float:
    """The share of the demand's query tokens the profile's text holds (the posts-for-me side, where the few
    open demands are scored in Python)."""
    wanted = demand.query_tokens()
    return sum(1 for t in wanted if t in profile_tokens) / len(wanted) if wanted else 0.0


def rank(candidates: list[tuple[DemandFacts, ProfileFacts, float]], limit: int) -> list[Match]:
    """``candidates`` with their text score; the best ``limit`` by text (normalised) plus structure."""
    best = max((text for _d, _p, text in candidates), default=0.0) or 1.0
    matches = []
    for demand, profile, text in candidates:
        ex = explain(demand, profile)
        matches.append(Match(demand, profile, text / best + structured(demand, profile, ex), ex))
    matches.sort(key=lambda m: (-m.score, m.profile.pk, str(m.demand.pk)))
    return matches[:limit]
