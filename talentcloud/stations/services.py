"""Writes of workstations, leads and events (ADR 0034). Each takes ``actor=`` and appends its audit event in
its transaction; event details hold ids, never personal data.

The first verified contact wins: verifying a lead's contact claims every key the person is known by (the
blind indexes of the mobile number and e-mail, and the archive record once linked) in ``Credit``, whose key
is unique; a lead whose person is already claimed is verified as a duplicate of the first, credited with
nothing. A landing reward is made once per talent in the payout ledger (``payouts.services.award_make``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import blind_index
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.payouts.enums import AwardSource, Cadence
from talentcloud.payouts.services import award_make
from talentcloud.policies.models import Policy
from talentcloud.talents.consents import consent_set
from talentcloud.talents.models import Talent

from .enums import ActivityKind, EventKind, LeadSource, LeadState, StationKind
from .models import Credit, Event, Lead, LeadActivity, Registration, Reward, RewardRate, Station
from .permissions import StationPerm
from .workflow import roles_on

if TYPE_CHECKING:
    from talentcloud.accounts.models import OrgUnit, User

PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,19}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _clean_phone(value: str) -> str:
    return re.sub(r"[ \-]", "", (value or "").strip())


def _check_phone(value: str, errors: dict[str, list[Any]], *, required: bool) -> str:
    raw = (value or "").strip()
    if not raw:
        if required:
            errors["phone"] = [_("Enter a mobile number.")]
        return ""
    if not PHONE.match(raw):
        errors["phone"] = [_("Enter a mobile number of 6 to 20 digits (a leading + allowed).")]
    return _clean_phone(raw)


# --- stations -----------------------------------------------------------------------------------------------


@dataclass
class StationInput:
    name: str
    kind: str
    country: str
    city: str
    partner: str
    partner_unit: OrgUnit | None
    name_en: str = ""
    manager: User | None = None
    transfer_agreement: str = ""
    payee_account: str = ""
    active: bool = True


@transaction.atomic
def station_save(*, actor: User, data: StationInput, station: Station | None = None) -> Station:
    require_perm(actor, StationPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    for name in ("name", "country", "city", "partner"):
        if not str(getattr(data, name) or "").strip():
            errors[name] = [_("This field is required.")]
    if data.kind not in StationKind.values:
        errors["kind"] = [_("Choose the kind of station.")]
    if data.partner_unit is None or data.partner_unit.kind != UnitKind.EXTERNAL:
        errors["partner_unit"] = [_("The partner's accounts belong to an external unit.")]
    elif (
        Station.objects.filter(partner_unit=data.partner_unit)
        .exclude(pk__in=[station.pk] if station is not None else [])
        .exists()
    ):
        errors["partner_unit"] = [_("This unit already runs another station.")]
    if data.kind == StationKind.OVERSEAS and not data.transfer_agreement.strip():
        errors["transfer_agreement"] = [
            _("An overseas station needs its cross-border transfer agreement (PIPL art. 38).")
        ]
    account = "".join((data.payee_account or "").split())
    if account and not (account.isdigit() and 12 <= len(account) <= 30):
        errors["payee_account"] = [_("A bank account is 12 to 30 digits.")]
    name_taken = Station.objects.filter(name=data.name.strip()).exclude(
        pk__in=[station.pk] if station is not None else []
    )
    if data.name.strip() and name_taken.exists():
        errors["name"] = [_("Another station has this name.")]
    if errors:
        raise ValidationFailed(fields=errors)
    target = station or Station()
    for name in ("name", "name_en", "kind", "country", "city", "partner", "transfer_agreement"):
        setattr(target, name, str(getattr(data, name) or "").strip())
    target.partner_unit = data.partner_unit  # type: ignore[assignment]
    target.manager = data.manager
    target.payee_account = account
    target.active = data.active
    target.save()
    audit_record(
        actor=actor,
        action="station.save",
        object_type="station",
        object_id=target.pk,
        details={"new": station is None, "kind": target.kind, "unit": target.partner_unit.code},
    )
    return target


def partner_station(user: Any) -> Station | None:
    """The active station whose partner unit the signed-in user belongs to (a partner's account), else
    None."""
    if not has_perm(user, StationPerm.PARTNER) or user.unit_id is None:
        return None
    return Station.objects.filter(partner_unit_id=user.unit_id, active=True).first()


# --- leads --------------------------------------------------------------------------------------------------


@dataclass
class LeadInput:
    name: str
    phone: str = ""
    email: str = ""
    country: str = ""
    field: str = ""
    contacted_on: date | None = None
    consent: bool = False
    consent_ref: str = ""


def _station_for(actor: User, station: Station | None) -> Station:
    """The station a lead is recorded for: a partner's own (whatever is asked), or the office's choice."""
    own = partner_station(actor)
    if own is not None:
        if station is not None and station.pk != own.pk:
            raise PermissionDenied(_("You may record leads for your own station only."))
        return own
    require_perm(actor, StationPerm.MANAGE)
    if station is None:
        raise ValidationFailed(fields={"station": [_("Choose a station.")]})
    return station


@transaction.atomic
def lead_create(*, actor: User, data: LeadInput, station: Station | None = None) -> Lead:
    """A person a station contacted. A partner records a lead only with the person's separate consent to
    cross-border provision (the partner abroad holds the data from the start); the office may record one
    without it, which the partner then does not see until the consent is recorded."""
    target = _station_for(actor, station)
    errors: dict[str, list[Any]] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = [_("Enter the person's name.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    phone = _check_phone(data.phone, errors, required=False)
    email = (data.email or "").strip().lower()
    if email and not EMAIL.match(email):
        errors["email"] = [_("Enter a valid e-mail address.")]
    if not phone and not email and "phone" not in errors:
        errors["phone"] = [_("Enter a mobile number or an e-mail address to reach the person.")]
    contacted = data.contacted_on or timezone.localdate()
    if contacted > timezone.localdate():
        errors["contacted_on"] = [_("The first contact cannot be in the future.")]
    from_partner = partner_station(actor) is not None
    if from_partner and not data.consent:
        errors["consent"] = [
            _(
                "Record the person's separate consent to provision abroad before recording them "
                "(PIPL art. 39)."
            )
        ]
    if data.consent and not data.consent_ref.strip():
        errors["consent_ref"] = [_("Say where the consent is kept (form number or file).")]
    if errors:
        raise ValidationFailed(fields=errors)
    lead = Lead.objects.create(
        station=target,
        name=name,
        phone=phone,
        email=email,
        country=(data.country or "").strip()[:60],
        field=(data.field or "").strip()[:100],
        contacted_on=contacted,
        consent_at=timezone.now() if data.consent else None,
        consent_ref=data.consent_ref.strip()[:120] if data.consent else "",
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="station_lead.create",
        object_type="station_lead",
        object_id=lead.pk,
        details={"station": str(target.pk), "consent": data.consent, "source": LeadSource.DIRECT},
    )
    return lead


@transaction.atomic
def lead_consent(*, actor: User, lead: Lead, consent_ref: str, granted: bool = True) -> Lead:
    """Record (or withdraw) the person's consent to cross-border provision; with the archive record linked,
    the talent's consent history gets the same answer (purpose ``cross_border``)."""
    require_perm(actor, StationPerm.MANAGE)
    ref = (consent_ref or "").strip()
    if granted and not ref:
        raise ValidationFailed(
            fields={"consent_ref": [_("Say where the consent is kept (form number or file).")]}
        )
    now = timezone.now()
    if granted:
        Lead.objects.filter(pk=lead.pk).update(
            consent_at=now, consent_ref=ref[:120], consent_withdrawn_at=None
        )
    else:
        if lead.consent_at is None:
            raise Conflict(_("No consent is recorded for this lead."))
        Lead.objects.filter(pk=lead.pk).update(consent_withdrawn_at=now)
    if lead.talent_id is not None:
        consent_set(actor=actor, talent=lead.talent, purpose="cross_border", granted=granted)  # type: ignore[arg-type]
    audit_record(
        actor=actor,
        action="station_lead.consent",
        object_type="station_lead",
        object_id=lead.pk,
        details={"granted": granted},
    )
    lead.refresh_from_db()
    return lead


def index_of(model: Any, field_name: str, value: str) -> str:
    """The blind index ``model.field_name`` holds for ``value`` (each model's index has its own purpose)."""
    return blind_index(value, purpose=model._meta.get_field(field_name).purpose())


def person_keys(lead: Lead) -> list[str]:
    keys = []
    if lead.phone_index:
        keys.append(f"phone:{lead.phone_index}")
    if lead.email_index:
        keys.append(f"email:{lead.email_index}")
    if lead.talent_id is not None:
        keys.append(f"talent:{lead.talent_id}")
    return keys


def _claim(lead: Lead) -> Lead | None:
    """Claim the lead's person for it; returns the lead that holds the person already (None: claimed now)."""
    keys = person_keys(lead)
    held = Credit.objects.filter(key__in=keys).exclude(lead=lead).select_related("lead").first()
    if held is not None:
        return held.lead
    try:
        with transaction.atomic():
            # Every key at once: if another verification committed one of them since the read above, the
            # unique key refuses the insert (never a silent skip, which would credit two leads).
            Credit.objects.bulk_create([Credit(key=key, lead=lead) for key in keys])
    except IntegrityError:
        # Another station's contact was verified at the same moment and committed first: it holds the person.
        held = Credit.objects.filter(key__in=keys).exclude(lead=lead).select_related("lead").first()
        if held is None:  # pragma: no cover - a unique violation names a key someone holds
            raise
        return held.lead
    return None


@transaction.atomic
def lead_verify(*, actor: User, lead: Lead) -> Lead:
    """The office verifies a station's contact (it happened, with this person). The first verified contact
    of a person is credited with them; a later one is kept as a duplicate of it."""
    require_perm(actor, StationPerm.MANAGE)
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    if locked.verified_at is not None:
        raise Conflict(_("This contact was verified already."))
    first = _claim(locked)
    locked.verified_at = timezone.now()
    locked.verified_by = actor
    locked.credited = first is None
    locked.duplicate_of = first
    locked.save(update_fields=["verified_at", "verified_by", "credited", "duplicate_of", "updated_at"])
    audit_record(
        actor=actor,
        action="station_lead.verify",
        object_type="station_lead",
        object_id=locked.pk,
        details={"credited": locked.credited, "first": str(first.pk) if first else ""},
    )
    return locked


def archive_matches(lead: Lead) -> list[Talent]:
    """Archive records with the lead's mobile number (found by the archive's own blind index)."""
    if not lead.phone:
        return []
    index = index_of(Talent, "phone_index", lead.phone)
    return list(Talent.objects.filter(phone_index=index).only("pk", "name", "arrived_on", "grade")[:5])


@transaction.atomic
def lead_link(*, actor: User, lead: Lead, talent: Talent) -> Lead:
    """Link the lead to the talent's archive record. A credited lead also claims the record: if another
    station's lead holds it, the one verified first keeps the credit."""
    require_perm(actor, StationPerm.MANAGE)
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    if locked.talent_id is not None and locked.talent_id != talent.pk:
        raise Conflict(_("This lead is linked to another archive record already."))
    locked.talent = talent
    locked.save(update_fields=["talent", "updated_at"])
    if locked.credited:
        key = f"talent:{talent.pk}"
        held = Credit.objects.filter(key=key).exclude(lead=locked).select_related("lead").first()
        if held is None:
            Credit.objects.get_or_create(key=key, defaults={"lead": locked})
        else:
            first, later = sorted((held.lead, locked), key=lambda x: (x.verified_at, str(x.pk)))
            if Reward.objects.filter(lead=later).exists():
                raise Conflict(_("The other station's lead was rewarded for this talent already."))
            Credit.objects.filter(lead=later).update(lead=first)
            Lead.objects.filter(pk=later.pk).update(credited=False, duplicate_of=first)
            Lead.objects.filter(pk=first.pk).update(credited=True, duplicate_of=None)
    if locked.consented:
        consent_set(actor=actor, talent=talent, purpose="cross_border", granted=True)
    audit_record(
        actor=actor,
        action="station_lead.link",
        object_type="station_lead",
        object_id=locked.pk,
        details={"talent": str(talent.pk)},
    )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def activity_add(*, actor: User, lead: Lead, kind: str, note: str) -> LeadActivity:
    if not roles_on(actor, lead):
        raise PermissionDenied(_("You may not do this on this lead."))
    errors: dict[str, list[Any]] = {}
    if kind not in ActivityKind.values or kind == ActivityKind.MOVE:
        errors["kind"] = [_("Choose what happened.")]
    text = (note or "").strip()
    if not text:
        errors["note"] = [_("Say what happened.")]
    elif len(text) > 1000:
        errors["note"] = [_("At most 1000 characters.")]
    if errors:
        raise ValidationFailed(fields=errors)
    activity = LeadActivity.objects.create(lead=lead, actor=actor, kind=kind, note=text)
    audit_record(
        actor=actor,
        action="station_lead.activity",
        object_type="station_lead",
        object_id=lead.pk,
        details={"kind": kind},
    )
    return activity


# --- rewards ------------------------------------------------------------------------------------------------


@transaction.atomic
def rate_set(*, actor: User, for_grade: str, amount: Decimal, policy_code: str) -> RewardRate:
    require_perm(actor, StationPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    if for_grade not in ("", "A", "B", "C", "D", "E"):
        errors["for_grade"] = [_("Choose a grade.")]
    if amount is None or amount <= 0:
        errors["amount"] = [_("The amount must be more than zero.")]
    if not Policy.objects.filter(code=policy_code, status="published").exists():
        errors["policy_code"] = [_("No published policy has this code.")]
    if errors:
        raise ValidationFailed(fields=errors)
    rate, _created = RewardRate.objects.update_or_create(
        for_grade=for_grade, defaults={"amount": amount, "policy_code": policy_code}
    )
    audit_record(
        actor=actor,
        action="station_reward.rate",
        object_type="station_reward_rate",
        object_id=rate.pk,
        details={"grade": for_grade, "amount": str(amount), "policy": policy_code},
    )
    return rate


def reward_make(*, actor: User, lead: Lead, starts: date | None = None) -> Reward:
    """The landing reward for a credited, landed lead: an award in the payout ledger, paid to the station's
    account, by the talent's grade. Once per talent: a second call, or the other station's lead on the same
    talent, is refused."""
    require_perm(actor, StationPerm.MANAGE)
    with transaction.atomic():
        locked = (
            Lead.objects.select_for_update(of=("self",)).select_related("station", "talent").get(pk=lead.pk)
        )
        if locked.state != LeadState.LANDED or locked.talent is None:
            raise Conflict(_("Only a landed lead is rewarded."))
        if not locked.credited:
            raise Conflict(
                _("Another station's contact with this person was verified first: it has the credit.")
            )
        if Reward.objects.filter(talent=locked.talent).exists():
            raise Conflict(_("The landing of this talent was rewarded already."))
        talent = locked.talent
        rate = RewardRate.objects.filter(for_grade=talent.grade).first()
        if rate is None:
            raise ValidationFailed(
                fields={
                    "for_grade": [_("No reward rate for grade “%(grade)s”.") % {"grade": talent.grade or "-"}]
                }
            )
        policy = Policy.objects.filter(code=rate.policy_code, status="published").first()
        if policy is None:
            raise ValidationFailed(fields={"policy_code": [_("No published policy has this code.")]})
        if not locked.station.payee_account:
            raise ValidationFailed(fields={"payee_account": [_("The station has no reward account.")]})
        award = award_make(
            actor=actor,
            policy=policy,
            talent=talent,
            source=AwardSource.MILESTONE,
            source_ref=f"station:{locked.pk}"[:80],
            period_amount=rate.amount,
            periods=1,
            cadence=Cadence.ONCE,
            starts=starts or timezone.localdate(),
            payee_account=locked.station.payee_account,
            snapshot={"station": str(locked.station_id), "lead": str(locked.pk), "grade": talent.grade},
        )
        try:
            with transaction.atomic():
                reward = Reward.objects.create(
                    lead=locked,
                    talent=talent,
                    award=award,
                    landed_grade=talent.grade,
                    amount=rate.amount,
                    made_by=actor,
                )
        except IntegrityError:
            raise Conflict(_("The landing of this talent was rewarded already.")) from None
        audit_record(
            actor=actor,
            action="station_reward.make",
            object_type="station_lead",
            object_id=locked.pk,
            details={"award": str(award.pk), "grade": talent.grade, "amount": str(rate.amount)},
        )
    return reward


# --- events -------------------------------------------------------------------------------------------------


@dataclass
class EventInput:
    title: str
    kind: str
    venue: str
    starts_at: Any
    capacity: int = 100
    station: Station | None = None
    summary: str = ""
    published: bool = True


@transaction.atomic
def event_save(*, actor: User, data: EventInput, event: Event | None = None) -> Event:
    require_perm(actor, StationPerm.EVENTS)
    errors: dict[str, list[Any]] = {}
    if not data.title.strip():
        errors["title"] = [_("Enter a title.")]
    if data.kind not in EventKind.values:
        errors["kind"] = [_("Choose the kind of event.")]
    if not data.venue.strip():
        errors["venue"] = [_("Enter the venue.")]
    if data.starts_at is None:
        errors["starts_at"] = [_("Enter when the event starts.")]
    if not data.capacity or data.capacity < 1:
        errors["capacity"] = [_("At least one place.")]
    if errors:
        raise ValidationFailed(fields=errors)
    target = event or Event(created_by=actor)
    target.title, target.kind, target.venue = data.title.strip(), data.kind, data.venue.strip()
    target.starts_at, target.capacity, target.station = data.starts_at, data.capacity, data.station
    target.summary, target.published = data.summary.strip(), data.published
    target.save()
    audit_record(
        actor=actor,
        action="station_event.save",
        object_type="station_event",
        object_id=target.pk,
        details={"new": event is None, "kind": target.kind},
    )
    return target


@transaction.atomic
def register(
    *, actor: Any, event: Event, name: str, phone: str, talent: Talent | None = None
) -> Registration:
    """A place at an event for a signed-in talent (``talent``: their archive record, if any) or a guest
    (name and mobile number only). One place per mobile number; not beyond the event's places."""
    errors: dict[str, list[Any]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Enter your name.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    number = _check_phone(phone, errors, required=True)
    if errors:
        raise ValidationFailed(fields=errors)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if not locked.published:
        raise Conflict(_("This event is not open for registration."))
    if locked.starts_at < timezone.now():
        raise Conflict(_("This event has started: registration is closed."))
    if locked.registrations.count() >= locked.capacity:
        raise Conflict(_("This event is full."))
    account = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=locked, account=account, talent=talent, name=name, phone=number
            )
    except IntegrityError:
        raise ValidationFailed(
            fields={"phone": [_("This mobile number is registered for the event already.")]}
        ) from None
    audit_record(
        actor=account,
        actor_username="" if account is not None else "guest",
        action="station_event.register",
        object_type="station_event",
        object_id=locked.pk,
        details={"registration": str(registration.pk), "talent": str(talent.pk) if talent else ""},
    )
    return registration


def check_in(*, actor: User, event: Event, code: str) -> Registration:
    """Check in the attendee whose QR carries ``code``: once; a second scan says when they came."""
    require_perm(actor, StationPerm.EVENTS)
    code = (code or "").strip()
    if "/" in code:  # a scanner may type the whole URL the QR holds
        code = code.rstrip("/").rsplit("/", 1)[-1]
    if not code:
        raise ValidationFailed(fields={"code": [_("Scan or type the registration code.")]})
    registration = Registration.objects.filter(event=event, code=code).first()
    if registration is None:
        raise ValidationFailed(fields={"code": [_("No registration for this event has this code.")]})
    with transaction.atomic():
        moved = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
            checked_in_at=timezone.now(), checked_in_by=actor
        )
        if not moved:
            registration.refresh_from_db()
            raise Conflict(
                _("Checked in already at %(time)s.")
                % {"time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")}
            )
        audit_record(
            actor=actor,
            action="station_event.check_in",
            object_type="station_event",
            object_id=event.pk,
            details={"registration": str(registration.pk)},
        )
    registration.refresh_from_db()
    return registration


@transaction.atomic
def event_leads(*, actor: User, event: Event, station: Station | None = None) -> int:
    """Every checked-in attendee who is not a lead yet becomes one of the event's station (or ``station``):
    source ``event``, first contact on the event's day, without cross-border consent (recorded later)."""
    require_perm(actor, StationPerm.EVENTS)
    target = station or event.station
    if target is None:
        raise ValidationFailed(fields={"station": [_("Choose the station the attendees flow to.")]})
    attendees = Registration.objects.filter(event=event, checked_in_at__isnull=False, lead__isnull=True)
    day = timezone.localtime(event.starts_at).date()
    made = 0
    for registration in attendees:
        Lead.objects.create(
            station=target,
            name=registration.name,
            phone=registration.phone,
            source=LeadSource.EVENT,
            registration=registration,
            contacted_on=min(day, timezone.localdate()),
            talent=registration.talent,
            created_by=actor,
        )
        made += 1
    audit_record(
        actor=actor,
        action="station_event.leads",
        object_type="station_event",
        object_id=event.pk,
        details={"station": str(target.pk), "count": made},
    )
    return made
