"""The campaigns app's writes: campaigns and sessions (the office), registration and applications (talents).
Every write has an actor and an audit event in its transaction; moves go through ``workflow.py``."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.recruitment.enums import DemandState
from talentcloud.recruitment.models import Demand, Major
from talentcloud.talents.enums import Degree

from .channels import parse_via
from .enums import CampaignState, TargetGroup
from .models import Campaign, FairSession, JobApplication, SessionRegistration
from .permissions import CampaignPerm


@dataclass
class CampaignInput:
    title: str
    target: str
    starts_on: dt.date
    ends_on: dt.date
    intro: str = ""
    majors: list[Major] = field(default_factory=list)
    chain: Any = None
    posts: list[Demand] = field(default_factory=list)


def campaign_errors(data: CampaignInput) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give the campaign a title.")]
    if data.target not in TargetGroup.values:
        errors["target"] = [_("Choose a target group.")]
    if data.ends_on < data.starts_on:
        errors["ends_on"] = [_("The campaign cannot end before it starts.")]
    if data.target == TargetGroup.CHAIN and data.chain is None:
        errors["chain"] = [_("A campaign for a chain names the chain.")]
    not_open = [str(d.post.name) for d in data.posts if d.state != DemandState.OPEN]
    if not_open:
        errors["posts"] = [
            _("Only approved, open demand can be listed: %(posts)s.") % {"posts": "、".join(not_open)}
        ]
    return errors


def campaign_save(*, actor: User, data: CampaignInput, campaign: Campaign | None = None) -> Campaign:
    """Draft a campaign, or change a draft or published one (a closed one stays as it was)."""
    require_perm(actor, CampaignPerm.MANAGE)
    errors = campaign_errors(data)
    if errors:
        raise ValidationFailed(fields=errors)
    if campaign is not None and campaign.state == CampaignState.CLOSED:
        raise Conflict(_("A closed campaign no longer changes."))
    with transaction.atomic():
        created = campaign is None
        if campaign is None:
            campaign = Campaign(created_by=actor)
        campaign.title = data.title.strip()
        campaign.intro = data.intro
        campaign.target = data.target
        campaign.chain = data.chain
        campaign.starts_on = data.starts_on
        campaign.ends_on = data.ends_on
        campaign.save()
        campaign.majors.set(data.majors)
        campaign.posts.set(data.posts)
        audit_record(
            actor=actor,
            action="campaign.create" if created else "campaign.edit",
            object_type="campaign",
            object_id=campaign.pk,
            details={"posts": len(data.posts), "target": data.target},
        )
    return campaign


@dataclass
class SessionInput:
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    campaign: Campaign | None = None
    posts: list[Demand] = field(default_factory=list)


def session_create(*, actor: User, data: SessionInput) -> FairSession:
    require_perm(actor, CampaignPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give the session a title.")]
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = [_("The session must close after it opens.")]
    not_open = [str(d.post.name) for d in data.posts if d.state != DemandState.OPEN]
    if not_open:
        errors["posts"] = [
            _("Only approved, open demand can be listed: %(posts)s.") % {"posts": "、".join(not_open)}
        ]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        session = FairSession.objects.create(
            title=data.title.strip(),
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            campaign=data.campaign,
            created_by=actor,
        )
        session.posts.set(data.posts)
        audit_record(
            actor=actor,
            action="fair_session.create",
            object_type="fair_session",
            object_id=session.pk,
            details={"posts": len(data.posts)},
        )
    return session


def _talent(actor: User) -> None:
    if "talent" not in actor.role_kinds():
        raise PermissionDenied(_("Only a talent's own account applies and registers."))


def session_register(*, actor: User, session: FairSession) -> SessionRegistration:
    """A talent registers for a session (once; again is no change), before it closes."""
    _talent(actor)
    if session.ends_at <= timezone.now():
        raise Conflict(_("This job fair session has closed."))
    with transaction.atomic():
        registration, created = SessionRegistration.objects.get_or_create(session=session, account=actor)
        if created:
            audit_record(
                actor=actor, action="fair_session.register", object_type="fair_session", object_id=session.pk
            )
    return registration


@dataclass
class ApplyInput:
    degree: str
    consent: bool
    major: Major | None = None
    statement: str = ""
    via: str = ""


def application_create(*, actor: User, demand: Demand, data: ApplyInput) -> JobApplication:
    """A talent applies to an open post, through the channel ``data.via`` names (checked by the channel
    registry), having consented that the enterprise reads the profile they send. Once per post."""
    _talent(actor)
    errors: dict[str, list[Any]] = {}
    if not data.consent:
        errors["consent"] = [_("The enterprise sees your application only with your consent.")]
    if data.degree not in Degree.values:
        errors["degree"] = [_("Choose your highest degree.")]
    if len(data.statement) > 2000:
        errors["statement"] = [_("At most 2,000 characters.")]
    if demand.state != DemandState.OPEN or demand.deadline < timezone.localdate():
        errors["__all__"] = [_("This post no longer takes applications.")]
    if errors:
        raise ValidationFailed(fields=errors)
    via = parse_via(data.via, demand=demand, account=actor)
    with transaction.atomic():
        try:
            with transaction.atomic():
                application = JobApplication.objects.create(
                    demand=demand,
                    applicant=actor,
                    degree=data.degree,
                    major=data.major,
                    statement=data.statement,
                    consent_at=timezone.now(),
                    channel=via.kind,
                    channel_ref=via.ref,
                    campaign_id=uuid.UUID(via.ref) if via.kind == "campaign" else None,
                    session_id=uuid.UUID(via.ref) if via.kind == "session" else None,
                )
        except IntegrityError:
            raise Conflict(_("You have already applied to this post.")) from None
        application.events.create(actor=actor, action="apply", from_state="", to_state=application.state)
        audit_record(
            actor=actor,
            action="job_application.apply",
            object_type="job_application",
            object_id=application.pk,
            details={"demand": str(demand.pk), "channel": via.kind},
        )
    return application


def slots_from_text(values: list[str], place: str) -> list[tuple[dt.datetime, str]]:
    """Interview times as a form sends them (``YYYY-MM-DDTHH:MM``, local time), each in the future."""
    slots: list[tuple[dt.datetime, str]] = []
    problems: list[Any] = []
    now = timezone.now()
    for value in values:
        value = (value or "").strip()
        if not value:
            continue
        try:
            naive = dt.datetime.fromisoformat(value)
        except ValueError:
            problems.append(_("“%(value)s” is not a date and time.") % {"value": value[:20]})
            continue
        when = timezone.make_aware(naive) if timezone.is_naive(naive) else naive
        if when <= now:
            problems.append(_("%(value)s has passed.") % {"value": value[:20]})
            continue
        slots.append((when, place))
    if problems:
        raise ValidationFailed(fields={"slots": problems})
    if slots and not place.strip():
        raise ValidationFailed(fields={"place": [_("Say where, or the link of the online interview.")]})
    return slots
