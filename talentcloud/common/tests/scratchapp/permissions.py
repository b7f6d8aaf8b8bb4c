"""The scratch app's permission, granted to an existing standard role (``accounts.permissions`` collects it;
read by ``common/tests/test_scratch_permissions.py``)."""

from __future__ import annotations

from enum import StrEnum

from talentcloud.common.access import Permission


class ScratchPerm(StrEnum):
    VIEW = "scratch.view"


PERMISSIONS = [Permission(ScratchPerm.VIEW, "See the scratch page", roles=("talent-office",))]
