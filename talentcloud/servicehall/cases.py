"""Cases from the applicant's side (drafts, materials, submission) and the lists staff work from.

A submission takes an idempotency key (unique per applicant): sending the same key twice gives back the
case the first one made. Moving a case is ``workflow.case_transition``; nothing here changes a state
except by calling it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm
from talentcloud.accounts.scope import scope_queryset, viewer_scope
from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import sm3_hex
from talentcloud.common.errors import Conflict, NotFound, OutOfScope, PermissionDenied, ValidationFailed
from talentcloud.common.uploads import storage_name, upload_check
from talentcloud.privacy.services import pii_unmask_value
from talentcloud.talents.selectors import talent_own_archive

from .catalogue import answer_maskable, eligibility_problem, form_data_clean, label_of
from .corrections import answers_save, item_label, item_spec, missing_items, open_request
from .enums import CaseState, Colour, PartStatus
from .models import Case, CaseEvent, CaseMaterial, CasePart, Service
from .permissions import HallPerm
from .workflow import case_transition

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

EDITABLE = (CaseState.DRAFT, CaseState.RETURNED, CaseState.PAUSED)


def _applicant_talent(user: Any) -> Any:

    return talent_own_archive(viewer=user)


def _applicant_enterprise(user: Any) -> Any:
    membership = (
        user.memberships.select_related("enterprise").first() if hasattr(user, "memberships") else None
    )
    return membership.enterprise if membership is not None else None


def may_apply(*, user: Any, service: Service) -> str | None:
    """Why this account may not apply for this service, or None."""
    if service.for_enterprises:
        if _applicant_enterprise(user) is None:
            return _("Only accounts acting for an enterprise may apply.")
        return None
    return eligibility_problem(service, _applicant_talent(user))


def answers(case: Case) -> dict[str, Any]:
    return json.loads(case.form_data) if case.form_data else {}


def case_draft_save(
    *,
    actor: User,
    service: Service,
    data: dict[str, Any],
    case: Case | None = None,
    idempotency_key: str = "",
) -> Case:
    """Start or update a draft (required fields may still be empty). A draft keeps the service version it
    was started under."""
    if case is not None:
        if case.applicant_id != actor.pk:
            raise PermissionDenied()
        if case.state not in EDITABLE:
            raise Conflict(_("The case can no longer be changed by the applicant."))
        clean = form_data_clean(case.version, data, complete=False)
        merged = {**answers(case), **clean}
        Case.objects.filter(pk=case.pk).update(form_data=json.dumps(merged, ensure_ascii=False))
        case.form_data = json.dumps(merged, ensure_ascii=False)
        return case
    if not service.is_active or service.current is None:
        raise ValidationFailed(fields={"service": [_("This service is not open for applications.")]})
    problem = may_apply(user=actor, service=service)
    if problem:
        raise PermissionDenied(problem)
    talent = _applicant_talent(actor)
    enterprise = _applicant_enterprise(actor) if service.for_enterprises else None
    clean = form_data_clean(service.current, data, complete=False)
    key = idempotency_key.strip()[:64]
    if key:
        existing = Case.objects.filter(applicant=actor, idempotency_key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            case = Case.objects.create(
                service=service,
                version=service.current,
                applicant=actor,
                talent=talent,
                enterprise=enterprise,
                applicant_name=enterprise.name
                if enterprise
                else (talent.name if talent else actor.get_full_name()),
                form_data=json.dumps(clean, ensure_ascii=False),
                department=service.department,
                idempotency_key=key,
            )
            CaseEvent.objects.create(case=case, actor=actor, action="draft", to_state=CaseState.DRAFT)
            audit_record(actor=actor, action="case.draft", object_type="case", object_id=case.pk)
    except IntegrityError:
        existing = Case.objects.filter(applicant=actor, idempotency_key=key).first()
        if existing is None:
            raise
        return existing  # the same key sent twice at once: one case
    return case


def case_prepare(
    *,
    service: Service,
    key: str,
    note: Any,
    talent: Any = None,
    enterprise: Any = None,
    applicant: Any = None,
    data: dict[str, Any] | None = None,
) -> Case | None:
    """A draft the platform opens (免申即享: a policy found a talent or an enterprise eligible and applies
    through this service): for a talent, in their name from their archive; for an enterprise, in the name of
    ``applicant`` (one of its administrators); ``data`` fills the form fields it can (checked like a draft);
    the reason is on the draft (``note``: a ``CodedText``, so each reader reads it in their language).
    ``key`` makes it once per applicant and reason. None when there is nobody to
    apply, the service is closed, or the applicant may not apply through it."""
    if not service.is_active or service.current is None:
        return None
    if enterprise is not None:
        if not service.for_enterprises or applicant is None:
            return None
        account, name = applicant, enterprise.name
    else:
        account = talent.account
        if account is None or service.for_enterprises or eligibility_problem(service, talent) is not None:
            return None
        name = talent.name
    existing = Case.objects.filter(applicant=account, idempotency_key=key[:64]).first()
    if existing is not None:
        return existing
    fields = {f["key"] for f in service.current.form_fields}
    try:
        prefill = {k: v for k, v in (data or {}).items() if k in fields}
        clean = form_data_clean(service.current, prefill, complete=False)
    except ValidationFailed:
        clean = {}  # what the platform knows does not fit the form: the applicant fills it in
    with transaction.atomic():
        case = Case.objects.create(
            service=service,
            version=service.current,
            applicant=account,
            talent=talent,
            enterprise=enterprise,
            applicant_name=name,
            form_data=json.dumps(clean, ensure_ascii=False),
            department=service.department,
            idempotency_key=key[:64],
        )
        CaseEvent.objects.create(case=case, actor=None, action="draft", to_state=CaseState.DRAFT, note=note)
        audit_record(
            actor=None,
            actor_username="system",
            action="case.prepare",
            object_type="case",
            object_id=case.pk,
            details={"service": service.code, "key": key[:64], "prefilled": sorted(clean)},
        )
    return case


def case_submit(
    *,
    actor: User,
    service: Service,
    data: dict[str, Any],
    idempotency_key: str,
    case: Case | None = None,
    request_answers: dict[str, Any] | None = None,
) -> Case:
    """Save and submit in one step (the API's POST and the page's "submit"). Resubmitting a case whose
    materials were asked for is the ``resubmit`` action; ``request_answers`` (item key → text) are kept
    first, so a refused resubmission loses none of them."""
    case = case_draft_save(
        actor=actor, service=service, data=data, case=case, idempotency_key=idempotency_key
    )
    if case.state not in EDITABLE:
        return case  # the same idempotency key again: the case already submitted
    if request_answers:
        request = open_request(case)
        if request is not None:
            answers_save(request=request, answers=request_answers)
    _check_complete(case)
    action = "submit" if case.state == CaseState.DRAFT else "resubmit"
    try:
        return case_transition(actor=actor, case=case, action=action)
    except Conflict:
        fresh = Case.objects.get(pk=case.pk)
        if idempotency_key and fresh.state != case.state:
            return fresh  # the same submission, sent twice at once: the other one went through
        raise


def submission_problems(case: Case) -> dict[str, list[Any]]:
    """What keeps the case from being submitted, each named at its place: form fields by their key
    (“Fill in “配偶姓名”.”), materials as ``materials.<slot>``, requested 补正 items as ``request.<key>``."""

    problems: dict[str, list[Any]] = {}
    data = answers(case)
    try:
        form_data_clean(case.version, data, complete=True)
    except ValidationFailed as exc:
        specs = {f["key"]: f for f in case.version.form_fields}
        for key, messages in exc.fields.items():
            spec = specs.get(key)
            if spec is None:
                problems[key] = list(messages)
            elif data.get(key) in (None, ""):
                problems[key] = [_("Fill in “%(label)s”.") % {"label": label_of(spec)}]
            else:
                problems[key] = [f"{label_of(spec)}：{m}" for m in messages]
    present: dict[str, int] = dict(
        case.materials.values("key").annotate(n=Count("pk")).values_list("key", "n")
    )
    for spec in case.version.materials:
        if spec.get("required") and not present.get(spec["key"]):
            problems[f"materials.{spec['key']}"] = [_("Add “%(label)s”.") % {"label": label_of(spec)}]
    for item in missing_items(case):
        problems[f"request.{item['key']}"] = [
            _("Provide “%(label)s”: upload a file or answer in words.") % {"label": item_label(item)}
        ]
    return problems


def _check_complete(case: Case) -> None:
    problems = submission_problems(case)
    if problems:
        raise ValidationFailed(
            _("The application is not complete: %(n)d items are missing or wrong.") % {"n": len(problems)},
            fields=problems,
        )


def material_add(*, actor: User, case: Case, key: str, upload: Any, name: str | None = None) -> CaseMaterial:
    """Add a file to a case the applicant may still change; checked by content, size and name."""
    if case.applicant_id != actor.pk:
        raise PermissionDenied()
    if case.state not in EDITABLE:
        raise Conflict(_("The case can no longer be changed by the applicant."))
    spec = item_spec(case, key)
    if spec is None:
        raise ValidationFailed(fields={"key": [_("This service asks for no such material.")]})
    if case.materials.filter(key=key).count() >= int(spec["max_count"]):
        raise ValidationFailed(
            fields={
                key: [
                    _("At most %(n)d files for %(label)s.")
                    % {"n": spec["max_count"], "label": label_of(spec)}
                ]
            }
        )
    checked = upload_check(
        upload, kinds=tuple(spec["kinds"]), max_bytes=int(spec["max_mb"]) * 1024 * 1024, field=key, name=name
    )
    storage = CaseMaterial.file.field.storage
    stored = storage.save(storage_name(f"cases/{case.pk}", checked), ContentFile(checked.data))
    try:
        with transaction.atomic():
            material = CaseMaterial.objects.create(
                case=case,
                key=key,
                file=stored,
                display_name=checked.display_name,
                content_type=checked.content_type,
                size=checked.size,
                sm3=sm3_hex(checked.data),
                uploaded_by=actor,
            )
            CaseEvent.objects.create(case=case, actor=actor, action="material", note=checked.display_name)
            audit_record(
                actor=actor,
                action="case.material",
                object_type="case",
                object_id=case.pk,
                details={"key": key},
            )
    except Exception:
        storage.delete(stored)
        raise
    return material


def material_remove(*, actor: User, case: Case, material_id: Any) -> None:
    if case.applicant_id != actor.pk or case.state not in EDITABLE:
        raise PermissionDenied()
    material = case.materials.filter(pk=material_id).first()
    if material is None:
        raise NotFound()
    name = material.file.name
    with transaction.atomic():
        material.delete()
        CaseEvent.objects.create(
            case=case, actor=actor, action="material_removed", note=material.display_name
        )
        transaction.on_commit(lambda: CaseMaterial.file.field.storage.delete(name))


def material_read(*, viewer: User | AnonymousUser, material_id: Any) -> tuple[CaseMaterial, bytes]:
    material = CaseMaterial.objects.select_related("case").filter(pk=material_id).first()
    if material is None:
        raise NotFound()
    case_get(viewer=viewer, case_id=material.case_id)
    with material.file.open("rb") as handle:
        data = handle.read()
    audit_record(actor=viewer, action="case.material_read", object_type="case", object_id=material.case_id)
    return material, data


# -- reading ----------------------------------------------------------------------------------------


def _visible(viewer: User | AnonymousUser) -> QuerySet[Case]:
    qs = Case.objects.select_related("service", "version", "department", "handler")
    if not isinstance(viewer, User):  # an anonymous visitor has no cases
        return qs.none()
    if has_perm(viewer, HallPerm.CASE_OVERSEE) or has_perm(viewer, HallPerm.CASE_HANDLE):
        # A draft is the applicant's own work: staff see a case once it is submitted.
        return scope_queryset(qs, viewer).exclude(Q(state=CaseState.DRAFT) & ~Q(applicant=viewer))
    return qs.filter(applicant=viewer)


def case_answer_unmask(
    *, actor: User, case: Case, key: str, reason: str, source_ip: str | None = None
) -> str:
    """One masked answer of a case (a bank account, a sensitive answer) in clear: the ``pii.unmask``
    permission and a reason, audited as every unmask is (``privacy.services.pii_unmask_value``). ``case``
    was fetched with ``case_get`` for the actor."""
    value = answers(case).get(key)
    if not answer_maskable(case.version, key) or value in (None, ""):
        raise NotFound(_("This case has no such answer to show."))
    return pii_unmask_value(
        actor=actor,
        obj=case,
        field="form_data",
        part=key,
        value=str(value),
        reason=reason,
        source_ip=source_ip,
    )


def case_get(*, viewer: User | AnonymousUser, case_id: Any) -> Case:
    case = _visible(viewer).filter(pk=case_id).first()
    if case is None:
        if Case.objects.filter(pk=case_id).exists():
            raise OutOfScope(object_type="case", object_id=case_id)  # answered as 404, recorded as denied
        raise NotFound()
    return case


def my_cases(*, viewer: User) -> QuerySet[Case]:
    return (
        Case.objects.filter(applicant=viewer).select_related("service", "department").order_by("-created_at")
    )


@dataclass(frozen=True)
class WorklistFilters:
    state: str = ""
    colour: str = ""
    service: str = ""
    handler: str = ""  # "me", "none" or a username


def worklist_filters(data: Any) -> WorklistFilters:
    state = str(data.get("state", ""))
    colour = str(data.get("colour", ""))
    return WorklistFilters(
        state=state if state in CaseState.values else "",
        colour=colour if colour in Colour.values else "",
        service=str(data.get("service", ""))[:40],
        handler=str(data.get("handler", ""))[:150],
    )


WORK_STATES = (
    CaseState.SUBMITTED,
    CaseState.RETURNED,
    CaseState.IN_PROGRESS,
    CaseState.PAUSED,
    CaseState.CONCLUDED,
)


@dataclass(frozen=True)
class WorkCursor:
    """Where a worklist page ends: the last row's deadline (None: not yet accepted), submission and id."""

    due_on: date | None
    submitted_at: datetime | None
    id: uuid.UUID

    def values(self) -> tuple[Any, ...]:
        return (self.due_on, self.submitted_at, self.id)


CURSOR_SALT = "servicehall.worklist.cursor"


def cursor_make(cursor: WorkCursor) -> str:
    """The cursor as a signed token for a "next page" link."""
    due, submitted = cursor.due_on, cursor.submitted_at
    values = [due.isoformat() if due else None, submitted.isoformat() if submitted else None, str(cursor.id)]
    return signing.dumps(values, salt=CURSOR_SALT, compress=True)


def cursor_read(value: str) -> WorkCursor | None:
    """The cursor a link carries; None for none, or for one altered or not made here (the first page)."""
    if not value:
        return None
    try:
        due, submitted, pk = signing.loads(value, salt=CURSOR_SALT)
        return WorkCursor(
            date.fromisoformat(due) if due else None,
            datetime.fromisoformat(submitted) if submitted else None,
            uuid.UUID(pk),
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None


def _seek(qs: QuerySet[Case], columns: tuple[str, ...], values: tuple[Any, ...]) -> QuerySet[Case]:
    """The rows of ``qs`` after ``values`` in ``columns``' order: a row-value comparison (PostgreSQL and
    SQLite both start the index walk there), with each value written as the database stores it."""
    ops = connection.ops
    adapt = {
        "due_on": ops.adapt_datefield_value,
        "submitted_at": ops.adapt_datetimefield_value,
        "id": lambda value: value.hex if connection.vendor == "sqlite" else value,
    }
    table = Case._meta.db_table
    left = ", ".join(f"{table}.{column}" for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    params = [adapt[column](value) for column, value in zip(columns, values, strict=True)]
    # Column names are this module's constants, the values bound parameters.
    return qs.extra(where=[f"({left}) > ({marks})"], params=params)  # noqa: S610


_OPEN_PARTS = (PartStatus.WAITING, PartStatus.ACTIVE)
_ORDER = ("due_on", "submitted_at", "id")
_ROW_RELATED = ("service", "department", "handler")
_ROW_DEFERRED = ("form_data", "request_note", "decision_reason", "answer", "pauses")


@dataclass(frozen=True)
class Worklist:
    """A worklist as disjoint parts, each a query one index walks in the list's order (earliest deadline
    first): for a department, the cases it leads and the cases whose open joint part it holds; for the office,
    every case. A page merges the parts in the database (``UNION ALL … ORDER BY … LIMIT``: PostgreSQL walks
    each part's index in order and stops after the page), so its cost does not grow with the department's
    cases nor with its joint parts; a case is never in two parts."""

    parts: tuple[QuerySet[Case], ...]

    def page_ids(self, start: int, size: int) -> list[Any]:
        """The ids of rows ``start`` to ``start + size``, in the list's order (from the indexes alone): the
        order of ``ids_after``, by position (the API's pages, the export)."""
        dated = [part.filter(due_on__isnull=False) for part in self.parts]
        keys = self._merged(dated, start, size)
        if len(keys) < size:
            skip = 0 if keys else max(0, start - sum(part.order_by().count() for part in dated))
            undated = [part.filter(due_on__isnull=True) for part in self.parts]
            keys += self._merged(undated, skip, size - len(keys))
        return [key[2] for key in keys]

    def ids_after(self, after: WorkCursor | None, size: int) -> list[tuple[Any, Any, Any]]:
        """The (deadline, submitted, id) keys of the ``size`` rows after the cursor (None: the first rows), in
        the list's order: cases with a deadline first, then those without (not yet accepted). Each region is
        a row-value comparison both databases seek in the parts' indexes, so a deep page costs what the first
        does."""
        keys: list[tuple[Any, Any, Any]] = []
        if after is None or after.due_on is not None:
            dated = [part.filter(due_on__isnull=False) for part in self.parts]
            if after is not None:
                dated = [_seek(part, ("due_on", "submitted_at", "id"), after.values()) for part in dated]
            keys = self._merged(dated, 0, size)
        if len(keys) < size:
            undated = [part.filter(due_on__isnull=True) for part in self.parts]
            if after is not None and after.due_on is None:
                undated = [_seek(part, ("submitted_at", "id"), after.values()[1:]) for part in undated]
            keys += self._merged(undated, 0, size - len(keys))
        return keys

    def _merged(self, parts: list[QuerySet[Case]], start: int, size: int) -> list[tuple[Any, Any, Any]]:
        if len(parts) == 1:
            return list(parts[0].order_by(*_ORDER).values_list(*_ORDER)[start : start + size])
        if connection.features.supports_slicing_ordering_in_compound:
            keys = [part.order_by(*_ORDER).values_list(*_ORDER)[: start + size] for part in parts]
        else:
            keys = [part.order_by().values_list(*_ORDER) for part in parts]
        return list(keys[0].union(*keys[1:], all=True).order_by(*_ORDER)[start : start + size])

    def page_after(
        self, after: WorkCursor | None, size: int, rows: QuerySet[Case] | None = None
    ) -> tuple[list[Case], WorkCursor | None]:
        """The ``size`` rows after the cursor, read by ``rows``, and the cursor of the page that follows (None
        when none does)."""
        keys = self.ids_after(after, size + 1)
        found = self._read([key[2] for key in keys[:size]], rows)
        following = WorkCursor(*keys[size - 1]) if len(keys) > size else None
        return found, following

    def page(self, start: int, size: int, rows: QuerySet[Case] | None = None) -> list[Case]:
        """Rows ``start`` to ``start + size``, read by ``rows`` (default: each case with its service,
        department and handler): the page's ids first, then those cases (in chunks: an export's page is
        long), in the list's order."""
        return self._read(self.page_ids(start, size), rows)

    @staticmethod
    def _read(ids: list[Any], rows: QuerySet[Case] | None) -> list[Case]:
        found: dict[Any, Case] = {}
        if rows is None:
            rows = Case.objects.select_related(*_ROW_RELATED).defer(*_ROW_DEFERRED)
        for at in range(0, len(ids), 1000):
            found |= {case.pk: case for case in rows.filter(pk__in=ids[at : at + 1000])}
        return [found[pk] for pk in ids if pk in found]

    def count(self, cap: int | None = None) -> int:
        """How many cases the worklist holds, counted up to ``cap`` when given (ids only, in no order: each
        part's count walks an index and stops at what is left of the cap)."""
        total = 0
        for part in self.parts:
            ids = part.order_by().values("pk")
            if cap is None:
                total += ids.count()
                continue
            total += ids[: cap - total].count()
            if total >= cap:
                break
        return total

    # The API's paginator reads a worklist as a sequence: its length and a slice of it.
    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Case]:
        start = window.start or 0
        return self.page(start, (window.stop if window.stop is not None else start + 50) - start)


def _department_parts(viewer: User | AnonymousUser) -> tuple[QuerySet[Case], ...] | None:
    """A department's work: the cases it leads, and those of others whose open joint part it holds (a
    semi-join on the parts, never a list of ids); None for the office, which sees every department."""
    scope = viewer_scope(viewer)
    if scope.everything:
        return None
    units = set(scope.unit_ids)
    held = CasePart.objects.filter(department_id__in=units, status__in=_OPEN_PARTS).values("case_id")
    return (
        Case.objects.filter(department_id__in=units),
        Case.objects.filter(pk__in=held).exclude(department_id__in=units),
    )


def _worklist_filtered(qs: QuerySet[Case], viewer: User, filters: WorklistFilters) -> QuerySet[Case]:
    if filters.state:
        qs = qs.filter(state=filters.state).exclude(state=CaseState.DRAFT)
    else:
        qs = qs.filter(state__in=WORK_STATES)  # matches the partial index case_open_work_idx
    today = timezone.localdate()
    if filters.colour:
        running = qs.filter(state=CaseState.IN_PROGRESS)
        if filters.colour == Colour.RED:
            qs = running.filter(due_on__lt=today)
        elif filters.colour == Colour.YELLOW:
            qs = running.filter(due_on__gte=today, yellow_on__lte=today)
        else:
            qs = running.filter(Q(yellow_on__gt=today) | Q(yellow_on__isnull=True), due_on__gte=today)
    if filters.service:
        qs = qs.filter(service__code=filters.service)
    if filters.handler == "me":
        qs = qs.filter(handler=viewer)
    elif filters.handler == "none":
        qs = qs.filter(handler__isnull=True)
    elif filters.handler:
        qs = qs.filter(handler__username=filters.handler)
    return qs


def worklist(*, viewer: User, filters: WorklistFilters) -> Worklist:
    """The department's work (the office: every department's), earliest deadline first: open cases by
    default, any one state when filtered. Drafts are never on it."""
    if not (has_perm(viewer, HallPerm.CASE_HANDLE) or has_perm(viewer, HallPerm.CASE_OVERSEE)):
        raise PermissionDenied()
    parts: tuple[QuerySet[Case], ...] | None
    if filters.state and filters.state not in WORK_STATES:
        # finished cases: everything the viewer may see, joint ones included
        parts = (scope_queryset(Case.objects.all(), viewer),)
    else:
        parts = _department_parts(viewer) or (Case.objects.all(),)
    return Worklist(tuple(_worklist_filtered(part, viewer, filters) for part in parts))


def bulk_accept(*, actor: User, case_ids: list[Any]) -> tuple[int, list[str]]:
    """Accept several submitted cases; each is its own transition (a case another person took is skipped
    with its reason)."""
    accepted, problems = 0, []
    for case in _visible(actor).filter(pk__in=case_ids[:200]):
        try:
            case_transition(actor=actor, case=case, action="accept")
            accepted += 1
        except (Conflict, PermissionDenied, ValidationFailed) as exc:
            problems.append(f"{case.number}: {exc.message}")
        except Exception as exc:  # the workflow's own errors (not allowed from this state)
            problems.append(f"{case.number}: {exc}")
    return accepted, problems


@dataclass(frozen=True)
class DepartmentClock:
    department: str
    open: int
    yellow: int
    red: int


def clock_by_department(*, viewer: User | AnonymousUser) -> list[DepartmentClock]:
    """Open, yellow and red counts per department (the office's screen)."""
    today = timezone.localdate()
    qs = scope_queryset(
        Case.objects.filter(
            state__in=[CaseState.SUBMITTED, CaseState.IN_PROGRESS, CaseState.PAUSED, CaseState.RETURNED]
        ),
        viewer,
    )
    rows = (
        qs.values("department__name", "department__sort_order")
        .annotate(
            open=Count("pk"),
            yellow=Count(
                "pk", filter=Q(state=CaseState.IN_PROGRESS, due_on__gte=today, yellow_on__lte=today)
            ),
            red=Count("pk", filter=Q(state=CaseState.IN_PROGRESS, due_on__lt=today)),
        )
        .order_by("department__sort_order")
    )
    return [DepartmentClock(r["department__name"], r["open"], r["yellow"], r["red"]) for r in rows]


def new_idempotency_key() -> str:
    return uuid.uuid4().hex
