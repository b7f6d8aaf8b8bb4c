"""The stations' and events' API: stations and their scorecards, leads (create, consent, verify, link, move,
activities, reward), events (list, register, check in, attendees into leads). The same selectors as the pages
keep the data scope: a partner reaches its own station's consented leads only."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from talentcloud.accounts.enums import RoleKind
from talentcloud.accounts.models import OrgUnit
from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.apikit.pagination import Pages
from talentcloud.common.access import api_access
from talentcloud.common.errors import PermissionDenied, ValidationFailed
from talentcloud.privacy.masking import mask_email, mask_phone, mask_text
from talentcloud.talents.selectors import talent_get, talent_own_archive

from . import selectors, services
from .models import Lead, Station
from .permissions import StationPerm
from .workflow import lead_transition

router = Router(tags=["stations"])


class StationOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    country: str
    city: str
    partner: str
    partner_unit: str
    transfer_agreement: str
    active: bool

    @staticmethod
    def resolve_partner_unit(obj: Station) -> str:
        return obj.partner_unit.code


class StationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., max_length=100)
    name_en: str = Field("", max_length=100)
    kind: str = Field(..., max_length=10)
    country: str = Field(..., max_length=60)
    city: str = Field(..., max_length=60)
    partner: str = Field(..., max_length=120)
    partner_unit: str = Field(..., max_length=40, description="the code of the external unit")
    transfer_agreement: str = Field("", max_length=120)
    payee_account: str = Field("", max_length=30)
    active: bool = True


class ScorecardOut(Schema):
    station: uuid.UUID
    name: str
    contacts: int
    verified: int
    credited: int
    interested: int
    visited: int
    signed: int
    landed: int
    landed_by_grade: dict[str, int]
    rewarded: Decimal


class LeadOut(Schema):
    """A lead with its personal data masked (name, mobile number, e-mail)."""

    id: uuid.UUID
    station: uuid.UUID
    name: str
    phone: str
    email: str
    country: str
    field: str
    source: str
    state: str
    revision: int
    contacted_on: date
    consented: bool
    verified: bool
    credited: bool
    talent_linked: bool

    @staticmethod
    def resolve_station(obj: Lead) -> uuid.UUID:
        return obj.station_id

    @staticmethod
    def resolve_name(obj: Lead) -> str:
        return mask_text(obj.name)

    @staticmethod
    def resolve_phone(obj: Lead) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_email(obj: Lead) -> str:
        return mask_email(obj.email)

    @staticmethod
    def resolve_verified(obj: Lead) -> bool:
        return obj.verified_at is not None

    @staticmethod
    def resolve_talent_linked(obj: Lead) -> bool:
        return obj.talent_id is not None


class LeadIn(Schema):
    model_config = ConfigDict(extra="forbid")

    station: uuid.UUID | None = None
    name: str = Field(..., max_length=100)
    phone: str = Field("", max_length=25)
    email: str = Field("", max_length=120)
    country: str = Field("", max_length=60)
    field: str = Field("", max_length=100)
    contacted_on: date | None = None
    consent: bool = False
    consent_ref: str = Field("", max_length=120)


class ConsentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    consent_ref: str = Field("", max_length=120)
    granted: bool = True


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: str = Field(..., max_length=20)
    revision: int | None = None
    note: str = Field("", max_length=1000)


class ActivityIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(..., max_length=10)
    note: str = Field(..., max_length=1000)


class ActivityOut(Schema):
    at: datetime
    kind: str
    action: str
    from_state: str
    to_state: str
    note: str


class LinkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    talent_id: uuid.UUID


class RewardOut(Schema):
    award: uuid.UUID
    landed_grade: str
    amount: Decimal

    @staticmethod
    def resolve_award(obj: object) -> uuid.UUID:
        return obj.award_id  # type: ignore[attr-defined]


class EventOut(Schema):
    id: uuid.UUID
    title: str
    kind: str
    venue: str
    starts_at: datetime
    capacity: int


class RegisterIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., max_length=100)
    phone: str = Field(..., max_length=25)


class RegistrationOut(Schema):
    id: uuid.UUID
    event: uuid.UUID
    code: str
    checked_in_at: datetime | None

    @staticmethod
    def resolve_event(obj: object) -> uuid.UUID:
        return obj.event_id  # type: ignore[attr-defined]


class CheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(..., max_length=200)


class CheckedInOut(Schema):
    registration: uuid.UUID
    checked_in_at: datetime


class EventLeadsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    station: uuid.UUID | None = None


class EventLeadsOut(Schema):
    leads: int


# --- stations -----------------------------------------------------------------------------------------------


@router.get("/stations", response=list[StationOut], openapi_extra=api_access("scoped"))
def stations_list(request: HttpRequest) -> object:
    """The stations the caller sees: every one for the office, its own for a partner."""
    return selectors.stations(viewer=request.user)


def _station_input(payload: StationIn) -> services.StationInput:
    data = payload.dict()
    unit = OrgUnit.objects.filter(code=data.pop("partner_unit"), is_active=True).first()
    return services.StationInput(partner_unit=unit, **data)


@router.post("/stations", response={201: StationOut}, openapi_extra=api_access("scoped"))
def stations_create(request: AuthedRequest, payload: StationIn) -> object:
    return Status(201, services.station_save(actor=request.user, data=_station_input(payload)))


@router.get("/stations/{uuid:station_id}", response=StationOut, openapi_extra=api_access("scoped"))
def stations_get(request: HttpRequest, station_id: uuid.UUID) -> object:
    return selectors.station_get(viewer=request.user, station_id=station_id)


@router.get("/scorecards", response=list[ScorecardOut], openapi_extra=api_access("scoped"))
def stations_scorecards(request: HttpRequest) -> object:
    """Per station: contacts, verified contacts, credited persons, stages reached, landed by grade and
    rewards."""
    return [
        {
            "station": c.station.pk,
            "name": c.station.display_name,
            "contacts": c.contacts,
            "verified": c.verified,
            "credited": c.credited,
            "interested": c.interested,
            "visited": c.visited,
            "signed": c.signed,
            "landed": c.landed,
            "landed_by_grade": c.landed_by_grade,
            "rewarded": c.rewarded,
        }
        for c in selectors.scorecards(viewer=request.user)
    ]


# --- leads --------------------------------------------------------------------------------------------------


@router.get("/leads", response=list[LeadOut], openapi_extra=api_access("scoped"))
@paginate(Pages, page_size=50)
def leads_list(request: HttpRequest, state: str = "", phone: str = "", email: str = "") -> object:
    """The leads the caller sees (a partner: its station's, with cross-border consent); ``phone``/``email``
    find a person exactly (blind index)."""
    return selectors.leads(viewer=request.user, state=state, phone=phone[:25], email=email[:120])


@router.post("/leads", response={201: LeadOut}, openapi_extra=api_access("scoped"))
def leads_create(request: AuthedRequest, payload: LeadIn) -> object:
    data = payload.dict()
    station_id = data.pop("station")
    station = None
    if station_id is not None:
        station = Station.objects.filter(pk=station_id).first()
        if station is None:
            raise ValidationFailed(fields={"station": [_("No station has this id.")]})
    return Status(
        201, services.lead_create(actor=request.user, data=services.LeadInput(**data), station=station)
    )


@router.get("/leads/{uuid:lead_id}", response=LeadOut, openapi_extra=api_access("scoped"))
def leads_get(request: HttpRequest, lead_id: uuid.UUID) -> object:
    return selectors.lead_get(viewer=request.user, lead_id=lead_id)


@router.get(
    "/leads/{uuid:lead_id}/activities", response=list[ActivityOut], openapi_extra=api_access("scoped")
)
def leads_activities(request: HttpRequest, lead_id: uuid.UUID) -> object:
    return list(selectors.lead_get(viewer=request.user, lead_id=lead_id).activities.all())


@router.post(
    "/leads/{uuid:lead_id}/activities", response={201: ActivityOut}, openapi_extra=api_access("scoped")
)
def leads_activity_add(request: AuthedRequest, lead_id: uuid.UUID, payload: ActivityIn) -> object:
    lead = selectors.lead_get(viewer=request.user, lead_id=lead_id)
    return Status(
        201, services.activity_add(actor=request.user, lead=lead, kind=payload.kind, note=payload.note)
    )


@router.post("/leads/{uuid:lead_id}/move", response=LeadOut, openapi_extra=api_access("scoped"))
def leads_move(request: AuthedRequest, lead_id: uuid.UUID, payload: MoveIn) -> object:
    """Move the lead a stage (interest, visit, sign, land, drop with a note); a stale ``revision`` is a
    409."""
    lead = selectors.lead_get(viewer=request.user, lead_id=lead_id)
    return lead_transition(
        actor=request.user,
        lead=lead,
        action=payload.action,
        expected_revision=payload.revision,
        note=payload.note,
    )


@router.post("/leads/{uuid:lead_id}/consent", response=LeadOut, openapi_extra=api_access("scoped"))
def leads_consent(request: AuthedRequest, lead_id: uuid.UUID, payload: ConsentIn) -> object:
    require_perm(request.user, StationPerm.MANAGE)
    lead = selectors.lead_get(viewer=request.user, lead_id=lead_id)
    return services.lead_consent(
        actor=request.user, lead=lead, consent_ref=payload.consent_ref, granted=payload.granted
    )


@router.post("/leads/{uuid:lead_id}/verify", response=LeadOut, openapi_extra=api_access("scoped"))
def leads_verify(request: AuthedRequest, lead_id: uuid.UUID) -> object:
    """Verify the station's contact; ``credited`` says whether it was the first verified for this person."""
    require_perm(request.user, StationPerm.MANAGE)
    lead = selectors.lead_get(viewer=request.user, lead_id=lead_id)
    return services.lead_verify(actor=request.user, lead=lead)


@router.post("/leads/{uuid:lead_id}/link", response=LeadOut, openapi_extra=api_access("scoped"))
def leads_link(request: AuthedRequest, lead_id: uuid.UUID, payload: LinkIn) -> object:
    require_perm(request.user, StationPerm.MANAGE)
    lead = selectors.lead_get(viewer=request.user, lead_id=lead_id)
    talent = talent_get(viewer=request.user, talent_id=payload.talent_id)
    return services.lead_link(actor=request.user, lead=lead, talent=talent)


@router.post("/leads/{uuid:lead_id}/reward", response={201: RewardOut}, openapi_extra=api_access("scoped"))
def leads_reward(request: AuthedRequest, lead_id: uuid.UUID) -> object:
    """Make the landing reward in the payout ledger (once per talent)."""
    require_perm(request.user, StationPerm.MANAGE)
    lead = selectors.lead_get(viewer=request.user, lead_id=lead_id)
    return Status(201, services.reward_make(actor=request.user, lead=lead))


# --- events -------------------------------------------------------------------------------------------------


@router.get("/events", response=list[EventOut], openapi_extra=api_access("public"), auth=None)
def events_open(request: HttpRequest) -> object:
    """Events open for registration."""
    return list(selectors.open_events()[:100])


@router.post(
    "/events/{uuid:event_id}/register", response={201: RegistrationOut}, openapi_extra=api_access("own")
)
def events_register(request: AuthedRequest, event_id: uuid.UUID, payload: RegisterIn) -> object:
    """The signed-in person's place at an open event (a talent's is linked to their archive record)."""
    if RoleKind.TALENT not in request.user.role_kinds():
        raise PermissionDenied(_("Only a talent's account registers here; anyone may use the event's page."))
    event = selectors.open_event_get(event_id)
    talent = talent_own_archive(viewer=request.user, related=False)
    return Status(
        201,
        services.register(
            actor=request.user, event=event, talent=talent, name=payload.name, phone=payload.phone
        ),
    )


@router.get("/me/registrations", response=list[RegistrationOut], openapi_extra=api_access("own"))
def events_mine(request: HttpRequest) -> object:
    return list(selectors.own_registrations(viewer=request.user)[:100])


@router.post("/events/{uuid:event_id}/check-in", response=CheckedInOut, openapi_extra=api_access("scoped"))
def events_check_in(request: AuthedRequest, event_id: uuid.UUID, payload: CheckInIn) -> object:
    """Check in the attendee whose QR carries ``code``; a second time is a 409 saying when they came."""
    event = selectors.event_get(viewer=request.user, event_id=event_id)
    done = services.check_in(actor=request.user, event=event, code=payload.code)
    return {"registration": done.pk, "checked_in_at": done.checked_in_at}


@router.post("/events/{uuid:event_id}/leads", response=EventLeadsOut, openapi_extra=api_access("scoped"))
def events_leads(request: AuthedRequest, event_id: uuid.UUID, payload: EventLeadsIn) -> object:
    """Turn the checked-in attendees who are not leads yet into leads of the event's (or the given)
    station."""
    event = selectors.event_get(viewer=request.user, event_id=event_id)
    station = Station.objects.filter(pk=payload.station).first() if payload.station else None
    return {"leads": services.event_leads(actor=request.user, event=event, station=station)}
