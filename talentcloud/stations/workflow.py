"""A lead's stages on the shared workflow engine (ADR 0012): contacted → interested → visited → signed →
landed, or dropped before landing. The station's partner (and the office) move a lead up to signed; only the
office lands it, and only once the lead is linked to its archive record and that record has arrived
(``arrived_on``): a landing is the archive's fact, not a flag set here."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import has_perm
from talentcloud.workflow.engine import allowed, transition
from talentcloud.workflow.tables import Texts, Transition, Workflow, row

from .enums import ActivityKind
from .enums import LeadState as S
from .models import Lead, LeadActivity
from .permissions import StationPerm

PARTNER, OFFICE = "partner", "office"
WORKING = {PARTNER, OFFICE}


def _arrived(lead: Lead) -> str | None:
    if lead.talent_id is None:
        return str(_("Link the lead to the talent's archive record first."))
    if lead.talent is None or lead.talent.arrived_on is None:
        return str(_("The archive record has no arrival in the district yet."))
    return None


TABLE = (
    row("interest", S.CONTACTED, S.INTERESTED, WORKING, _("Interested")),
    row("visit", S.INTERESTED, S.VISITED, WORKING, _("Visited the district")),
    row("sign", S.VISITED, S.SIGNED, WORKING, _("Signed")),
    row("land", S.SIGNED, S.LANDED, {OFFICE}, _("Landed"), guard=_arrived),
    row("drop", S.CONTACTED, S.DROPPED, WORKING, _("Drop"), needs=("note",)),
    row("drop", S.INTERESTED, S.DROPPED, WORKING, _("Drop"), needs=("note",)),
    row("drop", S.VISITED, S.DROPPED, WORKING, _("Drop"), needs=("note",)),
    row("drop", S.SIGNED, S.DROPPED, WORKING, _("Drop"), needs=("note",)),
)


def roles_on(actor: Any, lead: Lead) -> set[str]:
    roles: set[str] = set()
    if actor is None:
        return roles
    if has_perm(actor, StationPerm.MANAGE):
        roles.add(OFFICE)
    if (
        has_perm(actor, StationPerm.PARTNER)
        and actor.unit_id is not None
        and lead.station.partner_unit_id == actor.unit_id
        and lead.consented
    ):
        roles.add(PARTNER)
    return roles


def _event(lead: Lead, *, actor: Any, action: str, source: str, target: str, note: Any) -> LeadActivity:
    return LeadActivity(
        lead=lead,
        actor=actor,
        kind=ActivityKind.MOVE,
        action=action,
        from_state=source,
        to_state=target,
        note=str(note or "")[:1000],
    )


def _note_check(value: Any) -> str | None:
    return None if str(value or "").strip() else str(_("Say why the lead is dropped."))


LEADS = Workflow(
    name="station_lead",
    model=Lead,
    table=TABLE,
    roles_of=roles_on,
    timeline=_event,
    audit_object="station_lead",
    stamp_field="updated_at",
    initial=S.CONTACTED,
    inputs={"note": _note_check},
    audit_details=lambda lead: {"station": str(lead.station_id)},
    texts=Texts(
        not_allowed=_("“%(action)s” is not possible while the lead is “%(state)s”."),
        denied=_("You may not do this on this lead."),
    ),
)


def lead_actions(actor: Any, lead: Lead) -> list[Transition]:
    return allowed(LEADS, actor, lead)


def lead_transition(
    *, actor: Any, lead: Lead, action: str, expected_revision: int | None = None, **payload: Any
) -> Lead:
    moved: Lead = transition(
        LEADS, actor=actor, obj=lead, action=action, expected_revision=expected_revision, **payload
    )
    return moved
