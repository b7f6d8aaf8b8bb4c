"""Reads of talent codes: the talent's own code and its history; staff read the codes of the talents they may
see (``talents.selectors.talent_list``); the office reads verifiers and scenes."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.enums import UnitKind
from talentcloud.accounts.models import OrgUnit
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.common.errors import NotFound
from talentcloud.talents.models import Talent
from talentcloud.talents.selectors import talent_get, talent_list, talent_own_archive

from .enums import CodeStatus
from .models import Scene, TalentCode, Verification, Verifier
from .permissions import CodePerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User


def own_talent(*, viewer: User | AnonymousUser) -> Talent:
    talent = talent_own_archive(viewer=viewer, related=False)
    if talent is None:
        raise NotFound(_("No archive is linked to your account yet."))
    return talent


def own_code(*, viewer: User | AnonymousUser) -> tuple[Talent, TalentCode | None]:
    """The signed-in talent and their code in use (None: none issued, or revoked)."""
    talent = own_talent(viewer=viewer)
    return talent, talent.talent_codes.filter(status=CodeStatus.ACTIVE).first()


def own_history(*, viewer: User | AnonymousUser) -> QuerySet[Verification]:
    """Every verification of every code the talent held, newest first: where (unit, scene), when, result
    (none for an account with no archive)."""
    talent = talent_own_archive(viewer=viewer, related=False)
    if talent is None:
        return Verification.objects.none()
    return Verification.objects.filter(code__talent=talent).select_related("verifier__unit", "scene")


def own_verification(*, viewer: User | AnonymousUser, verification_id: uuid.UUID | str) -> Verification:
    found = own_history(viewer=viewer).filter(pk=verification_id).first()
    if found is None:
        raise NotFound()
    return found


def _visible_codes(viewer: User | AnonymousUser) -> QuerySet[TalentCode]:
    require_perm(viewer, CodePerm.VIEW)
    return TalentCode.objects.filter(talent__in=talent_list(viewer=viewer).order_by().values("pk"))


def codes(*, viewer: User | AnonymousUser, status: str = "") -> QuerySet[TalentCode]:
    qs = _visible_codes(viewer).select_related("talent")
    if status in CodeStatus.values:
        qs = qs.filter(status=status)
    return qs.annotate(
        checks=Count("verifications"),
        reported=Count("verifications", filter=Q(verifications__reported_at__isnull=False)),
    ).order_by("-issued_at", "pk")


def talent_codes(
    *, viewer: User | AnonymousUser, talent_id: uuid.UUID | str
) -> tuple[Talent, list[TalentCode]]:
    require_perm(viewer, CodePerm.VIEW)
    talent = talent_get(viewer=viewer, talent_id=talent_id)
    return talent, list(talent.talent_codes.all())


def code_get(*, viewer: User | AnonymousUser, code_id: uuid.UUID | str) -> TalentCode:
    code = _visible_codes(viewer).select_related("talent").filter(pk=code_id).first()
    if code is None:
        raise NotFound()
    return code


def code_verifications(*, viewer: User | AnonymousUser, code: TalentCode) -> QuerySet[Verification]:
    return _visible_verifications(viewer).filter(code=code)


def _visible_verifications(viewer: User | AnonymousUser) -> QuerySet[Verification]:
    require_perm(viewer, CodePerm.VIEW)
    return Verification.objects.filter(
        code__talent__in=talent_list(viewer=viewer).order_by().values("pk")
    ).select_related("verifier__unit", "scene", "code__talent")


def reported(*, viewer: User | AnonymousUser) -> QuerySet[Verification]:
    """Verifications the talents said they do not recognise, newest report first."""
    return _visible_verifications(viewer).filter(reported_at__isnull=False).order_by("-reported_at")


def verifiers(*, viewer: User | AnonymousUser) -> QuerySet[Verifier]:
    require_perm(viewer, CodePerm.MANAGE)
    return Verifier.objects.select_related("unit").prefetch_related("scenes").order_by("unit__code")


def verifier_get(*, viewer: User | AnonymousUser, verifier_id: int) -> Verifier:
    found = verifiers(viewer=viewer).filter(pk=verifier_id).first()
    if found is None:
        raise NotFound()
    return found


def external_units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=UnitKind.EXTERNAL, is_active=True).order_by("code")


def scenes(*, active_only: bool = True) -> QuerySet[Scene]:
    return Scene.objects.filter(active=True) if active_only else Scene.objects.all()


def may_manage(viewer: Any) -> bool:
    return has_perm(viewer, CodePerm.MANAGE)
