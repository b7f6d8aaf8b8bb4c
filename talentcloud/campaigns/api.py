"""The campaigns API: anyone reads published campaigns and sessions with each post's policy package; a talent
registers, applies (``via``: the channel) and moves their own application; an enterprise lists and answers its
own posts' applicants; the office drafts, publishes and closes campaigns, sets up sessions and reads the
analytics."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict

from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.apikit.pagination import Pages
from talentcloud.common.access import api_access
from talentcloud.common.errors import NotFound, ValidationFailed
from talentcloud.enterprises.models import IndustryChain
from talentcloud.recruitment.models import Demand, Major

from . import analytics, packages, selectors, services
from .models import Campaign
from .permissions import CampaignPerm
from .workflow import application_transition, campaign_transition

router = Router(tags=["campaigns"])


class LineOut(Schema):
    code: str
    title: str
    per_period: Decimal
    period: str
    periods: int
    total: Decimal
    text: str
    source: str


class PackageOut(Schema):
    degree: str
    degree_label: str
    lines: list[LineOut]
    entitlements: list[str]
    total: Decimal


class PostOut(Schema):
    id: uuid.UUID
    enterprise: str
    post_code: str
    post_name: str
    title: str
    headcount: int
    degree: str
    annual_min: int | None
    annual_max: int | None
    location: str
    deadline: dt.date

    @staticmethod
    def resolve_enterprise(obj: Any) -> str:
        return str(obj.enterprise.name)

    @staticmethod
    def resolve_post_code(obj: Any) -> str:
        return str(obj.post.code)

    @staticmethod
    def resolve_post_name(obj: Any) -> str:
        return str(obj.post.name)


class PostWithPackagesOut(PostOut):
    packages: list[PackageOut]


class CampaignOut(Schema):
    id: uuid.UUID
    title: str
    intro: str
    target: str
    starts_on: dt.date
    ends_on: dt.date
    state: str
    revision: int


class CampaignDetailOut(CampaignOut):
    posts: list[PostWithPackagesOut] = Field(..., alias="posts_shown")


class SessionOut(Schema):
    id: uuid.UUID
    title: str
    campaign_id: uuid.UUID | None
    starts_at: dt.datetime
    ends_at: dt.datetime


class SessionDetailOut(SessionOut):
    posts: list[PostWithPackagesOut] = Field(..., alias="posts_shown")


def _posts(demands: list[Demand]) -> list[Demand]:
    """The posts, each carrying the package of every degree level it accepts (computed once per level)."""
    held: dict[str, packages.Package] = {}
    for demand in demands:
        levels = packages.accepted_levels(demand.degree)
        for level in levels:
            if level not in held:
                held[level] = packages.package_for(level)
        demand.packages = [_package(held[level]) for level in levels]  # type: ignore[attr-defined]
    return demands


def _package(package: packages.Package) -> dict[str, Any]:
    return {
        "degree": package.degree,
        "degree_label": package.degree_label,
        "lines": [line.__dict__ for line in package.lines],
        "entitlements": package.entitlements,
        "total": package.total,
    }


@router.get("/", response=list[CampaignOut], openapi_extra=api_access("public"), auth=None)
def campaign_list(request: AuthedRequest):
    """Published and closed campaigns."""
    return list(selectors.public_campaigns())


@router.get("/sessions", response=list[SessionOut], openapi_extra=api_access("public"), auth=None)
def session_list(request: AuthedRequest):
    return list(selectors.public_sessions()[:100])


@router.get(
    "/sessions/{session_id}", response=SessionDetailOut, openapi_extra=api_access("public"), auth=None
)
def session_get(request: AuthedRequest, session_id: uuid.UUID):
    session = selectors.public_session_get(session_id=session_id)
    session.posts_shown = _posts(list(selectors.listed_posts(session)))  # type: ignore[attr-defined]
    return session


@router.post("/sessions/{session_id}/register", response={204: None}, openapi_extra=api_access("own"))
def session_register(request: AuthedRequest, session_id: uuid.UUID):
    services.session_register(actor=request.user, session=selectors.public_session_get(session_id=session_id))
    return 204, None


@router.get("/posts/{demand_id}", response=PostWithPackagesOut, openapi_extra=api_access("public"), auth=None)
def post_get(request: AuthedRequest, demand_id: uuid.UUID):
    """A post a campaign or a session lists, with the policy package for each degree level it accepts."""
    return _posts([selectors.public_post_get(demand_id=demand_id)])[0]


class ApplyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    degree: Literal["junior_college", "bachelor", "master", "doctor"]
    major: str = Field("", max_length=16)
    statement: str = Field("", max_length=2000)
    consent: bool
    via: str = Field("", max_length=100, description="the channel: <kind>:<ref>, or empty for direct")


class JobApplicationStepOut(Schema):
    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    note: str


class SlotOut(Schema):
    id: int
    starts_at: dt.datetime
    place: str


class ApplicationOut(Schema):
    id: uuid.UUID
    demand_id: uuid.UUID
    enterprise: str
    post_name: str
    applicant: str
    degree: str
    statement: str
    channel: str
    channel_ref: str
    state: str
    revision: int
    reason: str
    created_at: dt.datetime

    @staticmethod
    def resolve_enterprise(obj: Any) -> str:
        return str(obj.enterprise.name)

    @staticmethod
    def resolve_post_name(obj: Any) -> str:
        return str(obj.demand.post.name)

    @staticmethod
    def resolve_applicant(obj: Any) -> str:
        return str(obj.applicant)


class ApplicationDetailOut(ApplicationOut):
    events: list[JobApplicationStepOut]
    free_slots: list[SlotOut]
    chosen_slot: SlotOut | None

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.all())

    @staticmethod
    def resolve_free_slots(obj: Any) -> list[Any]:
        return list(selectors.free_slots(obj))

    @staticmethod
    def resolve_chosen_slot(obj: Any) -> Any:
        return selectors.chosen_slot(obj)


@router.post(
    "/posts/{demand_id}/apply", response={201: ApplicationDetailOut}, openapi_extra=api_access("own")
)
def apply(request: AuthedRequest, demand_id: uuid.UUID, payload: ApplyIn):
    demand = selectors.public_post_get(demand_id=demand_id)
    major = None
    if payload.major:
        major = Major.objects.filter(code=payload.major).first()
        if major is None:
            raise ValidationFailed(
                fields={
                    "major": [_("Not in the discipline catalogue: %(codes)s.") % {"codes": payload.major}]
                }
            )
    application = services.application_create(
        actor=request.user,
        demand=demand,
        data=services.ApplyInput(
            degree=payload.degree,
            consent=payload.consent,
            major=major,
            statement=payload.statement,
            via=payload.via,
        ),
    )
    return 201, application


@router.get("/applications", response=list[ApplicationOut], openapi_extra=api_access("scoped"))
@paginate(Pages)
def application_list(request: AuthedRequest, state: str = "", channel: str = ""):
    """The applications the caller may see: their own (a talent), their posts' (an enterprise), within the
    office's scope (the office)."""
    return selectors.application_list(viewer=request.user, state=state, channel=channel)


@router.get(
    "/applications/{job_application_id}", response=ApplicationDetailOut, openapi_extra=api_access("scoped")
)
def application_get(request: AuthedRequest, job_application_id: uuid.UUID):
    return selectors.application_get(viewer=request.user, application_id=job_application_id)


class SlotIn(Schema):
    starts_at: dt.datetime
    place: str = Field(..., min_length=1, max_length=200)


class JobApplicationActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["invite", "pick", "interviewed", "offer", "accept", "decline", "reject", "withdraw"]
    revision: int = Field(..., ge=0)
    note: str = Field("", max_length=500)
    slots: list[SlotIn] = Field(default_factory=list, max_length=10)
    slot: int | None = None


@router.post(
    "/applications/{job_application_id}/actions",
    response=ApplicationDetailOut,
    openapi_extra=api_access("scoped"),
)
def application_action(
    request: AuthedRequest, job_application_id: uuid.UUID, payload: JobApplicationActionIn
):
    application = selectors.application_get(viewer=request.user, application_id=job_application_id)
    extra: dict[str, Any] = {"note": payload.note}
    if payload.action == "invite":
        extra["slots"] = services.slots_from_text(
            [s.starts_at.isoformat() for s in payload.slots], payload.slots[0].place if payload.slots else ""
        )
    if payload.action == "pick":
        extra["slot"] = payload.slot
    moved = application_transition(
        actor=request.user,
        application=application,
        action=payload.action,
        expected_revision=payload.revision,
        **extra,
    )
    return moved


# -- the office -------------------------------------------------------------------------------------------


class CampaignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., min_length=1, max_length=120)
    target: Literal["graduates", "overseas", "chain"]
    starts_on: dt.date
    ends_on: dt.date
    intro: str = Field("", max_length=5000)
    majors: list[str] = Field(default_factory=list, max_length=50)
    chain: str = Field("", max_length=40)
    posts: list[uuid.UUID] = Field(default_factory=list, max_length=500)


def _campaign_input(payload: CampaignIn) -> services.CampaignInput:
    errors: dict[str, list[Any]] = {}
    majors = list(Major.objects.filter(code__in=payload.majors))
    if len(majors) != len(set(payload.majors)):
        errors["majors"] = [
            _("Not in the discipline catalogue: %(codes)s.") % {"codes": "、".join(payload.majors)}
        ]
    chain = None
    if payload.chain:
        chain = IndustryChain.objects.filter(code=payload.chain).first()
        if chain is None:
            errors["chain"] = [_("Not an industry chain: %(code)s.") % {"code": payload.chain}]
    posts = list(Demand.objects.filter(pk__in=payload.posts).select_related("post"))
    if len(posts) != len(set(payload.posts)):
        errors["posts"] = [_("Some of these posts do not exist.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return services.CampaignInput(
        title=payload.title,
        target=payload.target,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        intro=payload.intro,
        majors=majors,
        chain=chain,
        posts=posts,
    )


@router.post("/manage/campaigns", response={201: CampaignOut}, openapi_extra=api_access("scoped"))
def campaign_create(request: AuthedRequest, payload: CampaignIn):
    require_perm(request.user, CampaignPerm.MANAGE)
    return 201, services.campaign_save(actor=request.user, data=_campaign_input(payload))


def _office_campaign(request: AuthedRequest, campaign_id: uuid.UUID) -> Campaign:
    require_perm(request.user, CampaignPerm.MANAGE)
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return campaign


@router.put("/manage/campaigns/{campaign_id}", response=CampaignOut, openapi_extra=api_access("scoped"))
def campaign_update(request: AuthedRequest, campaign_id: uuid.UUID, payload: CampaignIn):
    campaign = _office_campaign(request, campaign_id)
    return services.campaign_save(actor=request.user, data=_campaign_input(payload), campaign=campaign)


class CampaignActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["publish", "close"]
    revision: int = Field(..., ge=0)


@router.post(
    "/manage/campaigns/{campaign_id}/actions", response=CampaignOut, openapi_extra=api_access("scoped")
)
def campaign_action(request: AuthedRequest, campaign_id: uuid.UUID, payload: CampaignActionIn):
    campaign = _office_campaign(request, campaign_id)
    return campaign_transition(
        actor=request.user, campaign=campaign, action=payload.action, expected_revision=payload.revision
    )


@router.get("/{campaign_id}", response=CampaignDetailOut, openapi_extra=api_access("public"), auth=None)
def campaign_get(request: AuthedRequest, campaign_id: uuid.UUID):
    """A campaign with its open posts, each with the policy package per degree level it accepts."""
    campaign = selectors.public_campaign_get(campaign_id=campaign_id)
    campaign.posts_shown = _posts(list(selectors.listed_posts(campaign)))  # type: ignore[attr-defined]
    return campaign


class SessionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., min_length=1, max_length=120)
    starts_at: dt.datetime
    ends_at: dt.datetime
    campaign: uuid.UUID | None = None
    posts: list[uuid.UUID] = Field(default_factory=list, max_length=500)


@router.post("/manage/sessions", response={201: SessionOut}, openapi_extra=api_access("scoped"))
def session_create(request: AuthedRequest, payload: SessionIn):
    require_perm(request.user, CampaignPerm.MANAGE)
    campaign = None
    if payload.campaign is not None:
        campaign = Campaign.objects.filter(pk=payload.campaign).first()
        if campaign is None:
            raise ValidationFailed(fields={"campaign": [_("No such campaign.")]})
    posts = list(Demand.objects.filter(pk__in=payload.posts).select_related("post"))
    if len(posts) != len(set(payload.posts)):
        raise ValidationFailed(fields={"posts": [_("Some of these posts do not exist.")]})
    session = services.session_create(
        actor=request.user,
        data=services.SessionInput(
            title=payload.title,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            campaign=campaign,
            posts=posts,
        ),
    )
    return 201, session


class StageOut(Schema):
    stage: str
    label: str
    count: int
    median_days: Decimal
    mean_days: Decimal


class ChannelOut(Schema):
    kind: str
    kind_label: str
    ref: str
    ref_label: str
    applied: int
    invited: int
    offered: int
    accepted: int
    invited_rate: Decimal
    accepted_rate: Decimal


class AnalyticsOut(Schema):
    stages: list[StageOut]
    channels: list[ChannelOut]


@router.get("/manage/analytics", response=AnalyticsOut, openapi_extra=api_access("scoped"))
def analytics_get(request: AuthedRequest):
    """Stage durations (median and mean days) and conversion by channel, over the applications in scope."""
    require_perm(request.user, CampaignPerm.MANAGE)
    applications = selectors.application_list(viewer=request.user)
    return {
        "stages": analytics.stage_durations(applications),
        "channels": [
            {**f.__dict__, "invited_rate": f.invited_rate, "accepted_rate": f.accepted_rate}
            for f in analytics.conversion_by_channel(applications)
        ],
    }
