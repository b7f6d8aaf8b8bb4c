from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from talentcloud.accounts.permissions import Perm, has_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.common.errors import NotFound

from .models import RightsRequest, Talent
from .search import search_filter


def _visible(viewer: Any) -> QuerySet[Talent]:
    qs = Talent.objects.select_related(
        "employer", "employer__park", "employer__street", "residence_street", "chain"
    )
    if not has_perm(viewer, Perm.TALENT_VIEW):
        # Without the permission a user still sees the archives they own (their own, as a talent).
        return scope_queryset(qs, viewer).filter(account=viewer) if getattr(viewer, "pk", None) else qs.none()
    return scope_queryset(qs, viewer)


def talent_list(*, viewer: Any, query: str = "", category: str = "") -> QuerySet[Talent]:
    qs = _visible(viewer)
    if query:
        qs = search_filter(qs, query)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("name", "id")


def talent_get(*, viewer: Any, talent_id: uuid.UUID | str) -> Talent:
    talent = _visible(viewer).filter(pk=talent_id).first()
    if talent is None:
        raise NotFound()
    return talent


def talent_own_archive(*, viewer: Any) -> Talent | None:
    """The archive that belongs to the signed-in talent, if any."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    return _visible(viewer).filter(account=viewer).first()


def rights_request_list(*, viewer: Any, status: str = "") -> QuerySet[RightsRequest]:
    qs = RightsRequest.objects.select_related("talent")
    if has_perm(viewer, Perm.PIPL_HANDLE):
        qs = scope_queryset(qs, viewer)
    else:
        qs = qs.filter(talent__account=viewer) if getattr(viewer, "pk", None) else qs.none()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_on", "id")


def rights_request_get(*, viewer: Any, request_id: uuid.UUID | str) -> RightsRequest:
    found = rights_request_list(viewer=viewer).filter(pk=request_id).first()
    if found is None:
        raise NotFound()
    return found
