"""Two tables on the shared workflow engine (ADR 0012).

A campaign: the office drafts it, publishes it (once it lists a post) and closes it.

An application: the talent applies; the enterprise invites to interview (offering times), the talent picks one
(the first to take a time has it: a conditional UPDATE of the slot), the enterprise records the interview and
makes an offer, the talent accepts or declines; the enterprise may decline to take it further at any stage
before the offer with a reason, the talent may withdraw until then. The talent sees every step (the
timeline)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm
from talentcloud.common.errors import Conflict, ValidationFailed
from talentcloud.workflow.engine import allowed, transition
from talentcloud.workflow.tables import Step, Texts, Transition, Workflow, row

from .enums import ApplicationState as A
from .enums import CampaignState as C
from .models import ApplicationEvent, Campaign, CampaignEvent, InterviewSlot, JobApplication
from .permissions import CampaignPerm

OFFICE, TALENT, ENTERPRISE, SYSTEM = "office", "talent", "enterprise", "system"


def _has_posts(campaign: Campaign) -> str | None:
    return None if campaign.posts.exists() else str(_("List at least one post before publishing."))


CAMPAIGN_TABLE = (
    row("publish", C.DRAFT, C.PUBLISHED, {OFFICE}, _("Publish"), guard=_has_posts),
    row("close", C.PUBLISHED, C.CLOSED, {OFFICE}, _("Close")),
)


def campaign_roles(actor: User | None, campaign: Campaign) -> set[str]:
    if actor is None:
        return {SYSTEM}
    return {OFFICE} if has_perm(actor, CampaignPerm.MANAGE) else set()


def _campaign_event(
    campaign: Campaign, *, actor: User | None, action: str, source: str, target: str, note: Any
):
    return CampaignEvent(campaign=campaign, actor=actor, action=action, from_state=source, to_state=target)


CAMPAIGNS = Workflow(
    name="campaign",
    model=Campaign,
    table=CAMPAIGN_TABLE,
    roles_of=campaign_roles,
    timeline=_campaign_event,
    audit_object="campaign",
    stamp_field="updated_at",
    system_role=SYSTEM,
    initial=C.DRAFT,
    texts=Texts(
        not_allowed=_("“%(action)s” is not possible while the campaign is “%(state)s”."),
        denied=_("Only the talent office runs campaigns."),
    ),
)


BEFORE_OFFER = (A.APPLIED, A.INVITED, A.SCHEDULED, A.INTERVIEWED)

APPLICATION_TABLE = (
    row("invite", A.APPLIED, A.INVITED, {ENTERPRISE}, _("Invite to interview")),
    row("pick", A.INVITED, A.SCHEDULED, {TALENT}, _("Choose this time"), needs=("slot",)),
    row("interviewed", A.SCHEDULED, A.INTERVIEWED, {ENTERPRISE}, _("Interview held")),
    row("offer", A.INTERVIEWED, A.OFFERED, {ENTERPRISE}, _("Make an offer")),
    row("accept", A.OFFERED, A.ACCEPTED, {TALENT}, _("Accept the offer")),
    row("decline", A.OFFERED, A.DECLINED, {TALENT}, _("Decline the offer")),
    *(
        row("reject", s, A.REJECTED, {ENTERPRISE}, _("Do not take further"), needs=("note",))
        for s in BEFORE_OFFER
    ),
    *(row("withdraw", s, A.WITHDRAWN, {TALENT}, _("Withdraw the application")) for s in BEFORE_OFFER[:3]),
)


def application_roles(actor: User | None, application: JobApplication) -> set[str]:
    if actor is None:
        return {SYSTEM}
    roles: set[str] = set()
    if application.applicant_id == actor.pk:
        roles.add(TALENT)
    if has_perm(actor, CampaignPerm.ANSWER) and application.enterprise.members.filter(user=actor).exists():
        roles.add(ENTERPRISE)
    return roles


def _application_event(
    application: JobApplication, *, actor: User | None, action: str, source: str, target: str, note: Any
) -> ApplicationEvent:
    return ApplicationEvent(
        application=application,
        actor=actor,
        action=action,
        from_state=source,
        to_state=target,
        note=str(note or ""),
    )


def _note_check(value: Any) -> str | None:
    return None if str(value or "").strip() else str(_("Say why, for the applicant."))


APPLICATIONS = Workflow(
    name="job_application",
    model=JobApplication,
    table=APPLICATION_TABLE,
    roles_of=application_roles,
    timeline=_application_event,
    audit_object="job_application",
    stamp_field="updated_at",
    system_role=SYSTEM,
    initial=A.APPLIED,
    inputs={"note": _note_check},
    audit_details=lambda a: {"channel": a.channel, "demand": str(a.demand_id)},
    texts=Texts(
        not_allowed=_("“%(action)s” is not possible while the job application is “%(state)s”."),
        denied=_("You may not do this on this job application."),
    ),
)


@APPLICATIONS.after("invite")
def _slots_offered(step: Step) -> None:
    """The times offered with the invitation are the post's; at least one must be free."""
    application: JobApplication = step.obj
    for starts_at, place in step.payload.get("slots") or ():
        InterviewSlot.objects.get_or_create(demand_id=application.demand_id, starts_at=starts_at, place=place)
    if not InterviewSlot.objects.filter(demand_id=application.demand_id, taken_by__isnull=True).exists():
        raise ValidationFailed(fields={"slots": [_("Offer at least one interview time.")]})


@APPLICATIONS.before("pick")
def _slot_taken(step: Step) -> dict[str, Any]:
    """The time is the first taker's: a conditional UPDATE; a time someone took a moment ago is a conflict."""
    application: JobApplication = step.obj
    taken = InterviewSlot.objects.filter(
        pk=step.payload["slot"], demand_id=application.demand_id, taken_by__isnull=True
    ).update(taken_by=application)
    if not taken:
        if InterviewSlot.objects.filter(pk=step.payload["slot"], demand_id=application.demand_id).exists():
            raise Conflict(str(_("Someone took this interview time a moment ago; choose another.")))
        raise ValidationFailed(fields={"slot": [_("Not an interview time of this post.")]})
    slot = InterviewSlot.objects.get(pk=step.payload["slot"])
    step.payload["note"] = f"{slot.starts_at:%Y-%m-%d %H:%M} {slot.place}"
    return {}


@APPLICATIONS.before("reject")
def _reason(step: Step) -> dict[str, Any]:
    return {"reason": str(step.payload.get("note") or "")[:500]}


def _release_slot(step: Step) -> None:
    InterviewSlot.objects.filter(taken_by=step.obj).update(taken_by=None)


APPLICATIONS.after("reject")(_release_slot)
APPLICATIONS.after("withdraw")(_release_slot)


def application_actions(actor: User, application: JobApplication) -> list[Transition]:
    return allowed(APPLICATIONS, actor, application)


def application_transition(
    *,
    actor: User | None,
    application: JobApplication,
    action: str,
    expected_revision: int | None = None,
    **payload: Any,
) -> JobApplication:
    moved: JobApplication = transition(
        APPLICATIONS,
        actor=actor,
        obj=application,
        action=action,
        expected_revision=expected_revision,
        **payload,
    )
    return moved


def campaign_transition(
    *, actor: User, campaign: Campaign, action: str, expected_revision: int | None = None
) -> Campaign:
    moved: Campaign = transition(
        CAMPAIGNS, actor=actor, obj=campaign, action=action, expected_revision=expected_revision
    )
    return moved
