"""Reading talents' archives: lists and pages in the viewer's scope, the facts and their provenance, family
members, personal-data requests and the timeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.scope import reference_errors, scope_queryset
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import NotFound, OutOfScope
from talentcloud.talents.permissions import TalentPerm

from .enums import (
    CertificationGrade,
    Degree,
    FactSource,
    FactStatus,
    ProgrammeTier,
    PyramidCategory,
    Relation,
    RightsRequestKind,
    RightsRequestStatus,
)
from .models import FACT_FIELDS, FactRecord, RightsRequest, Talent
from .search import name_prefix, search_filter
from .timeline_registry import Event, timeline_entries
from .values import _shown

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def _visible(viewer: User | AnonymousUser) -> QuerySet[Talent]:
    # What archive pages show of the related rows (the employer's park and street decide scope inside the
    # database; no page reads them from the instance).
    qs = Talent.objects.select_related("employer", "residence_street", "chain")
    if not has_perm(viewer, TalentPerm.PIPL_HANDLE):
        # Restricted records (PIPL art. 47) are kept for storage only: out of every list and search.
        qs = qs.filter(restricted=False)
    if not has_perm(viewer, TalentPerm.VIEW):
        # Without the permission a user still sees the archives they own (their own, as a talent).
        return scope_queryset(qs, viewer).filter(account=viewer) if isinstance(viewer, User) else qs.none()
    return scope_queryset(qs, viewer)


AGE_BANDS = {"under35": (0, 35), "35to45": (35, 45), "45to55": (45, 55), "55plus": (55, 200)}


@dataclass(frozen=True)
class TalentFilters:
    query: str = ""
    category: str = ""
    tier: str = ""
    grade: str = ""
    degree: str = ""
    chain: str = ""
    area: str = ""  # an org unit code: the employer's park or street, or the street of residence
    employer: str = ""
    age_band: str = ""
    arrival_year: int | None = None


def filters_from(data: Any) -> TalentFilters:
    """Filters from a query string or a stored dict; anything unknown or malformed is dropped."""

    def pick(name: str, allowed: Any) -> str:
        value = str(data.get(name, ""))[:64]
        return value if value in allowed else ""

    year = str(data.get("arrival_year", ""))
    employer = str(data.get("employer", ""))
    try:
        employer = str(uuid.UUID(employer)) if employer else ""
    except ValueError:
        employer = ""
    return TalentFilters(
        query=str(data.get("q", "")).strip()[:100],
        category=pick("category", PyramidCategory.values),
        tier=pick("tier", ProgrammeTier.values),
        grade=pick("grade", CertificationGrade.values),
        degree=pick("degree", Degree.values),
        chain=str(data.get("chain", ""))[:40],
        area=str(data.get("area", ""))[:40],
        employer=employer,
        age_band=pick("age_band", AGE_BANDS),
        arrival_year=int(year) if year.isdigit() and 1950 <= int(year) <= 2100 else None,
    )


def talent_list(
    *, viewer: User | AnonymousUser, query: str = "", category: str = "", filters: TalentFilters | None = None
) -> QuerySet[Talent]:
    f = filters or TalentFilters(query=query, category=category)
    qs = _visible(viewer)
    if f.query:
        qs = search_filter(qs, f.query)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.tier:
        qs = qs.filter(tier=f.tier)
    if f.grade:
        qs = qs.filter(grade=f.grade)
    if f.degree:
        qs = qs.filter(highest_degree=f.degree)
    if f.chain:
        qs = qs.filter(chain__code=f.chain)
    if f.area:
        qs = qs.filter(
            Q(employer__park__code=f.area)
            | Q(employer__street__code=f.area)
            | Q(residence_street__code=f.area)
        )
    if f.employer:
        qs = qs.filter(employer_id=uuid.UUID(f.employer))
    if f.age_band in AGE_BANDS:
        low, high = AGE_BANDS[f.age_band]
        today = timezone.localdate()
        qs = qs.filter(birth_date__gt=_years_before(today, high), birth_date__lte=_years_before(today, low))
    if f.arrival_year:
        qs = qs.filter(arrived_on__year=f.arrival_year)
    # Lists never show personal numbers: leave the encrypted columns and the search tokens in the database.
    qs = qs.select_related(None).select_related("employer", "chain")  # what the list shows
    qs = qs.defer("id_number", "phone", "email", "search_tokens")
    prefix = name_prefix(f.query)
    if prefix:
        # A Chinese query lists the names that begin with it (its surname) first, each part in (name, id)
        # order; the search has already narrowed the rows to its matches.
        starts = When(name__startswith=prefix, then=Value(0))
        qs = qs.alias(_surname=Case(starts, default=Value(1), output_field=IntegerField()))
        return qs.order_by("_surname", "name", "id")
    return qs.order_by("name", "id")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def talent_first_page(
    *, qs: QuerySet[Talent], columns: tuple[str, ...], cap: int, search: bool, size: int = 25
) -> tuple[list[Talent], bool, int]:
    """The first page and how many match, up to ``cap`` + 1 (``qs`` holds the viewer's scope and the
    filters). Filters walk the (name, id) index twice — the page, then a capped count — which costs less
    than carrying a thousand ids over. A search reads its full-text index once instead: the ids of the
    first ``cap`` + 1 matches in (name, id) order, then the page's rows by id."""
    if not search:
        rows, has_next = talent_page(qs=qs.only(*columns), after=None, size=size)
        return rows, has_next, qs[: cap + 1].count()
    ids = list(qs.values_list("pk", flat=True)[: cap + 1])
    page = ids[: size + 1]
    found = Talent.objects.select_related("employer", "chain").only(*columns).in_bulk(page) if page else {}
    rows = [found[pk] for pk in page if pk in found]  # in the search's order (surname matches first)
    return rows[:size], len(rows) > size, len(ids)


def talent_page(
    *, qs: QuerySet[Talent], after: tuple[str, str] | None, size: int = 25, query: str = ""
) -> tuple[list[Talent], bool]:
    """Keyset pagination on (name, id): a deep page costs what the first does. For a search listing the
    names that begin with ``query`` first (``talent_list``), the cursor's name says which part it is in."""
    prefix = name_prefix(query)
    if after is not None and prefix:
        name, pk = after
        starts = Q(name__startswith=prefix)
        later = Q(name__gt=name) | Q(name=name, pk__gt=uuid.UUID(pk))
        qs = qs.filter((starts & later) | ~starts if name.startswith(prefix) else ~starts & later)
    elif after is not None:
        name, pk = after
        # A row-value comparison lets both databases walk the (name, id) index from the cursor on.
        pk_value = uuid.UUID(pk).hex if connection.vendor == "sqlite" else pk
        qs = qs.extra(where=["(talents_talent.name, talents_talent.id) > (%s, %s)"], params=[name, pk_value])
    rows = list(qs[: size + 1])
    return rows[:size], len(rows) > size


def talent_get(
    *, viewer: User | AnonymousUser, talent_id: uuid.UUID | str, related: tuple[str, ...] = ()
) -> Talent:
    """A talent in the viewer's scope; ``related``: relations the page shows besides the usual ones (the
    detail page: the liaison cadre)."""
    talent = _visible(viewer).select_related(*related).filter(pk=talent_id).first()
    if talent is None:
        if Talent.objects.filter(pk=talent_id).exists():
            raise OutOfScope(object_type="talent", object_id=talent_id)  # answered as 404, recorded as denied
        raise NotFound()
    return talent


def talent_own_archive(*, viewer: User | AnonymousUser, related: bool = True) -> Talent | None:
    """The archive that belongs to the signed-in talent, if any; ``related=False`` reads the archive's own
    row only (what the policy calculator needs: its facts are columns of that row)."""
    if not isinstance(viewer, User):
        return None
    qs = _visible(viewer).filter(account=viewer)
    return (qs if related else qs.select_related(None)).first()


def rights_request_list(*, viewer: User | AnonymousUser, status: str = "") -> QuerySet[RightsRequest]:
    qs = RightsRequest.objects.select_related("talent")
    if has_perm(viewer, TalentPerm.PIPL_HANDLE):
        qs = scope_queryset(qs, viewer)
    else:
        qs = qs.filter(talent__account=viewer) if isinstance(viewer, User) else qs.none()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_on", "id")


def rights_request_get(*, viewer: User | AnonymousUser, request_id: uuid.UUID | str) -> RightsRequest:
    found = rights_request_list(viewer=viewer).filter(pk=request_id).first()
    if found is None:
        raise NotFound()
    return found


def open_copy_request(*, viewer: User | AnonymousUser, talent: Talent) -> RightsRequest | None:
    """The person's request for a copy of their data that is not answered yet (the oldest), if the viewer
    may see it: a copy is released only against one."""
    return (
        rights_request_list(viewer=viewer, status=RightsRequestStatus.RECEIVED)
        .filter(talent=talent, kind=RightsRequestKind.COPY)
        .order_by("received_on", "id")
        .first()
    )


# The references a staff edit sets; each must be one the writer may name (``talent_reference_errors``).
REFERENCE_FIELDS = ("employer", "residence_street")


def talent_reference_errors(
    *, actor: User, values: dict[str, Any], talent: Talent | None = None
) -> dict[str, Any]:
    """Field → message for each reference in ``values`` the actor may not set: an employer outside their
    scope (a park's staff cannot move a talent to another park's enterprise), a street they may not name.
    A reference left as it is on ``talent`` is not checked again. Shared by the edit and the import."""
    changed = {
        name: values[name]
        for name in REFERENCE_FIELDS
        if name in values
        and (talent is None or getattr(talent, f"{name}_id") != getattr(values[name], "pk", None))
    }
    return reference_errors(actor, changed)


def latest_fact(talent: Talent, key: str) -> FactRecord | None:
    return (
        talent.facts.filter(key=key)
        .exclude(status=FactStatus.REJECTED)
        .exclude(status=FactStatus.PENDING)
        .first()
    )


@dataclass(frozen=True)
class FactRow:
    key: str
    label: Any
    shown: str
    record: FactRecord | None


def fact_rows(talent: Talent, records: list[FactRecord] | None = None) -> list[FactRow]:
    """The facts policies read, each with its current value (as people read it) and its provenance.
    ``records``: the talent's fact records, newest first, when the caller has them already."""
    if records is None:
        records = list(talent.facts.order_by("-created_at", "-id"))
    latest: dict[str, FactRecord] = {}
    for record in records:
        if record.status not in (FactStatus.REJECTED, FactStatus.PENDING):
            latest.setdefault(record.key, record)
    rows = []
    for key in FACT_FIELDS:
        model_field = Talent._meta.get_field(key)
        value = getattr(talent, key)
        if hasattr(talent, f"get_{key}_display") and value:
            shown = str(getattr(talent, f"get_{key}_display")())
        elif isinstance(value, bool):
            shown = str(_("yes") if value else _("no"))
        else:
            shown = _shown(key, value)
        rows.append(FactRow(key, getattr(model_field, "verbose_name", key), shown, latest.get(key)))
    return rows


def fact_verified(talent: Talent, key: str) -> bool:
    record = latest_fact(talent, key)
    return record is not None and record.verified


def fact_review_queue(*, viewer: User | AnonymousUser) -> QuerySet[FactRecord]:
    """Self-declared facts waiting for staff: pending changes and unverified values in use."""
    require_perm(viewer, TalentPerm.FACT_VERIFY)
    qs = FactRecord.objects.filter(source=FactSource.SELF, verified=False).exclude(status=FactStatus.REJECTED)
    return scope_queryset(qs.select_related("talent"), viewer).order_by("created_at", "id")


def family_visible(*, viewer: User | AnonymousUser, talent: Talent) -> bool:
    """Whether the viewer may see the talent's family members: the talent, and staff with the permission."""
    own = talent.account_id is not None and talent.account_id == viewer.pk
    return own or has_perm(viewer, TalentPerm.FAMILY_VIEW)


def family_for(
    *, viewer: User | AnonymousUser, talent: Talent, source_ip: str | None = None
) -> list[Any] | None:
    """Family members for the viewer, or None when the viewer may not see them. A staff read is audited."""
    own = talent.account_id is not None and talent.account_id == viewer.pk
    if not family_visible(viewer=viewer, talent=talent):
        return None
    members = list(talent.family.all())
    if members and not own:
        audit_record(
            actor=viewer,
            action="talent.family_view",
            object_type="talent",
            object_id=talent.pk,
            source_ip=source_ip,
        )
    return members


def children_under(talent: Talent, age: int) -> int:
    """How many children are younger than ``age`` (a fact school-place policies read)."""
    return sum(1 for m in talent.family.filter(relation=Relation.CHILD) if m.age is not None and m.age < age)


def timeline(
    talent: Talent,
    *,
    viewer: User | AnonymousUser | None = None,
    facts: list[FactRecord] | None = None,
    limit: int = 200,
) -> list[Event]:
    """One time-ordered story of the person, newest first: the facts recorded about them and what every
    app tells of them (``timeline.py``: changes, contacts, needs, personal-data requests, the cases they
    submitted, …). Facts the caller has read already are passed in rather than read again; the rest is one
    query. The ``viewer`` decides only which lines link to pages meant for the person themself."""
    if facts is None:
        facts = list(talent.facts.order_by("-created_at", "-id")[:100])
    events = timeline_entries(talent, viewer=viewer, limit=limit)
    events += [Event(r.created_at, "fact", r) for r in facts[:100]]
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:limit]
