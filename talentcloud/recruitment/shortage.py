"""The 紧缺指数 (shortage index) of a post, from five documented dimensions (ADR 0026).

Every dimension scores 0–100 and is rounded to two decimals (half up) before it is weighed:

- ``supply_demand`` (供需比): 100 × D / (D + S), D the headcount the year's approved demand asks for, S the
  supply (open job-seeker profiles seeking the post plus the year's expected graduates of its related majors).
  No supply at all scores 100; no demand scores 0.
- ``degree`` (学历要求): the headcount-weighted mean of the minimum degree's points: 大专 25, 本科 50,
  硕士 75, 博士 100.
- ``experience`` (经验要求): the headcount-weighted mean of min(years, 10) × 10.
- ``breadth`` (要求广度): the headcount-weighted mean of min(majors named + skills named, 10) × 10.
- ``salary`` (年薪水平): 100 × the post's mean annual salary / the highest post's mean annual salary that
  year. A post's mean is headcount-weighted over its demand that states a salary, each at the middle of its
  annual band; 面议 rows are left out, and a post with no stated salary scores 0.

The index is Σ weightᵢ × scoreᵢ / Σ weightᵢ, rounded to two decimals (half up). Stars, by the office's
cut-offs: ``fixed`` — the least index for 5, 4, 3 and 2 stars (below the last: 1 star); ``quantile`` — the
shares of posts at 5, 4, 3, 2 and 1 stars (any positive numbers; Zhengzhou 2021's 27/32/42/63/79 by
default), posts ranked by index (then code), the k-th boundary at round_half_up(n × cumulative share / total);
a post whose index equals the one ranked just above it gets the same stars, so equal scores never split.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

DIMENSIONS: tuple[tuple[str, Any], ...] = (
    ("supply_demand", _("Supply against demand")),
    ("degree", _("Degree required")),
    ("experience", _("Experience required")),
    ("breadth", _("Breadth of requirements")),
    ("salary", _("Annual salary")),
)
DIMENSION_KEYS = tuple(key for key, _label in DIMENSIONS)
DEFAULT_WEIGHTS = {"supply_demand": 30, "degree": 20, "experience": 15, "breadth": 15, "salary": 20}
DEFAULT_SHARES = [27, 32, 42, 63, 79]  # Zhengzhou 2021: 243 posts from five stars to one
DEFAULT_FIXED = [80, 65, 50, 35]
DEGREE_POINTS = {"junior_college": 25, "bachelor": 50, "master": 75, "doctor": 100}
CENT = Decimal("0.01")


def money(value: Decimal | float | int) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DemandRow:
    """One approved demand, as the index reads it."""

    headcount: int
    degree: str
    experience_years: int
    breadth: int  # majors named + skills named
    annual_mid: Decimal | None  # the middle of the annual band; None for 面议


@dataclass
class PostFigures:
    code: str
    name: str
    supply: int
    rows: list[DemandRow] = field(default_factory=list)

    @property
    def demand(self) -> int:
        return sum(r.headcount for r in self.rows)

    def weighted(self, value: Any) -> Decimal:
        """The headcount-weighted mean of ``value(row)`` (0 without demand)."""
        total = self.demand
        if not total:
            return Decimal(0)
        return sum((Decimal(value(r)) * r.headcount for r in self.rows), Decimal(0)) / total

    def mean_salary(self) -> Decimal | None:
        stated = [r for r in self.rows if r.annual_mid is not None]
        heads = sum(r.headcount for r in stated)
        if not heads:
            return None
        return sum((Decimal(r.annual_mid or 0) * r.headcount for r in stated), Decimal(0)) / heads


@dataclass(frozen=True)
class Part:
    key: str
    raw: str  # the figure the score came from, in plain words
    score: Decimal
    weight: int
    contribution: Decimal  # weight × score / Σ weights, the points this dimension adds to the index

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "raw": self.raw,
            "score": str(self.score),
            "weight": self.weight,
            "contribution": str(self.contribution),
        }


@dataclass(frozen=True)
class Score:
    code: str
    name: str
    demand: int
    supply: int
    index: Decimal
    parts: tuple[Part, ...]
    stars: int = 0

    def breakdown(self) -> list[dict[str, Any]]:
        return [p.as_json() for p in self.parts]

    @property
    def leading(self) -> str:
        """The dimension that added the most points (what earned the stars)."""
        return max(self.parts, key=lambda p: (p.contribution, -DIMENSION_KEYS.index(p.key))).key


def check_weights(weights: dict[str, Any]) -> dict[str, int]:
    """Whole numbers 0–100 for the five dimensions, at least one above 0; ValueError naming the problem."""
    clean: dict[str, int] = {}
    for key in DIMENSION_KEYS:
        value = weights.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ValueError(key)
        clean[key] = value
    if not any(clean.values()):
        raise ValueError("all")
    return clean


def score_posts(posts: Iterable[PostFigures], weights: dict[str, int]) -> list[Score]:
    """Each post's index and breakdown (no stars yet)."""
    posts = list(posts)
    means = {p.code: p.mean_salary() for p in posts}
    top = max((m for m in means.values() if m is not None), default=None)
    total_weight = sum(weights[k] for k in DIMENSION_KEYS)
    scores = []
    for post in posts:
        demand, supply = post.demand, post.supply
        mean = means[post.code]
        values = {
            "supply_demand": (
                money(Decimal(100) * demand / (demand + supply)) if demand else money(0),
                f"D={demand}, S={supply}",
            ),
            "degree": (
                money(post.weighted(lambda r: DEGREE_POINTS.get(r.degree, 0))),
                "; ".join(f"{r.degree}×{r.headcount}" for r in post.rows),
            ),
            "experience": (
                money(post.weighted(lambda r: min(r.experience_years, 10) * 10)),
                "; ".join(f"{r.experience_years}y×{r.headcount}" for r in post.rows),
            ),
            "breadth": (
                money(post.weighted(lambda r: min(r.breadth, 10) * 10)),
                "; ".join(f"{r.breadth}×{r.headcount}" for r in post.rows),
            ),
            "salary": (
                money(Decimal(100) * mean / top) if mean is not None and top else money(0),
                f"{money(mean)} / {money(top)}" if mean is not None and top else "—",
            ),
        }
        parts = tuple(
            Part(
                key=key,
                raw=values[key][1],
                score=values[key][0],
                weight=weights[key],
                contribution=money(values[key][0] * weights[key] / total_weight),
            )
            for key in DIMENSION_KEYS
        )
        index = money(sum((p.score * p.weight for p in parts), Decimal(0)) / total_weight)
        scores.append(Score(post.code, post.name, demand, supply, index, parts))
    return scores


def check_cutoffs(mode: str, cutoffs: Sequence[Any]) -> list[float]:
    """fixed: four descending indexes 0–100; quantile: five positive shares. ValueError otherwise."""
    values = [float(v) for v in cutoffs]
    if mode == "fixed":
        if len(values) != 4 or any(not 0 <= v <= 100 for v in values):
            raise ValueError("fixed")
        if any(values[i] <= values[i + 1] for i in range(3)):
            raise ValueError("order")
    elif mode == "quantile":
        if len(values) != 5 or any(v < 0 for v in values) or not sum(values):
            raise ValueError("quantile")
    else:
        raise ValueError("mode")
    return values


def with_stars(scores: Iterable[Score], mode: str, cutoffs: Sequence[float]) -> list[Score]:
    """The scores with their stars, ranked by index (then post code)."""
    ranked = sorted(scores, key=lambda s: (-s.index, s.code))
    result: list[Score] = []
    if mode == "fixed":
        for score in ranked:
            stars = 1 + sum(1 for c in cutoffs if score.index >= Decimal(str(c)))
            result.append(_starred(score, stars))
        return result
    n, total = len(ranked), sum(Decimal(str(c)) for c in cutoffs)
    bounds, running = [], Decimal(0)
    for share in cutoffs:
        running += Decimal(str(share))
        bounds.append(int((n * running / total).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    for position, score in enumerate(ranked):
        stars = 5 - next((k for k, bound in enumerate(bounds) if position < bound), 4)
        if result and result[-1].index == score.index:
            stars = result[-1].stars
        result.append(_starred(score, stars))
    return result


def _starred(score: Score, stars: int) -> Score:
    return Score(score.code, score.name, score.demand, score.supply, score.index, score.parts, stars)


def moves(before: list[Score], after: list[Score]) -> list[dict[str, Any]]:
    """What a change of weights or cut-offs does to each post: index and stars before and after."""
    old = {s.code: s for s in before}
    rows = []
    for score in after:
        was = old.get(score.code)
        rows.append(
            {
                "code": score.code,
                "name": score.name,
                "index_before": was.index if was else None,
                "index_after": score.index,
                "stars_before": was.stars if was else None,
                "stars_after": score.stars,
                "moved": was is None or was.stars != score.stars,
            }
        )
    return rows


def from_json(row: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A stored breakdown as the pages show it (the stored strings stay as they are)."""
    labels = dict(DIMENSIONS)
    return [{**part, "label": labels.get(part["key"], part["key"])} for part in row]
