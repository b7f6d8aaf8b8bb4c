"""The programmes' pages: calls with eligibility clause by clause and the application form (talents); the
applications in the viewer's scope and each one's steps, with the actions the table offers them; the office's
call page (ceremonies, ranking, spread per reviewer, approval) and the draw on an application's page; the
expert's reviews (blind where the call says so); the published draws as a file anyone can replay."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import has_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, NotFound, ValidationFailed
from talentcloud.common.excel import dated_name, xlsx_response
from talentcloud.talents.models import Talent, TalentProgramme
from talentcloud.workflow.engine import allowed

from . import materials, publicity, selectors, services
from .enums import ApplicationState, SeatStatus
from .forms import ActionForm, ApplyForm, CallForm, CeremonyForm, DeclineForm, DrawForm, ExpertForm, TieForm
from .models import Call, Ceremony, Expert, Objection, PublicityEntry, Score
from .permissions import ProgPerm
from .workflow import APPLICATIONS, STAGES, next_stage

STEP_LABELS = {
    "draw": gettext_lazy("Panel drawn"),
    "panel_conflict": gettext_lazy("Panel seat struck for a conflict"),
}


def _call(call_id: int) -> Call:
    call = Call.objects.select_related("programme").filter(pk=call_id).first()
    if call is None:
        raise NotFound()
    return call


@access("scoped")
@require_http_methods(["GET", "POST"])
def index_view(request: AuthedRequest) -> HttpResponse:
    talent = Talent.objects.filter(account=request.user).first() if request.user.is_authenticated else None
    calls = list(Call.objects.select_related("programme"))
    forms: dict[int, ApplyForm] = {}
    status = 200
    if talent is not None and request.method == "POST":
        form = ApplyForm(request.POST)
        if form.is_valid():
            call = _call(form.cleaned_data["call"])
            try:
                application = services.application_create(
                    actor=request.user,
                    call=call,
                    title=form.cleaned_data["title"],
                    field=form.cleaned_data["field"],
                    payee_account=form.cleaned_data["payee_account"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(
                    request, _("Application started: %(number)s.") % {"number": application.number}
                )
                return redirect("programs:application", application_id=application.pk)
        if form.errors:
            status = 400
            forms[int(request.POST.get("call") or 0)] = form
    rows = []
    for call in calls:
        outcome = services.eligibility(call, talent) if talent is not None else None
        form = forms.get(call.pk) or ApplyForm(initial={"call": call.pk})
        rows.append({"call": call, "outcome": outcome, "form": form})
    context = {
        "talent": talent,
        "calls": rows,
        "applications": selectors.application_list(viewer=request.user)[:200],
        "office": has_perm(request.user, ProgPerm.MANAGE),
    }
    return render(request, "programs/index.html", context, status=status)


@access("scoped")
@require_http_methods(["GET", "POST"])
def application_view(request: AuthedRequest, application_id: int) -> HttpResponse:
    application = selectors.application_get(viewer=request.user, pk=application_id)
    office = has_perm(request.user, ProgPerm.MANAGE)
    action_form = ActionForm(request.POST if "action" in request.POST else None)
    draw_form = DrawForm(request.POST if "ceremony" in request.POST else None)
    cast(forms.ChoiceField, draw_form.fields["ceremony"]).choices = [
        (c.pk, f"{c.held_at:%Y-%m-%d %H:%M} · {c.digits} · {c.witnesses}")
        for c in Ceremony.objects.filter(call_id=application.call_id)
    ]
    material_errors: dict[str, list[str]] = {}
    if request.method == "POST" and ("material_key" in request.POST or "anonymised_check" in request.POST):
        try:
            if "anonymised_check" in request.POST:
                materials.anonymised_check(actor=request.user, application=application)
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationFailed(fields={"file": [_("Choose a file.")]})
                materials.material_add(
                    actor=request.user,
                    application=application,
                    key=request.POST.get("material_key", ""),
                    upload=upload,
                    anonymised=request.POST.get("anonymised") == "1",
                )
        except DomainError as exc:
            material_errors = {k: [str(m) for m in v] for k, v in exc.fields.items()} or {
                "__all__": [str(exc.message)]
            }
        else:
            messages.success(request, _("Done."))
            return redirect("programs:application", application_id=application.pk)
    if request.method == "POST" and not material_errors:
        try:
            if "action" in request.POST and action_form.is_valid():
                data = action_form.cleaned_data
                services.move(
                    actor=request.user,
                    application=application,
                    action=data["action"],
                    expected_revision=data["revision"],
                    note=data["note"],
                    pledge=data["pledge"],
                )
                messages.success(request, _("Done."))
                return redirect("programs:application", application_id=application.pk)
            if "ceremony" in request.POST and draw_form.is_valid():
                ceremony = Ceremony.objects.get(
                    pk=draw_form.cleaned_data["ceremony"], call_id=application.call_id
                )
                services.draw_panel(
                    actor=request.user,
                    application=application,
                    ceremony=ceremony,
                    reason=draw_form.cleaned_data["reason"],
                )
                messages.success(request, _("The panel is drawn."))
                return redirect("programs:application", application_id=application.pk)
        except DomainError as exc:
            apply_domain_error(draw_form if "ceremony" in request.POST else action_form, exc)
    actions = [t for t in allowed(APPLICATIONS, request.user, application) if t.action != "approve"]
    if application.state == "accepted":  # the call's next stage, when it has one
        actions += [
            t for t in allowed(STAGES, request.user, application) if t.target == next_stage(application)
        ]
    draw = application.draws.filter(active=True).first()
    context = {
        "application": application,
        "events": [
            {
                "at": e.at,
                "label": {**STAGES.action_labels, **APPLICATIONS.action_labels}.get(
                    e.action, STEP_LABELS.get(e.action, e.action)
                ),
                "state": ApplicationState(e.to_state).label if e.to_state in ApplicationState.values else "",
                "note": e.note,
            }
            for e in application.events.all()
        ],
        "actions": actions,
        "action_form": action_form,
        "draw_form": draw_form if office else None,
        "draw": draw,
        "seats": draw.seats.select_related("expert").order_by("position") if draw and office else [],
        "award": getattr(application, "award", None) if application.state == "approved" else None,
        "office": office,
        "named": materials.named(application),
        "uploaded": list(application.materials.all()),
        "missing": materials.missing(application),
        "material_errors": material_errors,
        "own": application.talent.account_id == request.user.pk,
    }
    failed = request.method == "POST"
    return render(request, "programs/application.html", context, status=400 if failed else 200)


@access("admin", perm=ProgPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def call_view(request: AuthedRequest, call_id: int) -> HttpResponse:
    call = _call(call_id)
    ceremony_form = CeremonyForm(request.POST if "digits" in request.POST else None)
    problem = ""
    if request.method == "POST":
        try:
            if "digits" in request.POST and ceremony_form.is_valid():
                services.ceremony_record(actor=request.user, call=call, **ceremony_form.cleaned_data)
                messages.success(request, _("The ceremony's digits are recorded."))
                return redirect("programs:call", call_id=call.pk)
            if "days" in request.POST:
                publicity.publish(actor=request.user, call=call, days=int(request.POST["days"] or 0))
                messages.success(request, _("The list is published."))
                return redirect("programs:call", call_id=call.pk)
            if "objection" in request.POST:
                objection = Objection.objects.filter(
                    pk=int(request.POST["objection"]), entry__publicity__call=call
                ).first()
                if objection is None:
                    raise NotFound()
                publicity.objection_decide(
                    actor=request.user,
                    objection=objection,
                    upheld=request.POST.get("decision") in ("correct", "withdraw"),
                    withdraw=request.POST.get("decision") == "withdraw",
                    reply=request.POST.get("reply", ""),
                    employer_name=request.POST.get("employer_name", ""),
                )
                messages.success(request, _("The objection is answered."))
                return redirect("programs:call", call_id=call.pk)
            if "approve" in request.POST:
                application = selectors.application_get(viewer=request.user, pk=int(request.POST["approve"]))
                services.approve(actor=request.user, application=application)
                messages.success(request, _("Approved: %(number)s.") % {"number": application.number})
                return redirect("programs:call", call_id=call.pk)
        except (DomainError, ValueError) as exc:
            if isinstance(exc, DomainError) and "digits" in request.POST:
                apply_domain_error(ceremony_form, exc)
            else:
                problem = (
                    "; ".join(str(m) for found in exc.fields.values() for m in found) or str(exc.message)
                    if isinstance(exc, DomainError)
                    else _("Choose an application.")
                )
    context = {
        "call": call,
        "ranking": services.ranking(call),
        "spread": services.spread(call),
        "ceremonies": call.ceremonies.all(),
        "ceremony_form": ceremony_form,
        "problem": problem,
        "lines": publicity.published(call),
        "published": hasattr(call, "publicity"),
        "objections": publicity.objections_for(viewer=request.user, call=call),
    }
    return render(request, "programs/call.html", context, status=400 if request.method == "POST" else 200)


@access("public")
@require_http_methods(["GET", "POST"])
def publicity_view(request: Any, call_id: int) -> HttpResponse:
    """公示 on the portal: masked fields only; anyone may object to a line (a signed-in person with a
    verified identity is handled; others are recorded)."""
    call = _call(call_id)
    problem = ""
    if request.method == "POST":
        entry_id = request.POST.get("entry", "")
        entry = PublicityEntry.objects.filter(
            pk=int(entry_id) if entry_id.isdigit() else 0, publicity__call=call, withdrawn=False
        ).first()
        if entry is None:
            raise NotFound()
        try:
            publicity.object_to(user=request.user, entry=entry, text=request.POST.get("text", ""))
        except DomainError as exc:
            problem = "; ".join(str(m) for found in exc.fields.values() for m in found) or str(exc.message)
        else:
            messages.success(request, _("Your objection is received."))
            return redirect("programs:publicity", call_id=call.pk)
    context = {"call": call, "lines": publicity.published(call), "problem": problem}
    return render(request, "programs/publicity.html", context, status=400 if problem else 200)


@access("public")
@require_GET
def draws_view(request: Any, call_id: int) -> HttpResponse:
    """The published draws of a call, as the file ``tools/replay_draw.py`` reads."""
    call = _call(call_id)
    response = HttpResponse(
        json.dumps(selectors.published_draws(call), ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="draws-{call.code}.json"'
    return response


@access("own")
@require_GET
def reviews_view(request: AuthedRequest) -> HttpResponse:
    reviews = [selectors.review_view(seat) for seat in selectors.seats_of(viewer=request.user)]
    return render(request, "programs/reviews.html", {"reviews": reviews})


@access("own")
@require_http_methods(["GET", "POST"])
def review_view(request: AuthedRequest, application_id: int) -> HttpResponse:
    seat = selectors.seat_get(viewer=request.user, application_pk=application_id)
    criteria = list(seat.draw.application.call.criteria.all())
    decline_form = DeclineForm(request.POST if "reason" in request.POST else None)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if "reason" in request.POST:
                if decline_form.is_valid():
                    services.seat_decline(
                        actor=request.user, seat=seat, reason=decline_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("You declined; the next expert of the draw takes the seat."))
                    return redirect("programs:reviews")
            else:
                services.score_submit(
                    actor=request.user,
                    seat=seat,
                    values={c.pk: request.POST.get(f"score_{c.pk}", "") for c in criteria},
                    comments={c.pk: request.POST.get(f"comment_{c.pk}", "") for c in criteria},
                )
                messages.success(request, _("Your scores are submitted."))
                return redirect("programs:review", application_id=application_id)
        except DomainError as exc:
            if "reason" in request.POST:
                apply_domain_error(decline_form, exc)
            else:
                errors = {name: [str(m) for m in found] for name, found in exc.fields.items()}
                if not errors:
                    errors["__all__"] = [str(exc.message)]
    # the sheet of the stage the application is in (written review, or 答辩/路演)
    scores = {s.criterion_id: s for s in seat.scores.filter(stage=seat.draw.application.stage)}
    context = {
        "review": selectors.review_view(seat),
        "criteria": [
            {
                "criterion": c,
                "error": errors.get(f"score_{c.pk}", []),
                "value": request.POST.get(f"score_{c.pk}", "")
                if request.method == "POST"
                else (scores[c.pk].value if c.pk in scores else ""),
                "comment": request.POST.get(f"comment_{c.pk}", "")
                if request.method == "POST"
                else (scores[c.pk].comment if c.pk in scores else ""),
            }
            for c in criteria
        ],
        "errors": errors.get("__all__", []),
        "decline_form": decline_form,
        "seated": seat.status == SeatStatus.SEATED,
    }
    return render(request, "programs/review.html", context, status=400 if request.method == "POST" else 200)


EXPORT_CAP = 10_000


def _exported(request: AuthedRequest, what: str, rows: int) -> None:
    audit_record(
        actor=request.user,
        action="programs.export",
        object_type="programme_call",
        source_ip=request_ip(request),
        details={"what": what, "rows": rows},
    )


@access("scoped")
@require_GET
def export_view(request: AuthedRequest) -> HttpResponse:
    """The applications the viewer may see, with their state (capped), formula-safe, audited."""
    rows = [
        (a.number, a.call.title, a.title, a.field, a.talent.name, a.employer.name, a.get_state_display())
        for a in selectors.application_list(viewer=request.user)[:EXPORT_CAP]
    ]
    _exported(request, "applications", len(rows))
    header = [
        _("Application number"),
        _("programme call"),
        _("project title"),
        _("field"),
        _("applicant"),
        _("employer"),
        _("state"),
    ]
    return xlsx_response(
        filename=dated_name(_("Programme applications")),
        sheet=_("Programme applications"),
        header=header,
        rows=rows,
    )


@access("admin", perm=ProgPerm.MANAGE)
@require_GET
def scores_export_view(request: AuthedRequest, call_id: int) -> HttpResponse:
    """Every sheet of the call: application, expert code, criterion, score, comment; then the ranking."""
    call = _call(call_id)
    rows: list[tuple[Any, ...]] = [
        (s.seat.draw.application.number, s.seat.expert.code, s.criterion.name, s.value, s.comment)
        for s in Score.objects.filter(seat__draw__application__call=call, seat__draw__active=True)
        .select_related("seat__draw__application", "seat__expert", "criterion")
        .order_by("seat__draw__application__number", "seat__expert__code", "criterion__order")
    ]
    rows += [(r.application.number, _("Rank"), r.rank, r.score, r.sheets) for r in services.ranking(call)]
    _exported(request, "scores", len(rows))
    header = [_("Application number"), _("expert"), _("criterion"), _("score"), _("comment")]
    return xlsx_response(
        filename=dated_name(_("Review scores")), sheet=_("Review scores"), header=header, rows=rows
    )


@access("admin", perm=ProgPerm.MANAGE)
@require_GET
def publicity_export_view(request: AuthedRequest, call_id: int) -> HttpResponse:
    """The 公示 list as published (masked fields)."""
    lines = publicity.published(_call(call_id))
    rows = [
        (line["name"], line["employer"], line["programme"], line["tier"], line["from"], line["to"])
        for line in lines
    ]
    _exported(request, "publicity", len(rows))
    header = [_("name"), _("employer"), _("programme"), _("programme tier"), _("from"), _("to")]
    return xlsx_response(
        filename=dated_name(_("Public notice (公示)")),
        sheet=_("Public notice (公示)"),
        header=header,
        rows=rows,
    )


@access("own")
@require_GET
def review_material_view(request: AuthedRequest, application_id: int, key: str) -> HttpResponse:
    """A reviewer's download of a material of their seat: in a blind call only the anonymised version, and
    always under a neutral file name."""
    seat = selectors.seat_get(viewer=request.user, application_pk=application_id)
    material, data = materials.reviewer_read(actor=request.user, seat=seat, key=key)
    response = HttpResponse(data, content_type=material.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(True, materials.neutral_name(material)) or "attachment"
    )
    return response


@access("admin", perm=ProgPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def call_new_view(request: AuthedRequest) -> HttpResponse:
    """The office opens a call: every setting, each problem shown at its field."""
    programmes = [(p.code, str(p)) for p in TalentProgramme.objects.filter(active=True).order_by("code")]
    form = CallForm(request.POST if request.method == "POST" else None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(actor=request.user, data=services.CallInput(**form.cleaned_data))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The call is open: %(title)s.") % {"title": call.title})
            return redirect("programs:call", call_id=call.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/call_new.html", {"form": form}, status=status)


def _expert_form_error(form: forms.Form, exc: DomainError) -> None:
    """The service names ``fields`` and ``affiliations[i]``; the form's fields are ``fields_text`` and
    ``affiliations``."""
    renamed: dict[str, list[Any]] = {}
    for name, found in exc.fields.items():
        key = (
            "fields_text" if name == "fields" else "affiliations" if name.startswith("affiliations") else name
        )
        renamed.setdefault(key, []).extend(found)
    apply_domain_error(form, ValidationFailed(fields=renamed) if renamed else exc)


@access("admin", perm=ProgPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def experts_view(request: AuthedRequest) -> HttpResponse:
    """The expert pool: experts with their field codes, dated institution history and ties; add or edit one
    (by code), record a tie (panels drawn before are checked again at once)."""
    experts = list(Expert.objects.prefetch_related("affiliations", "ties").order_by("code"))
    choices = [(e.pk, f"{e.code} {e.name}") for e in experts]
    posted = request.POST.get("form")
    editing = Expert.objects.filter(code=request.GET.get("code", "")).first()
    initial = (
        {
            "code": editing.code,
            "name": editing.name,
            "fields_text": " ".join(editing.fields),
            "cap": editing.cap,
            "affiliations": "\n".join(
                f"{a.institution}, {a.start.isoformat()}, {a.end.isoformat() if a.end else ''}"
                for a in editing.affiliations.all()
            ),
        }
        if editing
        else None
    )
    expert_form = ExpertForm(request.POST if posted == "expert" else None, initial=initial)
    tie_form = TieForm(request.POST if posted == "tie" else None, experts=choices)
    if posted == "expert" and expert_form.is_valid():
        data = expert_form.cleaned_data
        try:
            expert = services.expert_save(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                fields=data["fields_text"],
                cap=data["cap"],
                affiliations=data["affiliations"],
            )
        except DomainError as exc:
            _expert_form_error(expert_form, exc)
        else:
            messages.success(request, _("Expert %(code)s saved.") % {"code": expert.code})
            return redirect("programs:experts")
    if posted == "tie" and tie_form.is_valid():
        data = tie_form.cleaned_data
        expert = Expert.objects.get(pk=data["expert"])  # a choice of the form: it exists
        try:
            services.tie_add(
                actor=request.user,
                expert=expert,
                kind=data["kind"],
                person_name=data["person_name"],
                on=data["on"],
            )
        except DomainError as exc:
            apply_domain_error(tie_form, exc)
        else:
            messages.success(request, _("The tie is recorded; panels drawn before are checked again."))
            return redirect("programs:experts")
    context = {"experts": experts, "expert_form": expert_form, "tie_form": tie_form, "editing": editing}
    return render(request, "programs/experts.html", context, status=400 if posted else 200)
