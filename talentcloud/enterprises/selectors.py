from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.common.errors import NotFound, OutOfScope

from .models import Enterprise, IndustryChain
from .permissions import EnterprisePerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def _visible(viewer: User | AnonymousUser) -> QuerySet[Enterprise]:
    if not has_perm(viewer, EnterprisePerm.VIEW):
        return Enterprise.objects.none()
    return scope_queryset(Enterprise.objects.select_related("park", "street", "chain"), viewer)


def enterprise_list(
    *, viewer: User | AnonymousUser, query: str = "", chain: str = ""
) -> QuerySet[Enterprise]:
    qs = _visible(viewer)
    if query:
        qs = qs.filter(name__icontains=query)
    if chain:
        qs = qs.filter(chain__code=chain)
    return qs.order_by("name", "id")


def enterprise_get(*, viewer: User | AnonymousUser, enterprise_id: uuid.UUID | str) -> Enterprise:
    enterprise = _visible(viewer).filter(pk=enterprise_id).first()
    if enterprise is None:
        if Enterprise.objects.filter(pk=enterprise_id).exists():
            raise OutOfScope(
                object_type="enterprise", object_id=enterprise_id
            )  # answered as 404, recorded as denied
        raise NotFound()
    return enterprise


def enterprise_own(*, viewer: User | AnonymousUser) -> Enterprise | None:
    """The enterprise the signed-in account acts for (its first confirmed membership), if any."""
    if not isinstance(viewer, User):
        return None
    return Enterprise.objects.filter(members__user=viewer).order_by("name", "pk").first()


def enterprise_for_member_or_staff(
    *, viewer: User | AnonymousUser, enterprise_id: uuid.UUID | str
) -> Enterprise:
    """An enterprise its own members may see, and staff whose scope holds it; anyone else: not found."""
    own = None
    if isinstance(viewer, User):  # an anonymous visitor is a member of nothing
        own = Enterprise.objects.filter(pk=enterprise_id, members__user=viewer).first()
    return own if own is not None else enterprise_get(viewer=viewer, enterprise_id=enterprise_id)


def chain_list() -> QuerySet[IndustryChain]:
    return IndustryChain.objects.order_by("sort_order", "code")
