"""The application's way as a declared table on the shared workflow engine (ADR 0012): the applicant
submits with the integrity pledge, the employer nominates, the park or street recommends (属地推荐, within its
data scope), the office's formal check accepts, returns for correction (the clock stands still until the
applicant resubmits, like the hall's 补正) or rejects with a reason; after review the office approves or not
(``services.approve``, which holds the call's places and budget)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from talentcloud.accounts.permissions import has_perm
from talentcloud.accounts.scope import in_scope
from talentcloud.common.errors import Conflict
from talentcloud.enterprises.models import EnterpriseMember
from talentcloud.notifications.services import notify
from talentcloud.payouts.services import exclusion_holder, exclusion_reason
from talentcloud.workflow.tables import Step, Texts, Transition, Workflow, row

from .enums import STAGE_ORDER, ApplicationState, Stage
from .models import Application, ApplicationEvent, Pause, Quota
from .permissions import ProgPerm

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

S = ApplicationState
APPLICANT, EMPLOYER, AREA, OFFICE = "applicant", "employer", "area", "office"
# The states that hold one of the employer's nomination places, and one of the park's or street's.
NOMINATED = (
    S.NOMINATED,
    S.RECOMMENDED,
    S.RETURNED,
    S.ACCEPTED,
    S.REJECTED,
    S.NOT_RECOMMENDED,
    S.APPROVED,
    S.NOT_APPROVED,
)
RECOMMENDED = (S.RECOMMENDED, S.RETURNED, S.ACCEPTED, S.REJECTED, S.APPROVED, S.NOT_APPROVED)

T = row
TABLE: tuple[Transition, ...] = (
    T("submit", S.DRAFT, S.SUBMITTED, {APPLICANT}, gettext_lazy("Submit with the integrity pledge")),
    T("nominate", S.SUBMITTED, S.NOMINATED, {EMPLOYER}, gettext_lazy("Nominate")),
    T(
        "decline_nomination",
        S.SUBMITTED,
        S.NOT_NOMINATED,
        {EMPLOYER},
        gettext_lazy("Do not nominate"),
        needs=("note",),
    ),
    T("recommend", S.NOMINATED, S.RECOMMENDED, {AREA}, gettext_lazy("Recommend (属地推荐)")),
    T(
        "decline_recommendation",
        S.NOMINATED,
        S.NOT_RECOMMENDED,
        {AREA},
        gettext_lazy("Do not recommend"),
        needs=("note",),
    ),
    T("accept", S.RECOMMENDED, S.ACCEPTED, {OFFICE}, gettext_lazy("Pass the formal check")),
    T("return", S.RECOMMENDED, S.RETURNED, {OFFICE}, gettext_lazy("Return for correction"), needs=("note",)),
    T("resubmit", S.RETURNED, S.RECOMMENDED, {APPLICANT}, gettext_lazy("Resubmit")),
    T("reject", S.RECOMMENDED, S.REJECTED, {OFFICE}, gettext_lazy("Reject"), needs=("note",)),
    T("approve", S.ACCEPTED, S.APPROVED, {OFFICE}, pgettext_lazy("programme application", "Approve")),
    T("not_approve", S.ACCEPTED, S.NOT_APPROVED, {OFFICE}, gettext_lazy("Do not approve"), needs=("note",)),
    *(
        T("withdraw", source, S.WITHDRAWN, {APPLICANT}, gettext_lazy("Withdraw"))
        for source in (S.DRAFT, S.SUBMITTED, S.NOMINATED, S.RETURNED)
    ),
)


def roles_on(actor: User | None, application: Application) -> set[str]:
    if actor is None:
        return set()
    roles: set[str] = set()
    if application.talent.account_id == actor.pk:
        roles.add(APPLICANT)
    if (
        has_perm(actor, ProgPerm.NOMINATE)
        and EnterpriseMember.objects.filter(enterprise_id=application.employer_id, user=actor).exists()
    ):
        roles.add(EMPLOYER)
    if has_perm(actor, ProgPerm.RECOMMEND) and in_scope(application, actor):
        roles.add(AREA)
    if has_perm(actor, ProgPerm.MANAGE):
        roles.add(OFFICE)
    return roles


def _timeline(
    application: Application, *, actor: User | None, action: str, source: str, target: str, note: Any
) -> ApplicationEvent:
    return ApplicationEvent(
        application=application,
        actor=actor,
        action=action,
        from_state=source,
        to_state=target,
        note=str(note or "")[:4000],
    )


def _note_check(value: Any) -> str | None:
    return None if str(value or "").strip() else str(_("Say why."))


APPLICATIONS = Workflow(
    name="programme_application",
    model=Application,
    table=TABLE,
    roles_of=roles_on,
    timeline=_timeline,
    audit_object="programme_application",
    audit_prefix="programs.application",
    audit_details=lambda application: {"number": application.number},
    stamp_field="updated_at",
    initial=S.DRAFT,
    inputs={"note": _note_check},
    texts=Texts(
        not_allowed=gettext_lazy("“%(action)s” is not possible while the application is “%(state)s”."),
        denied=gettext_lazy("You may not do this on this application."),
    ),
)


def _quota_held(quota: Quota | None, used: int) -> None:
    if quota is not None and used >= quota.places:
        raise Conflict(_("The quota of %(places)s places is used up.") % {"places": quota.places})


@APPLICATIONS.before("nominate")
def _employer_quota(step: Step) -> dict[str, Any]:
    """The enterprise's nomination places: the quota row is locked, so two nominations at once count each
    other."""
    application: Application = step.obj
    quota = (
        Quota.objects.select_for_update()
        .filter(call_id=application.call_id, enterprise_id=application.employer_id)
        .first()
    )
    used = Application.objects.filter(
        call_id=application.call_id, employer_id=application.employer_id, state__in=NOMINATED
    ).count()
    _quota_held(quota, used)
    _exclusion_held(application)
    return {}


def _exclusion_held(application: Application) -> None:
    """同一项目不重复支持: a talent holding an active award in the call's exclusion group is not nominated."""
    holder = exclusion_holder(talent=application.talent, group=application.call.exclusion_group)
    if holder is not None:
        raise Conflict(exclusion_reason(holder))


@APPLICATIONS.before("recommend")
def _area_quota(step: Step) -> dict[str, Any]:
    """The park's (or, outside a park, the street's) recommendation places, under the same lock."""
    application: Application = step.obj
    unit_id = application.employer_park_id or application.employer_street_id
    quota = Quota.objects.select_for_update().filter(call_id=application.call_id, unit_id=unit_id).first()
    place = {"employer_park_id": unit_id} if application.employer_park_id else {"employer_street_id": unit_id}
    used = Application.objects.filter(call_id=application.call_id, state__in=RECOMMENDED, **place).aggregate(
        n=Count("pk")
    )["n"]
    _quota_held(quota, used)
    return {"recommended_on": timezone.localdate()}


@APPLICATIONS.before("accept")
def _anonymised_checked(step: Step) -> dict[str, Any]:
    """A blind call that names materials passes the formal check only once the office checked the
    anonymised versions (``materials.anonymised_check``)."""
    application: Application = step.obj
    checked = Application.objects.filter(pk=application.pk, anonymised_checked_by__isnull=False).exists()
    if application.call.blind and application.call.materials and not checked:
        raise Conflict(_("Check the anonymised materials first: no name, employer or ID in them."))
    return {"stage": Stage.WRITTEN_REVIEW}


@APPLICATIONS.after("return")
def _pause(step: Step) -> None:
    Pause.objects.create(application=step.obj, start=timezone.localdate())


@APPLICATIONS.after("resubmit")
def _resume(step: Step) -> None:
    Pause.objects.filter(application=step.obj, end__isnull=True).update(end=timezone.localdate())


def _tell_applicant(step: Step) -> None:
    """The applicant hears of every step others take on their application (their own they see at once)."""
    application: Application = step.obj
    account = application.talent.account
    if account is None or (step.actor is not None and step.actor.pk == account.pk):
        return
    notify(
        recipient=account,
        event="programs.moved",
        params={
            "number": application.number,
            "call": application.call.title,
            "state": ApplicationState(application.state).label,
            "note": str(step.payload.get("note") or ""),
        },
        url=f"/programs/applications/{application.pk}/",
    )


for _action in (
    "nominate",
    "decline_nomination",
    "recommend",
    "decline_recommendation",
    "accept",
    "return",
    "reject",
    "approve",
    "not_approve",
):
    APPLICATIONS.after(_action)(_tell_applicant)


# -- the call's stages after the formal check ---------------------------------------------------------------
# A second table on the same engine, over ``Application.stage``: from the written review to 答辩/路演 and to
# the site visit. Every row exists; the call decides which hold (``_stage_configured``).

STAGE_TABLE: tuple[Transition, ...] = (
    T("to_defense", Stage.WRITTEN_REVIEW, Stage.DEFENSE, {OFFICE}, gettext_lazy("Move on to 答辩/路演")),
    T(
        "to_site_visit",
        Stage.WRITTEN_REVIEW,
        Stage.SITE_VISIT,
        {OFFICE},
        gettext_lazy("Move on to the site visit"),
    ),
    T("to_site_visit", Stage.DEFENSE, Stage.SITE_VISIT, {OFFICE}, gettext_lazy("Move on to the site visit")),
)
STAGE_TARGETS = {t.action: Stage(t.target) for t in STAGE_TABLE}


STAGES = Workflow(
    name="programme_stage",
    model=Application,
    table=STAGE_TABLE,
    roles_of=roles_on,
    timeline=_timeline,
    audit_object="programme_application",
    audit_prefix="programs.stage",
    audit_details=lambda application: {"number": application.number},
    state_field="stage",
    stamp_field="updated_at",
    texts=Texts(
        not_allowed=gettext_lazy("“%(action)s” is not possible while the application is in “%(state)s”."),
        denied=gettext_lazy("You may not do this on this application."),
    ),
)


def next_stage(application: Application) -> str | None:
    """The call's stage after the one the application stands in (None: it is at the last)."""
    stages = [s for s in STAGE_ORDER if s in application.call.stages]
    if application.stage not in stages:
        return None
    index = stages.index(Stage(application.stage))
    return stages[index + 1] if index + 1 < len(stages) else None


def stage_problem(application: Application) -> str | None:
    """Why the application may not go to 公示 or approval yet: a stage of its call still ahead of it."""
    ahead = next_stage(application)
    if application.stage == Stage.FORMAL_CHECK or ahead is None:
        return None
    return _("%(number)s has not been through the call's stage “%(stage)s” yet.") % {
        "number": application.number,
        "stage": Stage(ahead).label,
    }


def _stage_configured(step: Step) -> dict[str, Any]:
    """No entering a stage the call does not have, and no skipping one it has."""
    application: Application = step.obj
    if application.state != S.ACCEPTED:
        raise Conflict(_("Only an application in review moves through the call's stages."))
    target = STAGE_TARGETS[step.action]
    if target not in application.call.stages:
        raise Conflict(_("This call has no stage “%(stage)s”.") % {"stage": target.label})
    ahead = next_stage(application)
    if ahead != target:
        raise Conflict(
            _("The call's stage “%(stage)s” comes first.") % {"stage": Stage(ahead).label if ahead else "—"}
        )
    return {}


for _action in STAGE_TARGETS:
    STAGES.before(_action)(_stage_configured)
