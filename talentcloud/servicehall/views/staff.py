"""Pages for staff: the department's worklist (bulk accept), the office's overview, ratings and appeals."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access

from .. import cases, ratings
from ..enums import AppealStatus, CaseState, Colour, RectificationStep
from ..forms import AppealDecisionForm, AppealForm, NoteForm
from ..models import Appeal, Case, Rating, Rectification, Service
from ..permissions import HallPerm

PAGE = 50
COUNT_CAP = 1000


_ANY_CASE = uuid.UUID(int=0)


# What a row of the page reads: the case's own columns and its handler's name (services are named from the
# filter's list, read once per page).
_ROW_COLUMNS = (
    "number",
    "applicant_name",
    "state",
    "due_on",
    "yellow_on",
    "service_id",
    "handler__username",
    "handler__display_name",
)


def _worklist_rows(
    cases_on_page: list[Case], states: dict[str, str], services: dict[int, str]
) -> list[dict[str, Any]]:
    """What each row shows, prepared once per page rather than per cell in the template: one URL reversed and
    formatted per row, each service's name and each state's label put into words once."""
    today = timezone.localdate()
    case_url = reverse("servicehall:case", args=[_ANY_CASE])
    placeholder = str(_ANY_CASE)
    rows = []
    for case in cases_on_page:
        handler = case.handler
        rows.append(
            {
                "case": case,
                "url": case_url.replace(placeholder, str(case.pk)),
                "service": services.get(case.service_id, ""),
                "state": states.get(case.state, case.state),
                "colour": case.colour(today),
                "due": case.due_on.isoformat() if case.due_on else "",
                "handler": (handler.display_name or handler.username) if handler is not None else "",
            }
        )
    return rows


@access("scoped")
@require_GET
def worklist_view(request: AuthedRequest) -> HttpResponse:
    filters = cases.worklist_filters(request.GET)
    work = cases.worklist(viewer=request.user, filters=filters)
    after = cases.cursor_read(request.GET.get("after", ""))
    # Keyset pages: a deep page reads what the first does.
    read = Case.objects.select_related("handler").only(*_ROW_COLUMNS)
    rows, following = work.page_after(after, PAGE, read)
    states = {value: str(label) for value, label in CaseState.choices}  # translated once per page
    services = list(Service.objects.only("code", "name", "name_en").order_by("sort_order"))
    params = {k: v for k, v in request.GET.items() if k not in ("after", "page") and v}
    context = {
        "next_url": f"?{urlencode({**params, 'after': cases.cursor_make(following)})}" if following else "",
        "first_url": f"?{urlencode(params)}" if after is not None else "",
        "params": urlencode(params),
        # Counted up to a cap (a capped count stays fast for a department with tens of thousands of cases).
        "total": work.count(COUNT_CAP + 1),
        "count_cap": COUNT_CAP,
        "rows": _worklist_rows(rows, states, {service.pk: str(service) for service in services}),
        "f": filters,
        "states": [(v, label) for v, label in states.items() if v != CaseState.DRAFT],
        "colours": Colour.choices,
        "services": services,
    }
    template = "servicehall/worklist.html#results" if request.htmx else "servicehall/worklist.html"
    return render(request, template, context)


@access("scoped")
@require_POST
def bulk_accept_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, HallPerm.CASE_HANDLE)
    ids = []
    for value in request.POST.getlist("case"):
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    accepted, problems = cases.bulk_accept(actor=request.user, case_ids=ids)
    messages.success(request, _("%(n)d cases accepted.") % {"n": accepted})
    for problem in problems[:10]:
        messages.warning(request, problem)
    return redirect("servicehall:worklist")


@access("scoped")
@require_GET
def overview_view(request: AuthedRequest) -> HttpResponse:
    """All departments at a glance: open, yellow and red cases; ratings per department and service."""
    if not has_perm(request.user, HallPerm.CASE_OVERSEE):
        require_perm(request.user, HallPerm.CASE_HANDLE)
    context = {
        "clock": cases.clock_by_department(viewer=request.user),
        "by_department": ratings.rating_report(viewer=request.user, by="department"),
        "by_service": ratings.rating_report(viewer=request.user, by="service"),
    }
    return render(request, "servicehall/overview.html", context)


@access("scoped")
@require_GET
def ratings_view(request: AuthedRequest) -> HttpResponse:
    """Ratings in the viewer's scope; open rectifications; appeals."""
    if not has_perm(request.user, HallPerm.CASE_OVERSEE):
        require_perm(request.user, HallPerm.CASE_HANDLE)
    visible = scope_queryset(Rating.objects.select_related("case", "service", "department"), request.user)
    rectifications = scope_queryset(
        Rectification.objects.exclude(step=RectificationStep.CLOSED).select_related("rating__case"),
        request.user,
    )
    appeals = scope_queryset(Appeal.objects.select_related("rating__case", "department"), request.user)
    open_items = list(rectifications[:100])
    # The log keeps step codes and usernames; the page names the step and the person.
    steps = dict(RectificationStep.choices)
    usernames = {entry.get("by", "") for item in open_items for entry in item.log}
    names = {
        username: display or username
        for username, display in User.objects.filter(username__in=usernames).values_list(
            "username", "display_name"
        )
    }
    for item in open_items:
        item.entries = [  # type: ignore[attr-defined]
            (steps.get(e.get("step", ""), e.get("step", "")), names.get(e.get("by", ""), e.get("by", "")), e)
            for e in item.log
        ]
    context = {
        "ratings": visible[:100],
        "rectifications": open_items,
        "appeals": appeals.filter(status=AppealStatus.PENDING)[:100],
        "note_form": NoteForm(),
        "appeal_form": AppealForm(),
        "decision_form": AppealDecisionForm(),
        "can_decide": has_perm(request.user, HallPerm.CASE_OVERSEE),
        "unit_id": request.user.unit_id,
    }
    return render(request, "servicehall/ratings.html", context)


@access("scoped")
@require_POST
def rectification_view(request: AuthedRequest, rectification_id: int) -> HttpResponse:
    ratings.rectification_advance(
        actor=request.user, rectification_id=rectification_id, note=request.POST.get("note", "")
    )
    messages.success(request, _("Step recorded."))
    return redirect("servicehall:ratings")


@access("scoped")
@require_POST
def appeal_view(request: AuthedRequest, rating_id: int) -> HttpResponse:
    ratings.appeal_file(actor=request.user, rating_id=rating_id, reason=request.POST.get("reason", ""))
    messages.success(request, _("Appeal sent to the talent office."))
    return redirect("servicehall:ratings")


@access("scoped")
@require_POST
def appeal_decide_view(request: AuthedRequest, appeal_id: int) -> HttpResponse:
    ratings.appeal_decide(
        actor=request.user,
        appeal_id=appeal_id,
        uphold=request.POST.get("uphold") == "1",
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("Appeal decided."))
    return redirect("servicehall:ratings")
