"""The campaigns app's reads. Campaigns (published or closed) and sessions are public with their posts; an
application is seen by its talent, by the enterprise whose post it answers (``campaigns.answer``), and by the
office within its data scope (``campaigns.manage`` through ``scope_queryset``); nobody else."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm
from talentcloud.accounts.scope import scope_filter
from talentcloud.common.errors import NotFound, OutOfScope
from talentcloud.recruitment.enums import DemandState
from talentcloud.recruitment.models import Demand

from .enums import CampaignState
from .models import Campaign, FairSession, InterviewSlot, JobApplication, SessionRegistration
from .permissions import CampaignPerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

SHOWN = (CampaignState.PUBLISHED, CampaignState.CLOSED)


def public_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(state__in=SHOWN).select_related("chain").order_by("-starts_on", "title")


def public_campaign_get(*, campaign_id: uuid.UUID | str) -> Campaign:
    campaign = public_campaigns().filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return campaign


def listed_posts(owner: Campaign | FairSession) -> QuerySet[Demand]:
    """The open posts a campaign or a session lists."""
    return (
        owner.posts.filter(state=DemandState.OPEN)
        .select_related("enterprise", "post", "chain")
        .prefetch_related("majors", "skills")
        .order_by("enterprise__name", "post__code", "id")
    )


def public_sessions() -> QuerySet[FairSession]:
    return FairSession.objects.select_related("campaign").order_by("-starts_at", "title")


def public_session_get(*, session_id: uuid.UUID | str) -> FairSession:
    session = public_sessions().filter(pk=session_id).first()
    if session is None or (session.campaign is not None and session.campaign.state not in SHOWN):
        raise NotFound()
    return session


def public_post_get(*, demand_id: uuid.UUID | str) -> Demand:
    """An open post that a shown campaign or a session lists (what the portal may show of a demand)."""
    demand = (
        Demand.objects.filter(pk=demand_id, state=DemandState.OPEN)
        .filter(Q(campaigns__state__in=SHOWN) | Q(fair_sessions__isnull=False))
        .select_related("enterprise", "post", "chain")
        .first()
    )
    if demand is None:
        raise NotFound()
    return demand


def post_listed_in(demand: Demand) -> tuple[list[Campaign], list[FairSession]]:
    campaigns = list(demand.campaigns.filter(state=CampaignState.PUBLISHED).order_by("-starts_on"))
    sessions = list(demand.fair_sessions.filter(ends_at__gt=timezone.now()).order_by("starts_at"))
    return campaigns, sessions


def is_registered(*, session: FairSession, account: User | AnonymousUser) -> bool:
    if not isinstance(account, User):
        return False
    return SessionRegistration.objects.filter(session=session, account=account).exists()


# -- applications ----------------------------------------------------------------------------------------


def _visible(viewer: User | AnonymousUser) -> QuerySet[JobApplication]:
    qs = JobApplication.objects.select_related(
        "demand", "demand__post", "enterprise", "applicant", "major", "campaign", "session"
    )
    if not isinstance(viewer, User):
        return qs.none()
    condition = Q(applicant=viewer)
    if has_perm(viewer, CampaignPerm.ANSWER):
        condition |= Q(enterprise__members__user=viewer)
    if has_perm(viewer, CampaignPerm.MANAGE):
        scoped = scope_filter(JobApplication, viewer)
        condition |= Q() if scoped is None else scoped
        if scoped is None:
            return qs
    return qs.filter(condition).distinct()


def application_list(
    *, viewer: User | AnonymousUser, state: str = "", demand: str = "", channel: str = ""
) -> QuerySet[JobApplication]:
    qs = _visible(viewer)
    if state:
        qs = qs.filter(state=state)
    if demand:
        qs = qs.filter(demand_id=demand)
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("-created_at", "id")


def my_applications(*, viewer: User) -> QuerySet[JobApplication]:
    return _visible(viewer).filter(applicant=viewer).order_by("-created_at", "id")


def answerable(*, viewer: User | AnonymousUser) -> QuerySet[JobApplication]:
    """The applicants to the viewer's enterprise's posts (an enterprise account's list)."""
    if not isinstance(viewer, User) or not has_perm(viewer, CampaignPerm.ANSWER):
        return JobApplication.objects.none()
    return _visible(viewer).filter(enterprise__members__user=viewer)


def application_get(*, viewer: User | AnonymousUser, application_id: uuid.UUID | str) -> JobApplication:
    application = _visible(viewer).filter(pk=application_id).first()
    if application is None:
        if JobApplication.objects.filter(pk=application_id).exists():
            raise OutOfScope(object_type="job_application", object_id=application_id)
        raise NotFound()
    return application


def free_slots(application: JobApplication) -> QuerySet[InterviewSlot]:
    return InterviewSlot.objects.filter(
        demand_id=application.demand_id, taken_by__isnull=True, starts_at__gt=timezone.now()
    ).order_by("starts_at", "id")


def chosen_slot(application: JobApplication) -> InterviewSlot | None:
    return InterviewSlot.objects.filter(taken_by=application).first()
