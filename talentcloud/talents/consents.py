"""Consents a talent gives or withdraws (PIPL art. 14), kept as history; the newest per purpose counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import Perm, require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import ValidationFailed

from .models import Consent, Talent

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

PURPOSES: dict[str, Any] = {
    "policy_push": _("Tell me about policies I qualify for (免申即享)"),
    "data_sharing": _("Share my data with the departments that handle my requests"),
    "visits": _("Liaison visits and surveys"),
}
# What holds while the talent has said nothing: 免申即享 notices go out until the talent turns them off (the
# box on their page shows this, and the sweep reads the same answer through ``withdrawn``).
DEFAULTS: dict[str, bool] = {"policy_push": True}


def consent_set(*, actor: User, talent: Talent, purpose: str, granted: bool, channel: str = "web") -> Consent:
    own = talent.account_id is not None and talent.account_id == actor.pk
    if not own:
        require_perm(actor, Perm.TALENT_EDIT)  # staff record a consent given on paper
        channel = "paper"
    if purpose not in PURPOSES:
        raise ValidationFailed(fields={"purpose": [_("Unknown purpose.")]})
    with transaction.atomic():
        consent = Consent.objects.create(talent=talent, purpose=purpose, granted=granted, channel=channel)
        audit_record(
            actor=actor,
            action="consent.set",
            object_type="talent",
            object_id=talent.pk,
            details={"purpose": purpose, "granted": granted, "channel": channel},
        )
    return consent


def current_consents(talent: Talent) -> dict[str, bool | None]:
    """Per purpose, the talent's newest answer, else the purpose's default (None: neither)."""
    current: dict[str, bool | None] = {purpose: DEFAULTS.get(purpose) for purpose in PURPOSES}
    for consent in talent.consents.order_by("at", "id"):
        current[consent.purpose] = consent.granted
    return current


def withdrawn(purpose: str) -> set[Any]:
    """The ids of the talents whose newest answer for ``purpose`` is no (for a purpose without a default
    this is who refused; who never answered is not among them). Reads the consent rows of that purpose
    only: a few per person who ever changed their mind."""
    newest: dict[Any, bool] = {}
    rows = Consent.objects.filter(purpose=purpose).order_by("talent_id", "at", "id")
    for talent_id, granted in rows.values_list("talent_id", "granted").iterator(chunk_size=5000):
        newest[talent_id] = granted
    return {talent_id for talent_id, granted in newest.items() if not granted}
