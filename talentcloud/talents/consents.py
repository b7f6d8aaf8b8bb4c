"""Consents a talent gives or withdraws (PIPL art. 14), kept as history; the newest per purpose counts.

The purposes are declared by the apps that act on them, each in its own ``consent_purposes.py``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import ValidationFailed
from talentcloud.common.registries import forgotten_with_apps, keyed

from .models import Consent, Talent
from .permissions import TalentPerm

if TYPE_CHECKING:
    from talentcloud.accounts.models import User


@dataclass(frozen=True)
class Purpose:
    """A purpose of processing a talent consents to, declared by the app that acts on the answer in its
    ``consent_purposes.py`` (``CONSENT_PURPOSES = {"code": Purpose(...)}``). ``default`` is what holds while
    the talent has said nothing (None: no answer); ``order`` places it among the others on the talent's
    page."""

    label: Any  # a lazy translation
    default: bool | None = None
    order: int = 100


@forgotten_with_apps
@cache
def purposes() -> dict[str, Purpose]:
    """Every installed app's ``CONSENT_PURPOSES``, by ``order`` (then by app); a code declared twice is an
    error."""
    declared: dict[str, Purpose] = keyed("consent_purposes", "CONSENT_PURPOSES")
    return dict(sorted(declared.items(), key=lambda item: item[1].order))


def consent_set(*, actor: User, talent: Talent, purpose: str, granted: bool, channel: str = "web") -> Consent:
    own = talent.account_id is not None and talent.account_id == actor.pk
    if not own:
        require_perm(actor, TalentPerm.EDIT)  # staff record a consent given on paper
        channel = "paper"
    if purpose not in purposes():
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
    current: dict[str, bool | None] = {code: purpose.default for code, purpose in purposes().items()}
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
