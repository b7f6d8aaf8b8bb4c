"""The recruitment app's reads. Demand is limited by the viewer's data scope (``scope_queryset``): a park's
staff see their own enterprises' demand, the office all of it, an enterprise's accounts their own."""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.common.errors import NotFound, OutOfScope
from talentcloud.enterprises.models import Enterprise

from . import shortage
from .enums import CatalogueState, DemandState
from .models import Catalogue, CatalogueEntry, Demand, GraduateSupply, JobSeekerProfile, Post
from .permissions import RecruitPerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

COUNTED = (DemandState.OPEN, DemandState.FILLED, DemandState.EXPIRED)  # approved demand


def own_enterprise(viewer: User | AnonymousUser) -> Enterprise | None:
    """The enterprise an account posts demand for (its first confirmed membership)."""
    if not isinstance(viewer, User) or not has_perm(viewer, RecruitPerm.DEMAND_POST):
        return None
    return Enterprise.objects.filter(members__user=viewer).order_by("name", "pk").first()


def _visible(viewer: User | AnonymousUser) -> QuerySet[Demand]:
    qs = Demand.objects.select_related("enterprise", "post", "chain")
    if has_perm(viewer, RecruitPerm.DEMAND_REVIEW):
        return scope_queryset(qs, viewer)
    if isinstance(viewer, User) and has_perm(viewer, RecruitPerm.DEMAND_POST):
        return qs.filter(enterprise__members__user=viewer)
    return qs.none()


def demand_list(
    *, viewer: User | AnonymousUser, state: str = "", year: int | None = None, post: str = ""
) -> QuerySet[Demand]:
    qs = _visible(viewer)
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(year=year)
    if post:
        qs = qs.filter(post__code=post)
    return qs.order_by("-created_at", "id")


def demand_get(*, viewer: User | AnonymousUser, demand_id: uuid.UUID | str) -> Demand:
    demand = _visible(viewer).filter(pk=demand_id).first()
    if demand is None:
        if Demand.objects.filter(pk=demand_id).exists():
            raise OutOfScope(object_type="demand", object_id=demand_id)
        raise NotFound()
    return demand


def post_choices() -> QuerySet[Post]:
    return Post.objects.filter(active=True).order_by("code")


# -- supply and the catalogue ---------------------------------------------------------------------------


def supply_by_post(year: int, codes: list[str]) -> dict[str, int]:
    """Supply of each post: open job-seeker profiles seeking it plus the year's expected graduates of its
    related majors (ADR 0026). Campaign applicants join here when campaigns exist (#26)."""
    supply: dict[str, int] = defaultdict(int)
    profiles = (
        JobSeekerProfile.objects.filter(open=True, post__code__in=codes)
        .values("post__code")
        .annotate(n=Count("id"))
    )
    for row in profiles:
        supply[row["post__code"]] += row["n"]
    graduates = dict(
        GraduateSupply.objects.filter(year=year)
        .values("major_id")
        .annotate(n=Sum("count"))
        .values_list("major_id", "n")
    )
    for code, major_id in Post.majors.through.objects.filter(post__code__in=codes).values_list(
        "post__code", "major_id"
    ):
        supply[code] += graduates.get(major_id, 0) or 0
    return supply


def catalogue_figures(catalogue: Catalogue) -> tuple[list[shortage.PostFigures], dict[str, str]]:
    """The year's approved demand by post, office additions in and removals out, with supply."""
    adjustments = {a.post.code: a for a in catalogue.adjustments.select_related("post")}
    rows = (
        Demand.objects.filter(year=catalogue.year, state__in=COUNTED)
        .select_related("post")
        .annotate(n_majors=Count("majors", distinct=True), n_skills=Count("skills", distinct=True))
        .order_by("post__code", "id")
    )
    figures: dict[str, shortage.PostFigures] = {}
    for demand in rows:
        post = figures.setdefault(
            demand.post.code, shortage.PostFigures(demand.post.code, demand.post.name, supply=0)
        )
        mid = None
        if demand.annual_min is not None and demand.annual_max is not None:
            mid = (Decimal(demand.annual_min) + Decimal(demand.annual_max)) / 2
        post.rows.append(
            shortage.DemandRow(
                headcount=demand.headcount,
                degree=demand.degree,
                experience_years=demand.experience_years,
                breadth=demand.n_majors + demand.n_skills,
                annual_mid=mid,
            )
        )
    added: dict[str, str] = {}
    for code, adjustment in adjustments.items():
        if adjustment.include:
            figures.setdefault(code, shortage.PostFigures(code, adjustment.post.name, supply=0))
            added[code] = adjustment.reason
        else:
            figures.pop(code, None)
    supply = supply_by_post(catalogue.year, list(figures))
    for code, post in figures.items():
        post.supply = supply.get(code, 0)
    return list(figures.values()), added


def catalogue_draft_scores(
    catalogue: Catalogue,
    *,
    weights: dict[str, int] | None = None,
    mode: str | None = None,
    cutoffs: list[float] | None = None,
) -> tuple[list[shortage.Score], dict[str, str]]:
    """A draft's posts scored and starred now (with other weights or cut-offs for a preview)."""
    figures, added = catalogue_figures(catalogue)
    scores = shortage.score_posts(figures, weights or catalogue.weights)
    starred = shortage.with_stars(scores, mode or catalogue.cutoff_mode, cutoffs or catalogue.cutoffs)
    return starred, added


def catalogue_preview(
    catalogue: Catalogue, *, weights: dict[str, int], mode: str, cutoffs: list[float]
) -> list[dict[str, Any]]:
    """How other weights or cut-offs would move each post's index and stars; nothing is saved."""
    before, _added = catalogue_draft_scores(catalogue)
    after, _added = catalogue_draft_scores(catalogue, weights=weights, mode=mode, cutoffs=cutoffs)
    return shortage.moves(before, after)


def catalogue_get(*, year: int) -> Catalogue:
    catalogue = Catalogue.objects.filter(year=year).first()
    if catalogue is None:
        raise NotFound()
    return catalogue


def catalogue_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    """The catalogue as its pages show it: a frozen one's stored entries (never recomputed), a draft's
    scores computed now."""
    if catalogue.state != CatalogueState.DRAFT:
        return [
            {
                "code": e.post_code,
                "name": e.post_name,
                "demand": e.demand,
                "supply": e.supply,
                "index": e.index,
                "stars": e.stars,
                "breakdown": shortage.from_json(e.breakdown),
                "previous_stars": e.previous_stars,
                "first_five_star": e.first_five_star,
                "added_reason": e.added_reason,
            }
            for e in CatalogueEntry.objects.filter(catalogue=catalogue).order_by("-index", "post_code")
        ]
    scores, added = catalogue_draft_scores(catalogue)
    before = (
        Catalogue.objects.filter(year__lt=catalogue.year, state=CatalogueState.PUBLISHED)
        .order_by("-year")
        .first()
    )
    previous = dict(before.entries.values_list("post_code", "stars")) if before else {}
    return [
        {
            "code": s.code,
            "name": s.name,
            "demand": s.demand,
            "supply": s.supply,
            "index": s.index,
            "stars": s.stars,
            "breakdown": shortage.from_json(s.breakdown()),
            "previous_stars": previous.get(s.code),
            "first_five_star": s.stars == 5 and previous.get(s.code) != 5,
            "added_reason": added.get(s.code, ""),
        }
        for s in scores
    ]


def published_catalogues() -> QuerySet[Catalogue]:
    return Catalogue.objects.filter(state=CatalogueState.PUBLISHED).defer("xlsx", "pdf").order_by("-year")


def published_get(*, year: int) -> Catalogue:
    catalogue = Catalogue.objects.filter(year=year, state=CatalogueState.PUBLISHED).first()
    if catalogue is None:
        raise NotFound()
    return catalogue
