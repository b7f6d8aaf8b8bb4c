"""Reads of workstations, leads and events with their data scope: the office (``stations.view``) sees every
station; a partner's account sees its own station, and of its leads only those whose person consented to
the cross-border provision (PIPL arts. 38–39). Every door (list, detail, search, export, API) reads
through here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from talentcloud.accounts.permissions import has_perm
from talentcloud.campaigns.selectors import listed_posts, public_campaigns
from talentcloud.common.errors import NotFound, PermissionDenied

from .enums import LeadState
from .models import Event, Lead, Registration, Reward, RewardRate, Station
from .permissions import StationPerm
from .services import index_of, partner_station

REACHED = {
    LeadState.INTERESTED: (LeadState.INTERESTED, LeadState.VISITED, LeadState.SIGNED, LeadState.LANDED),
    LeadState.VISITED: (LeadState.VISITED, LeadState.SIGNED, LeadState.LANDED),
    LeadState.SIGNED: (LeadState.SIGNED, LeadState.LANDED),
    LeadState.LANDED: (LeadState.LANDED,),
}


def is_office(viewer: Any) -> bool:
    return has_perm(viewer, StationPerm.VIEW)


def stations(*, viewer: Any) -> QuerySet[Station]:
    if is_office(viewer):
        return Station.objects.select_related("partner_unit", "manager")
    own = partner_station(viewer)
    if own is None:
        raise PermissionDenied()
    return Station.objects.filter(pk=own.pk).select_related("partner_unit", "manager")


def station_get(*, viewer: Any, station_id: uuid.UUID | str) -> Station:
    found = stations(viewer=viewer).filter(pk=station_id).first()
    if found is None:
        raise NotFound()
    return found


def leads(
    *, viewer: Any, station: Station | None = None, state: str = "", phone: str = "", email: str = ""
) -> QuerySet[Lead]:
    """The leads the viewer may see; ``phone``/``email``: an exact search through the blind index."""
    if is_office(viewer):
        qs = Lead.objects.all()
    else:
        own = partner_station(viewer)
        if own is None:
            raise PermissionDenied()
        qs = Lead.objects.filter(station=own, consent_at__isnull=False, consent_withdrawn_at__isnull=True)
    if station is not None:
        qs = qs.filter(station=station)
    if state in LeadState.values:
        qs = qs.filter(state=state)
    if phone.strip():
        cleaned = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
        qs = qs.filter(phone_index=index_of(Lead, "phone_index", cleaned))
    if email.strip():
        qs = qs.filter(email_index=index_of(Lead, "email_index", email.strip().lower()))
    return qs.select_related("station", "talent").order_by("-created_at", "id")


def lead_get(*, viewer: Any, lead_id: uuid.UUID | str) -> Lead:
    found = leads(viewer=viewer).filter(pk=lead_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass
class Scorecard:
    station: Station
    contacts: int = 0
    verified: int = 0
    credited: int = 0
    interested: int = 0
    visited: int = 0
    signed: int = 0
    landed: int = 0
    landed_by_grade: dict[str, int] = field(default_factory=dict)
    rewarded: Decimal = Decimal(0)

    @property
    def conversion(self) -> str:
        """Landed per contact, as a percentage."""
        return f"{(100 * self.landed / self.contacts):.1f}%" if self.contacts else "-"


def scorecards(*, viewer: Any) -> list[Scorecard]:
    """Per station the viewer may see: contacts (leads), verified contacts, credited persons, how many
    reached each stage, landed by the talent's grade, and the rewards made: a few grouped queries for all
    stations."""
    chosen = list(stations(viewer=viewer).order_by("name"))
    cards = {s.pk: Scorecard(s) for s in chosen}
    counts = (
        Lead.objects.filter(station__in=list(cards))
        .values("station")
        .annotate(
            contacts=Count("id"),
            verified=Count("id", filter=Q(verified_at__isnull=False)),
            credited=Count("id", filter=Q(credited=True)),
            **{str(stage): Count("id", filter=Q(state__in=states)) for stage, states in REACHED.items()},
        )
    )
    for row in counts:
        card = cards[row["station"]]
        for name in ("contacts", "verified", "credited", "interested", "visited", "signed", "landed"):
            setattr(card, name, row[name])
    landed = (
        Lead.objects.filter(station__in=list(cards), state=LeadState.LANDED)
        .values("station", "talent__grade")
        .annotate(n=Count("id"))
    )
    for row in landed:
        cards[row["station"]].landed_by_grade[row["talent__grade"] or "-"] = row["n"]
    rewards = (
        Reward.objects.filter(lead__station__in=list(cards)).values("lead__station").annotate(t=Sum("amount"))
    )
    for row in rewards:
        cards[row["lead__station"]].rewarded = row["t"] or Decimal(0)
    return [cards[s.pk] for s in chosen]


def rates() -> QuerySet[RewardRate]:
    return RewardRate.objects.all()


def events(*, viewer: Any) -> QuerySet[Event]:
    if not has_perm(viewer, StationPerm.EVENTS):
        raise PermissionDenied()
    return Event.objects.select_related("station").annotate(
        registered=Count("registrations"),
        attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    )


def event_get(*, viewer: Any, event_id: uuid.UUID | str) -> Event:
    found = events(viewer=viewer).filter(pk=event_id).first()
    if found is None:
        raise NotFound()
    return found


def open_events() -> QuerySet[Event]:
    """What the public sees: events open for registration (title, kind, venue, time; no attendee)."""
    return Event.objects.filter(published=True).order_by("starts_at", "id")


def open_event_get(event_id: uuid.UUID | str) -> Event:
    found = open_events().filter(pk=event_id).first()
    if found is None:
        raise NotFound()
    return found


def registrations(*, viewer: Any, event: Event) -> QuerySet[Registration]:
    if not has_perm(viewer, StationPerm.EVENTS):
        raise PermissionDenied()
    return Registration.objects.filter(event=event).select_related("lead").order_by("registered_at", "id")


def own_registrations(*, viewer: Any) -> QuerySet[Registration]:
    if not getattr(viewer, "is_authenticated", False):
        return Registration.objects.none()
    return Registration.objects.filter(account=viewer).select_related("event").order_by("-registered_at")


def own_registration(*, viewer: Any, registration_id: uuid.UUID | str) -> Registration:
    found = own_registrations(viewer=viewer).filter(pk=registration_id).first()
    if found is None:
        raise NotFound()
    return found


def campaign_posts(limit: int = 20) -> list[Any]:
    """Open posts of the running 招贤令 campaigns (public data), for the apply addresses a station or an event
    hands out (``?via=station:<id>`` / ``?via=event:<id>``: the application counts for it)."""
    found: list[Any] = []
    for campaign in public_campaigns().filter(state="published")[:10]:
        for post in listed_posts(campaign)[:limit]:
            if all(p.pk != post.pk for p in found):
                found.append(post)
            if len(found) >= limit:
                return found
    return found
