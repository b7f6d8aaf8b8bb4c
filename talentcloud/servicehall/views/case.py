"""The case page: one page for the applicant and for staff, offering only what the workflow table allows
this person now; the action endpoint; material downloads."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from talentcloud.accounts.permissions import has_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, NotFound, ValidationFailed
from talentcloud.privacy.permissions import PrivacyPerm

from .. import cases, corrections, notices
from ..catalogue import answers_for_display, label_of
from ..clock import working_days_left
from ..enums import CaseState
from ..flashes import done_message
from ..forms import ConcludeForm, HandlerForm, MaterialForm, NoteForm, RateForm, ReturnForm
from ..models import Case
from ..workflow import ACTION_LABELS, allowed_actions, case_transition, stages

# Which form each action asks for on the case page (none: a plain button).
ACTION_FORMS: dict[str, type[forms.Form]] = {
    "return": ReturnForm,
    "refuse": NoteForm,
    "part_done": NoteForm,
    "conclude": ConcludeForm,
    "answer": NoteForm,
    "reassign": HandlerForm,
}
APPLICANT_ACTIONS = {"submit", "resubmit", "rate"}  # they have their own forms on the page

# Actions that cannot be undone: their button asks first (data-confirm, app.js; no inline script).
CONFIRMATIONS: dict[str, Any] = {
    "withdraw": gettext_lazy("Withdraw this application? This cannot be undone."),
    "refuse": gettext_lazy("Refuse this application? The applicant is told at once; this cannot be undone."),
    "escalate": gettext_lazy(
        "Escalate this case to the department head and the office? This cannot be undone."
    ),
    "close": gettext_lazy("Close this case? This cannot be undone."),
}


def action_form(action: str, case: Case, data: Any = None) -> forms.Form | None:
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        return None
    if form_class is ReturnForm:
        return ReturnForm(data, prefix=action, case=case)
    if form_class is HandlerForm:
        return HandlerForm(data, prefix=action, case=case)
    return form_class(data, prefix=action)


def _problem_rows(case: Case, problems: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The summary at the top of a refused submission: each problem with the place it links to."""
    rows = []
    for key, texts in problems.items():
        if key.startswith("materials."):
            anchor = f"#material-{key.removeprefix('materials.')}"
        elif key.startswith("request."):
            anchor = f"#item-{key.removeprefix('request.')}"
        else:
            anchor = f"#answer-{key}"
        rows.append({"key": key, "anchor": anchor, "message": " ".join(str(m) for m in texts)})
    return rows


def _request_rows(case: Case) -> list[dict[str, Any]]:
    """Every 补正 request of the case, newest first, each item with its files and text answer."""
    rows = []
    for request in case.requests.select_related("requested_by").order_by("-number"):
        files = corrections.item_files(case, request)
        answered = corrections.answers_of(request)
        items = [
            {
                "key": item["key"],
                "label": corrections.item_label(item),
                "slot": item.get("slot", False),
                "files": files.get(item["key"], []),
                "answer": answered.get(item["key"], ""),
            }
            for item in request.items
        ]
        rows.append({"request": request, "items": items, "open": request.answered_at is None})
    return rows


def case_page(
    request: AuthedRequest,
    case: Case,
    *,
    status: int = 200,
    rate_form: Any = None,
    failed: Any = None,
    unmasked: dict[str, str] | None = None,
    problems: dict[str, list[Any]] | None = None,
) -> HttpResponse:
    user = request.user
    is_applicant = case.applicant_id == user.pk
    # Staff see the numbers of ANSWER_MASKS (a bank account) masked; unmasking is a separate, audited step.
    answer_rows = answers_for_display(
        case.version, cases.answers(case), mask_sensitive=False, mask_numbers=not is_applicant
    )
    unmasked = unmasked or {}
    actions = []
    for transition in allowed_actions(user, case):
        if transition.action in APPLICANT_ACTIONS:
            continue
        form = (
            failed[1] if failed and failed[0] == transition.action else action_form(transition.action, case)
        )
        actions.append(
            {
                "action": transition.action,
                "label": transition.label,
                "form": form,
                "confirm": CONFIRMATIONS.get(transition.action, ""),
            }
        )
    problems = problems or {}
    material_slots = []
    uploaded = list(case.materials.all())  # one query for every slot
    for spec in case.version.materials:
        files = [m for m in uploaded if m.key == spec["key"]]
        error = " ".join(str(m) for m in problems.get(f"materials.{spec['key']}", []))
        material_slots.append({"spec": spec, "label": label_of(spec), "files": files, "error": error})
    requests = _request_rows(case)
    days_left = working_days_left(case, timezone.localdate())
    for row in requests:
        for item in row["items"]:
            item["error"] = " ".join(str(m) for m in problems.get(f"request.{item['key']}", []))
    context = {
        "case": case,
        "is_applicant": is_applicant,
        "editable": is_applicant and case.state in cases.EDITABLE,
        "answers": [
            {
                "row": row,
                "clear": unmasked.get(row.key),
                "error": " ".join(str(m) for m in problems.get(row.key, [])),
            }
            for row in answer_rows
        ],
        "problems": _problem_rows(case, problems),
        "stages": stages(case),
        "days_left": days_left,
        "days_over": -days_left if days_left is not None and days_left < 0 else 0,
        "requests": requests,
        "open_request": next((r for r in requests if r["open"]), None),
        "notices": notices.available(case),
        "can_unmask": has_perm(user, PrivacyPerm.PII_UNMASK),
        "material_slots": material_slots,
        "material_form": MaterialForm(),
        "events": [
            (event, ACTION_LABELS.get(event.action, event.action))
            for event in case.events.select_related("actor")
        ],
        "parts": case.parts.select_related("department"),
        "actions": actions,
        "colour": case.colour(timezone.localdate()),
        "can_rate": is_applicant and case.state == CaseState.ANSWERED,
        "rate_form": rate_form or RateForm(),
        "rating": getattr(case, "rating", None)
        if case.state in (CaseState.RATED, CaseState.CLOSED)
        else None,
        "submit_label": _("Resubmit")
        if case.state in (CaseState.RETURNED, CaseState.PAUSED)
        else _("Submit"),
    }
    return render(request, "servicehall/case.html", context, status=status)


@access("scoped")
@require_GET
def case_view(request: AuthedRequest, case_id: uuid.UUID) -> HttpResponse:
    case = cases.case_get(viewer=request.user, case_id=case_id)
    return case_page(request, case)


@access("scoped")
@require_POST
def act_view(request: AuthedRequest, case_id: uuid.UUID) -> HttpResponse:
    """One workflow action from the case page (the revision the page showed guards against stale pages)."""
    case = cases.case_get(viewer=request.user, case_id=case_id)
    action = request.POST.get("action", "")
    payload: dict[str, Any] = {}
    form = action_form(action, case, request.POST)
    if form is not None:
        if not form.is_valid():
            return case_page(request, case, status=400, failed=(action, form))
        payload = dict(form.cleaned_data)
    revision = request.POST.get("revision", "")
    try:
        case_transition(
            actor=request.user,
            case=case,
            action=action,
            expected_revision=int(revision) if revision.isdigit() else None,
            **payload,
        )
    except ValidationFailed as exc:
        if form is None:
            raise
        for name, msgs in exc.fields.items():
            for message in msgs:
                form.add_error(name if name in form.fields else None, str(message))
        return case_page(request, case, status=400, failed=(action, form))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("servicehall:case", case_id=case.pk)
    case.refresh_from_db(fields=["number"])
    messages.success(request, done_message(action, case, ACTION_LABELS.get(action, action)))
    return redirect("servicehall:case", case_id=case.pk)


@access("scoped")
@require_GET
def notice_view(request: AuthedRequest, case_id: uuid.UUID, kind: str) -> HttpResponse:
    """A notice of the case as a PDF (受理通知书, 补正告知书, 不予受理决定书, the result): whoever sees
    the case; an audited read."""
    case = cases.case_get(viewer=request.user, case_id=case_id)
    data = notices.notice_pdf(viewer=request.user, case=case, kind=kind, source_ip=request_ip(request))
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"{case.number}-{kind}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access("scoped")
@require_GET
def material_view(request: AuthedRequest, case_id: uuid.UUID, material_id: uuid.UUID) -> HttpResponse:
    material, data = cases.material_read(viewer=request.user, material_id=material_id)
    if material.case_id != case_id:
        raise NotFound()
    response = HttpResponse(data, content_type=material.content_type)
    response["Content-Disposition"] = content_disposition_header(True, material.display_name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access("scoped")
@require_POST
def answer_unmask_view(request: AuthedRequest, case_id: uuid.UUID) -> HttpResponse:
    """Show one masked answer (a bank account) in full: the permission and a reason, audited. With htmx
    only that answer is redrawn; without, the case page with it shown."""
    case = cases.case_get(viewer=request.user, case_id=case_id)
    key = request.POST.get("field", "")
    row = next(
        (
            r
            for r in answers_for_display(case.version, cases.answers(case), mask_sensitive=False)
            if r.key == key and r.masked
        ),
        None,
    )
    if row is None:
        raise NotFound()
    context: dict[str, Any] = {"case": case, "answer": {"row": row, "clear": None}, "can_unmask": True}
    try:
        clear = cases.case_answer_unmask(
            actor=request.user,
            case=case,
            key=key,
            reason=request.POST.get("reason", ""),
            source_ip=request_ip(request),
        )
    except ValidationFailed as exc:
        context["error"] = " ".join(str(m) for msgs in exc.fields.values() for m in msgs)
        if request.htmx:  # htmx swaps only 2xx answers: the fragment carries the message at the field
            return render(request, "servicehall/_answer.html", context)
        messages.error(request, context["error"])
        return redirect("servicehall:case", case_id=case.pk)
    if request.htmx:
        context["answer"]["clear"] = clear
        return render(request, "servicehall/_answer.html", context)
    return case_page(request, case, unmasked={key: clear})
