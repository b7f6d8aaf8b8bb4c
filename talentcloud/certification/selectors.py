"""Reads of certifications, within the viewer's data scope (the talents they may see:
``talents.selectors.talent_list``)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.common.errors import NotFound
from talentcloud.talents.models import Talent
from talentcloud.talents.selectors import talent_get, talent_list, talent_own_archive

from .enums import CertificationStatus, ProposalStatus
from .models import Certification, ClassificationRule, Proposal
from .permissions import CertPerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User

EXPIRING_DAYS = 90  # 到期复核: the staff list shows certifications ending within this many days


def _visible_ids(viewer: User | AnonymousUser) -> QuerySet[Talent, Any]:
    return talent_list(viewer=viewer).order_by().values("pk")


def talent_history(
    *, viewer: User | AnonymousUser, talent_id: uuid.UUID | str
) -> tuple[Talent, list[Certification]]:
    """A talent in the viewer's scope and their certifications, newest first (staff with the permission)."""
    require_perm(viewer, CertPerm.VIEW)
    talent = talent_get(viewer=viewer, talent_id=talent_id)
    return talent, list(talent.certifications.select_related("decided_by", "case", "rule"))


def own_history(*, viewer: User | AnonymousUser) -> tuple[Talent, list[Certification]]:
    """The signed-in talent's own archive and certifications."""
    talent = talent_own_archive(viewer=viewer, related=False)
    if talent is None:
        raise NotFound(_("No archive is linked to your account yet."))
    return talent, list(talent.certifications.select_related("case"))


def current_for(talent: Talent) -> Certification | None:
    return talent.certifications.filter(status=CertificationStatus.CURRENT).first()


def expiring(*, viewer: User | AnonymousUser, days: int = EXPIRING_DAYS) -> QuerySet[Certification]:
    """Current certifications ending within ``days`` with no renewal recorded, soonest first."""
    require_perm(viewer, CertPerm.VIEW)
    today = timezone.localdate()
    renewed = Certification.objects.filter(talent=OuterRef("talent"), status=CertificationStatus.SCHEDULED)
    return (
        Certification.objects.filter(
            status=CertificationStatus.CURRENT,
            effective_to__isnull=False,
            effective_to__lte=today + timedelta(days=days),
            talent__in=_visible_ids(viewer),
        )
        .exclude(Exists(renewed))
        .select_related("talent")
        .order_by("effective_to", "talent__name")
    )


def proposals(*, viewer: User | AnonymousUser) -> QuerySet[Proposal]:
    """Pending proposals of the talents in the viewer's scope."""
    require_perm(viewer, CertPerm.VIEW)
    return (
        Proposal.objects.filter(status=ProposalStatus.PENDING, talent__in=_visible_ids(viewer))
        .select_related("talent", "rule")
        .order_by("talent__name", "pk")
    )


def proposal_get(*, viewer: User | AnonymousUser, proposal_id: int) -> Proposal:
    found = proposals(viewer=viewer).filter(pk=proposal_id).first()
    if found is None:
        raise NotFound()
    return found


def certifications_in_scope(*, viewer: User | AnonymousUser) -> QuerySet[Certification]:
    """Every certification of the talents in the viewer's scope (the export)."""
    require_perm(viewer, CertPerm.VIEW)
    return (
        Certification.objects.filter(talent__in=_visible_ids(viewer))
        .select_related("talent", "decided_by")
        .order_by("talent__name", "-effective_from")
    )


def certification_get(*, viewer: User | AnonymousUser, certification_id: uuid.UUID | str) -> Certification:
    found = certifications_in_scope(viewer=viewer).filter(pk=certification_id).first()
    if found is None:
        raise NotFound()
    return found


def rules(*, viewer: User | AnonymousUser) -> QuerySet[ClassificationRule]:
    """Classification rules are reference data (everyone who may see certifications reads them)."""
    require_perm(viewer, CertPerm.VIEW)
    return ClassificationRule.objects.all()


def may_manage(viewer: User | AnonymousUser) -> bool:
    return has_perm(viewer, CertPerm.MANAGE)
