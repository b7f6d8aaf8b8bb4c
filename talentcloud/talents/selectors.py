"""Reading talents' archives: lists and pages in the viewer's scope, the facts and their provenance, family
members, personal-data requests and the timeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.models import OrgUnit, User
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.scope import reference_errors, scope_queryset
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import NotFound, OutOfScope
from talentcloud.enterprises.models import IndustryChain
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
from .search import name_prefix, orders_by_code_point, prefix_implies_match, search_filter
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


def _filtered(viewer: User | AnonymousUser, f: TalentFilters) -> QuerySet[Talent]:
    """The viewer's scope and every filter but the search, unordered: each filter is a column of the row
    (the scope keys included), so each one can walk an index led by it and sorted like the list."""
    qs = _visible(viewer)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.tier:
        qs = qs.filter(tier=f.tier)
    if f.grade:
        qs = qs.filter(grade=f.grade)
    if f.degree:
        qs = qs.filter(highest_degree=f.degree)
    if f.chain:
        # The chain's id read first (a subquery the database runs once), so the (chain, name, id) index leads.
        qs = qs.filter(chain=Subquery(IndustryChain.objects.filter(code=f.chain).order_by().values("pk")[:1]))
    if f.area:
        # A park is compared with the employer's park, a street with the employer's and the home street.
        unit = OrgUnit.objects.filter(code=f.area).values_list("pk", "kind").first()
        if unit is None:
            qs = qs.none()
        elif unit[1] == UnitKind.PARK:
            qs = qs.filter(employer_park=unit[0])
        else:
            qs = qs.filter(Q(employer_street=unit[0]) | Q(residence_street=unit[0]))
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
    return qs.defer("id_number", "phone", "email", "search_tokens")


def talent_list(
    *, viewer: User | AnonymousUser, query: str = "", category: str = "", filters: TalentFilters | None = None
) -> QuerySet[Talent]:
    f = filters or TalentFilters(query=query, category=category)
    qs = _filtered(viewer, f)
    if f.query:
        qs = search_filter(qs, f.query)
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


@dataclass(frozen=True)
class SurnameParts:
    """A Chinese query's list in two parts, each a plain (name, id)-ordered queryset: the names that begin
    with the query, then the other matches. Where the database sorts text by code point (SQLite, PostgreSQL
    with a C collation: ``search.orders_by_code_point``) the first part is a range of a (…, name, id) index
    (``name >= q AND name < q + U+10FFFF``), so a first page of 王 reads its 26 rows rather than every name
    holding 王 and a sort."""

    surname: QuerySet[Talent]
    rest: QuerySet[Talent]
    prefix: str


_LAST = chr(0x10FFFF)


def surname_parts(qs: QuerySet[Talent], query: str) -> SurnameParts | None:
    """``qs``: the viewer's scope and filters, before the search (``_filtered``). None for a query that
    lists no surname part first (not Chinese)."""
    prefix = name_prefix(query)
    if not prefix:
        return None
    begins = Q(name__startswith=prefix)
    if orders_by_code_point(qs.db):
        begins &= Q(name__gte=prefix, name__lt=prefix + _LAST)  # a range of the name index
    surname = qs.filter(begins)
    if not prefix_implies_match(prefix):
        surname = search_filter(surname, query)
    rest = search_filter(qs, query, fenced=False).exclude(begins)
    return SurnameParts(surname.order_by("name", "id"), rest.order_by("name", "id"), prefix)


def talent_list_page(
    *,
    viewer: User | AnonymousUser,
    filters: TalentFilters,
    columns: tuple[str, ...],
    after: tuple[str, str] | None = None,
    cap: int = 0,
    size: int = 25,
) -> tuple[list[Talent], bool, int | None]:
    """One page of the list (``after``: the cursor, the last row's name and id; None for the first page),
    whether another follows, and on the first page how many match up to ``cap`` + 1 (a count reading at most
    ``cap`` + 1 ids of an index, never the whole table; None on later pages). Pages are keyset-paginated on
    (name, id), so a deep page costs what the first does."""
    base = _filtered(viewer, filters)
    parts = surname_parts(base, filters.query)
    if parts is not None:
        return _surname_page(parts, columns=columns, after=after, cap=cap, size=size)
    qs = search_filter(base, filters.query) if filters.query else base
    if after is None and filters.query:
        return _search_first_page(qs.order_by("name", "id"), columns=columns, cap=cap, size=size)
    rows, has_next = _keyset(qs.order_by("name", "id").only(*columns), after, size)
    return rows, has_next, _capped_count(qs, cap) if after is None else None


def _capped_count(qs: QuerySet[Talent], cap: int, already: int = 0) -> int:
    """How many rows ``qs`` holds, reading at most ``cap`` + 1 - ``already`` of their ids (no order: the
    database picks the cheapest index)."""
    limit = cap + 1 - already
    if limit <= 0:
        return 0
    return qs.select_related(None).order_by().values("pk")[:limit].count()


def _search_first_page(
    qs: QuerySet[Talent], *, columns: tuple[str, ...], cap: int, size: int
) -> tuple[list[Talent], bool, int]:
    """A search that lists no surname part first (not Chinese) reads its full-text index once: the ids of
    the first ``cap`` + 1 matches in (name, id) order, then the page's rows by id."""
    ids = list(qs.values_list("pk", flat=True)[: cap + 1])
    page = ids[: size + 1]
    found = Talent.objects.select_related("employer", "chain").only(*columns).in_bulk(page) if page else {}
    rows = [found[pk] for pk in page if pk in found]
    return rows[:size], len(rows) > size, len(ids)


def _surname_page(
    parts: SurnameParts,
    *,
    columns: tuple[str, ...],
    after: tuple[str, str] | None,
    cap: int,
    size: int,
) -> tuple[list[Talent], bool, int | None]:
    rows: list[Talent] = []
    in_rest = after is not None and not after[0].startswith(parts.prefix)
    if not in_rest:
        rows = list(_after(parts.surname.only(*columns), after)[: size + 1])
    if len(rows) <= size:
        rest_after = after if in_rest else None
        rows += list(_after(parts.rest.only(*columns), rest_after)[: size + 1 - len(rows)])
    total = None
    if after is None:
        total = _capped_count(parts.surname, cap)
        total += _capped_count(parts.rest, cap, already=total)
    return rows[:size], len(rows) > size, total


def _after(qs: QuerySet[Talent], after: tuple[str, str] | None) -> QuerySet[Talent]:
    """The rows of ``qs`` after the cursor in (name, id) order. A row-value comparison lets both databases
    walk the (name, id) index from the cursor on."""
    if after is None:
        return qs
    name, pk = after
    pk_value = uuid.UUID(pk).hex if connection.vendor == "sqlite" else pk
    return qs.extra(where=["(talents_talent.name, talents_talent.id) > (%s, %s)"], params=[name, pk_value])


def _keyset(qs: QuerySet[Talent], after: tuple[str, str] | None, size: int) -> tuple[list[Talent], bool]:
    rows = list(_after(qs, after)[: size + 1])
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
