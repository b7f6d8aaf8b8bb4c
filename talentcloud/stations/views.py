"""The pages of workstations, leads and events: the office's stations, leads (verify, consent, link to the
archive, land, reward), scorecards and their .xlsx; a partner's own station's consented leads; the office's
events with a check-in page that takes the scanned QR; the public's open events and registration; a talent's
own registrations with their QR. Every read goes through ``selectors`` (data scope on each door)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError
from talentcloud.common.excel import xlsx_response
from talentcloud.talents.selectors import talent_get, talent_own_archive

from . import exports, selectors, services
from .enums import LeadState
from .forms import (
    ActivityForm,
    CheckInForm,
    ConsentForm,
    EventForm,
    EventLeadsForm,
    LeadForm,
    LinkForm,
    MoveForm,
    RateForm,
    RegisterForm,
    StationForm,
)
from .permissions import StationPerm
from .qr import qr_data_url
from .workflow import lead_actions, lead_transition


def _errors_to_messages(request: Any, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


# --- stations -----------------------------------------------------------------------------------------------


@access("scoped", perm=StationPerm.VIEW)
@require_http_methods(["GET", "POST"])
def stations_view(request: AuthedRequest) -> HttpResponse:
    form = StationForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, StationPerm.MANAGE)
        if form.is_valid():
            try:
                station = services.station_save(
                    actor=request.user, data=services.StationInput(**form.cleaned_data)
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Station saved."))
                return redirect("stations:station", station_id=station.pk)
    context = {
        "cards": selectors.scorecards(viewer=request.user),
        "form": form,
        "manage": has_perm(request.user, StationPerm.MANAGE),
    }
    return render(request, "stations/stations.html", context, status=400 if form.errors else 200)


@access("scoped")
@require_GET
def station_view(request: AuthedRequest, station_id: uuid.UUID) -> HttpResponse:
    station = selectors.station_get(viewer=request.user, station_id=station_id)
    card = next(c for c in selectors.scorecards(viewer=request.user) if c.station.pk == station.pk)
    page = Paginator(selectors.leads(viewer=request.user, station=station), 25).get_page(
        request.GET.get("page")
    )
    context = {"station": station, "card": card, "page": page}
    return render(request, "stations/station.html", context)


# --- leads --------------------------------------------------------------------------------------------------


def _lead_filters(request: Any) -> dict[str, str]:
    return {
        "state": request.GET.get("state", ""),
        "phone": request.GET.get("phone", "")[:25],
        "email": request.GET.get("email", "")[:120],
    }


@access("scoped")
@require_GET
def leads_view(request: AuthedRequest) -> HttpResponse:
    filters = _lead_filters(request)
    if not selectors.is_office(request.user) and services.partner_station(request.user) is None:
        # a partner's account whose unit runs no station (yet, or any longer): nothing to see, said plainly
        require_perm(request.user, StationPerm.PARTNER)
        return render(request, "stations/leads.html", {"no_station": True, "filters": filters, "page": []})
    leads = selectors.leads(
        viewer=request.user, state=filters["state"], phone=filters["phone"], email=filters["email"]
    )
    page = Paginator(leads, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "states": LeadState.choices,
        "own": services.partner_station(request.user),
    }
    return render(request, "stations/leads.html", context)


@access("scoped")
@require_GET
def leads_export_view(request: AuthedRequest) -> HttpResponse:
    filters = _lead_filters(request)
    rows = selectors.leads(
        viewer=request.user, state=filters["state"], phone=filters["phone"], email=filters["email"]
    )[: exports.MAX_ROWS]
    audit_record(
        actor=request.user,
        action="station.export",
        object_type="station_lead",
        details={"what": "leads", "filters": {k: bool(v) for k, v in filters.items()}},
    )
    return xlsx_response(filename=_("Workstation leads") + ".xlsx", **exports.leads_sheet(rows))


@access("scoped")
@require_http_methods(["GET", "POST"])
def lead_new_view(request: AuthedRequest) -> HttpResponse:
    own = services.partner_station(request.user)
    if own is None:
        require_perm(request.user, StationPerm.MANAGE)
    form = LeadForm(request.POST or None)
    if own is not None:  # a partner records for its own station: the others are not even named
        del form.fields["station"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        station = data.pop("station", None)
        try:
            lead = services.lead_create(actor=request.user, data=services.LeadInput(**data), station=station)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Lead recorded."))
            return redirect("stations:lead", lead_id=lead.pk)
    context = {"form": form, "own": own}
    return render(request, "stations/lead_new.html", context, status=400 if form.errors else 200)


@access("scoped")
@require_GET
def lead_view(request: AuthedRequest, lead_id: uuid.UUID) -> HttpResponse:
    lead = selectors.lead_get(viewer=request.user, lead_id=lead_id)
    manage = has_perm(request.user, StationPerm.MANAGE)
    context = {
        "lead": lead,
        "actions": lead_actions(request.user, lead),
        "activities": lead.activities.select_related("actor"),
        "manage": manage,
        "matches": services.archive_matches(lead) if manage and lead.talent_id is None else [],
        "activity_form": ActivityForm(),
        "consent_form": ConsentForm(),
        "link_form": LinkForm(),
        "reward": getattr(lead, "reward", None) if hasattr(lead, "reward") else None,
        "posts": selectors.campaign_posts(),
        "via": f"station:{lead.station_id}",
    }
    return render(request, "stations/lead.html", context)


def _back(lead_id: Any) -> HttpResponse:
    return redirect(reverse("stations:lead", kwargs={"lead_id": lead_id}))


def _lead_form_post(
    request: AuthedRequest, lead_id: uuid.UUID, form_class: Any, act: Any, done: Any
) -> HttpResponse:
    """A form posted on a lead's page: the lead read within the viewer's scope, the form checked, ``act(lead,
    cleaned_data)`` run; its domain errors shown at their fields, as messages on the lead's page."""
    lead = selectors.lead_get(viewer=request.user, lead_id=lead_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(lead, form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, done)
    _errors_to_messages(request, form)
    return _back(lead.pk)


@access("scoped")
@require_POST
def lead_move_view(request: AuthedRequest, lead_id: uuid.UUID) -> HttpResponse:
    lead = selectors.lead_get(viewer=request.user, lead_id=lead_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            lead_transition(
                actor=request.user,
                lead=lead,
                action=data["action"],
                expected_revision=data["revision"],
                note=data["note"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            for errors in exc.fields.values():
                for error in errors:
                    messages.error(request, str(error))
        else:
            messages.success(request, _("Stage changed."))
    return _back(lead.pk)


@access("scoped")
@require_POST
def lead_activity_view(request: AuthedRequest, lead_id: uuid.UUID) -> HttpResponse:
    return _lead_form_post(
        request,
        lead_id,
        ActivityForm,
        lambda lead, data: services.activity_add(actor=request.user, lead=lead, **data),
        _("Activity added."),
    )


@access("scoped", perm=StationPerm.MANAGE)
@require_POST
def lead_consent_view(request: AuthedRequest, lead_id: uuid.UUID) -> HttpResponse:
    return _lead_form_post(
        request,
        lead_id,
        ConsentForm,
        lambda lead, data: services.lead_consent(actor=request.user, lead=lead, **data),
        _("Consent recorded."),
    )


@access("scoped", perm=StationPerm.MANAGE)
@require_POST
def lead_verify_view(request: AuthedRequest, lead_id: uuid.UUID) -> HttpResponse:
    lead = selectors.lead_get(viewer=request.user, lead_id=lead_id)
    try:
        verified = services.lead_verify(actor=request.user, lead=lead)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if verified.credited:
            messages.success(request, _("Contact verified: the station is credited with this person."))
        else:
            messages.warning(
                request, _("Contact verified, but another station's contact was verified first.")
            )
    return _back(lead.pk)


@access("scoped", perm=StationPerm.MANAGE)
@require_POST
def lead_link_view(request: AuthedRequest, lead_id: uuid.UUID) -> HttpResponse:
    def link(lead: Any, data: dict[str, Any]) -> None:
        talent = talent_get(viewer=request.user, talent_id=data["talent_id"])
        services.lead_link(actor=request.user, lead=lead, talent=talent)

    return _lead_form_post(request, lead_id, LinkForm, link, _("Linked to the archive record."))


@access("scoped", perm=StationPerm.MANAGE)
@require_POST
def lead_reward_view(request: AuthedRequest, lead_id: uuid.UUID) -> HttpResponse:
    lead = selectors.lead_get(viewer=request.user, lead_id=lead_id)
    try:
        services.reward_make(actor=request.user, lead=lead)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        for errors in exc.fields.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        messages.success(request, _("Reward made in the payout ledger."))
    return _back(lead.pk)


# --- scorecards and rates -----------------------------------------------------------------------------------


@access("scoped")
@require_GET
def scorecards_view(request: AuthedRequest) -> HttpResponse:
    context = {"cards": selectors.scorecards(viewer=request.user)}
    return render(request, "stations/scorecards.html", context)


@access("scoped")
@require_GET
def scorecards_export_view(request: AuthedRequest) -> HttpResponse:
    cards = selectors.scorecards(viewer=request.user)
    audit_record(
        actor=request.user,
        action="station.export",
        object_type="station",
        details={"what": "scorecards", "stations": len(cards)},
    )
    return xlsx_response(filename=_("Workstation scorecards") + ".xlsx", **exports.scorecards_sheet(cards))


@access("admin", perm=StationPerm.MANAGE)
@require_http_methods(["GET", "POST"])
def rates_view(request: AuthedRequest) -> HttpResponse:
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_set(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Reward rate saved."))
            return redirect("stations:rates")
    context = {"form": form, "rates": selectors.rates()}
    return render(request, "stations/rates.html", context, status=400 if form.errors else 200)


# --- events -------------------------------------------------------------------------------------------------


@access("scoped", perm=StationPerm.EVENTS)
@require_http_methods(["GET", "POST"])
def events_view(request: AuthedRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(actor=request.user, data=services.EventInput(**form.cleaned_data))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Event saved."))
            return redirect("stations:event", event_id=event.pk)
    context = {"events": selectors.events(viewer=request.user), "form": form}
    return render(request, "stations/events.html", context, status=400 if form.errors else 200)


@access("scoped", perm=StationPerm.EVENTS)
@require_http_methods(["GET", "POST"])
def event_view(request: AuthedRequest, event_id: uuid.UUID) -> HttpResponse:
    event = selectors.event_get(viewer=request.user, event_id=event_id)
    form = EventLeadsForm(request.POST or None, initial={"station": event.station})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.event_leads(actor=request.user, event=event, station=form.cleaned_data["station"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("%(count)s attendees became leads.") % {"count": made})
            return redirect("stations:event", event_id=event.pk)
    context = {
        "event": event,
        "registrations": selectors.registrations(viewer=request.user, event=event),
        "form": form,
    }
    return render(request, "stations/event.html", context, status=400 if form.errors else 200)


@access("scoped", perm=StationPerm.EVENTS)
@require_http_methods(["GET", "POST"])
def check_in_view(request: AuthedRequest, event_id: uuid.UUID) -> HttpResponse:
    event = selectors.event_get(viewer=request.user, event_id=event_id)
    form = CheckInForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = services.check_in(actor=request.user, event=event, code=form.cleaned_data["code"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            form = CheckInForm()
    context = {"event": event, "form": form, "done": done}
    return render(request, "stations/check_in.html", context, status=400 if form.errors else 200)


@access("public")
@require_GET
def open_events_view(request: Any) -> HttpResponse:
    return render(request, "stations/open_events.html", {"events": selectors.open_events()[:100]})


@access("public")
@require_http_methods(["GET", "POST"])
def open_event_view(request: Any, event_id: uuid.UUID) -> HttpResponse:
    """An open event; anyone registers with a name and a mobile number (a signed-in talent's place is kept
    on their account and linked to their archive record). The QR for check-in is shown at once."""
    event = selectors.open_event_get(event_id)
    form = RegisterForm(request.POST or None)
    registration = None
    if request.method == "POST" and form.is_valid():
        user = request.user
        talent = talent_own_archive(viewer=user, related=False) if user.is_authenticated else None
        try:
            registration = services.register(actor=user, event=event, talent=talent, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
    context: dict[str, Any] = {"event": event, "form": form, "registration": registration}
    if registration is not None:
        context["qr"] = qr_data_url(registration.code)
    return render(request, "stations/open_event.html", context, status=400 if form.errors else 200)


@access("own")
@require_GET
def my_registrations_view(request: AuthedRequest) -> HttpResponse:
    rows = [(r, qr_data_url(r.code)) for r in selectors.own_registrations(viewer=request.user)[:50]]
    context = {"rows": rows, "posts": selectors.campaign_posts(10) if rows else []}
    return render(request, "stations/my_registrations.html", context)
