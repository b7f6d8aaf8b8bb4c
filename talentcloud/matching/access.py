"""Who may open a demand's matches: the enterprise's own accounts, and staff who review demand within their
data scope (``recruitment.selectors.demand_get`` applies both)."""

from __future__ import annotations

import uuid
from typing import Any

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.common.errors import NotFound, PermissionDenied
from talentcloud.enterprises.models import EnterpriseMember
from talentcloud.recruitment import selectors as recruitment
from talentcloud.recruitment.models import Demand
from talentcloud.recruitment.permissions import RecruitPerm


def may_match(viewer: Any) -> bool:
    return has_perm(viewer, RecruitPerm.DEMAND_POST) or has_perm(viewer, RecruitPerm.DEMAND_REVIEW)


def demand_for(viewer: Any, demand_id: uuid.UUID | str) -> Demand:
    if not may_match(viewer):
        raise PermissionDenied()
    return recruitment.demand_get(viewer=viewer, demand_id=demand_id)


def demand_to_contact_for(viewer: User, demand_id: uuid.UUID | str) -> Demand:
    """A demand of the enterprise ``viewer`` acts for (only its own accounts ask talents for contact)."""
    require_perm(viewer, RecruitPerm.DEMAND_POST)
    demand = demand_for(viewer, demand_id)
    if not EnterpriseMember.objects.filter(enterprise_id=demand.enterprise_id, user=viewer).exists():
        raise NotFound()
    return demand


def is_talent(viewer: Any) -> bool:
    return isinstance(viewer, User) and "talent" in viewer.role_kinds()
