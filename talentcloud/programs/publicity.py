"""公示 (ADR 0027): the applications proposed for approval (down the ranking, within places and budget) are
published for N working days (``common.workdays``: holidays and 调休 days count as the calendar says) with
masked fields only — name, employer, programme, tier; never an ID or a phone. Objections come from signed-in
people with a verified identity (an account linked to an archive, which the claim flow verified), at most
``OBJECTIONS_PER_DAY`` a day each; anonymous ones are recorded and not handled. Who objected is shown to the
office's handlers only. An upheld objection either withdraws the line or corrects it, and a corrected line's
window starts again; an objection after a line's window is refused. Approval waits for the window."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.common.workdays import WorkCalendar
from talentcloud.privacy.masking import mask_text
from talentcloud.talents.models import Talent

from .enums import ApplicationState
from .models import Application, Call, Objection, Publicity, PublicityEntry
from .permissions import ProgPerm
from .services import ranking
from .workflow import stage_problem

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

OBJECTIONS_PER_DAY = 3


def window(start: date, days: int) -> date:
    """The last day of a window of ``days`` working days that begins on ``start`` (or on the first working
    day after it, when ``start`` is not one)."""
    calendar = WorkCalendar()
    if calendar.is_workday(start):
        return calendar.add_working_days(start, days - 1)
    return calendar.add_working_days(start, days)


def publish(*, actor: User, call: Call, days: int = 5, on: date | None = None) -> Publicity:
    """Publish the applications proposed for approval: the best-ranked in review, within the call's places
    and budget."""
    require_perm(actor, ProgPerm.MANAGE)
    if not 1 <= days <= 30:
        raise ValidationFailed(fields={"days": [_("Between 1 and 30 working days.")]})
    start = on or timezone.localdate()
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if Publicity.objects.filter(call=locked).exists():
            raise Conflict(_("This call's list is published already."))
        fits = int(min(Decimal(locked.places), locked.budget // locked.award_amount))
        behind = [
            problem
            for problem in (
                stage_problem(a)
                for a in Application.objects.filter(
                    call=locked, state=ApplicationState.ACCEPTED
                ).select_related("call")
            )
            if problem
        ]
        if behind:
            raise Conflict(behind[0])
        proposed = [
            r.application
            for r in ranking(locked)
            if r.score is not None and r.application.state == ApplicationState.ACCEPTED
        ][:fits]
        if not proposed:
            raise Conflict(_("No application in review has its scores yet."))
        publicity = Publicity.objects.create(call=locked, days=days, published_by=actor)
        ends = window(start, days)
        PublicityEntry.objects.bulk_create(
            PublicityEntry(
                publicity=publicity,
                application=a,
                masked_name=mask_text(a.talent.name),
                employer_name=a.employer.name,
                programme=str(locked.programme),
                tier=a.call.get_tier_display() if a.call.tier else "",
                starts_on=start,
                ends_on=ends,
            )
            for a in proposed
        )
        audit_record(
            actor=actor,
            action="programs.publicity",
            object_type="programme_call",
            object_id=locked.pk,
            details={
                "entries": [a.number for a in proposed],
                "from": start.isoformat(),
                "to": ends.isoformat(),
            },
        )
    return publicity


def published(call: Call) -> list[dict[str, Any]]:
    """The public list: masked fields only."""
    return [
        {
            "entry": e.pk,
            "name": e.masked_name,
            "employer": e.employer_name,
            "programme": e.programme,
            "tier": e.tier,
            "from": e.starts_on,
            "to": e.ends_on,
        }
        for e in PublicityEntry.objects.filter(publicity__call=call, withdrawn=False)
    ]


def verified(user: Any) -> bool:
    """A signed-in person whose account is linked to an archive (identity checked by the claim flow)."""
    return bool(
        getattr(user, "is_authenticated", False) and Talent.objects.filter(account_id=user.pk).exists()
    )


def object_to(*, user: Any, entry: PublicityEntry, text: str, on: date | None = None) -> Objection:
    """An objection to one line, within its window; anonymous or unverified ones are recorded, not
    handled."""
    today = on or timezone.localdate()
    if not text.strip():
        raise ValidationFailed(fields={"text": [_("Say what you object to.")]})
    if entry.withdrawn:
        raise Conflict(_("This line is no longer on the list."))
    if today > entry.ends_on or today < entry.starts_on:
        raise Conflict(
            _("Objections to this line were taken until %(day)s.") % {"day": entry.ends_on.isoformat()}
        )
    known = verified(user)
    if known:
        since = timezone.now() - timedelta(days=1)
        if Objection.objects.filter(user_id=user.pk, created_at__gte=since).count() >= OBJECTIONS_PER_DAY:
            raise Conflict(_("At most %(n)s objections a day.") % {"n": OBJECTIONS_PER_DAY})
    with transaction.atomic():
        objection = Objection.objects.create(
            entry=entry,
            user=user if known else None,
            text=text.strip()[:4000],
            status="pending" if known else "recorded",
        )
        audit_record(
            actor=user if known else None,
            actor_username="" if known else "anonymous",
            action="programs.objection",
            object_type="programme_application",
            object_id=entry.application_id,
            details={"objection": objection.pk, "verified": known},
        )
    return objection


def objection_decide(
    *,
    actor: User,
    objection: Objection,
    upheld: bool,
    reply: str,
    withdraw: bool = False,
    employer_name: str = "",
    on: date | None = None,
) -> Objection:
    """The office answers: dismissed, or upheld — the line withdrawn (the application is then not approved
    from this list) or corrected, and a corrected line is published again for the full window."""
    require_perm(actor, ProgPerm.MANAGE)
    if objection.status != "pending":
        raise Conflict(_("This objection is decided already, or anonymous and only recorded."))
    if not reply.strip():
        raise ValidationFailed(fields={"reply": [_("Give the answer.")]})
    if upheld and not withdraw and not employer_name.strip():
        raise ValidationFailed(fields={"employer_name": [_("Give the corrected line, or withdraw it.")]})
    today = on or timezone.localdate()
    with transaction.atomic():
        entry = PublicityEntry.objects.select_for_update().get(pk=objection.entry_id)
        objection.status = "upheld" if upheld else "dismissed"
        objection.reply = reply.strip()[:4000]
        objection.handled_by = actor
        objection.save(update_fields=["status", "reply", "handled_by"])
        if upheld and withdraw:
            entry.withdrawn = True
            entry.save(update_fields=["withdrawn"])
        elif upheld:
            entry.employer_name = employer_name.strip()[:200]
            entry.starts_on = today
            entry.ends_on = window(today, entry.publicity.days)
            entry.save(update_fields=["employer_name", "starts_on", "ends_on"])
        audit_record(
            actor=actor,
            action="programs.objection_decide",
            object_type="programme_application",
            object_id=entry.application_id,
            details={"objection": objection.pk, "upheld": upheld, "withdraw": withdraw},
        )
    return objection


def objections_for(*, viewer: User, call: Call) -> list[Objection]:
    """The objections to a call's list, with who objected: for the office's handlers only."""
    if not viewer.is_authenticated:
        raise PermissionDenied()
    require_perm(viewer, ProgPerm.MANAGE)
    return list(Objection.objects.filter(entry__publicity__call=call).select_related("user", "entry"))
