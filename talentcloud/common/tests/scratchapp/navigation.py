"""The scratch app's sidebar entry (``web.navigation`` collects it), needing the scratch app's permission."""

from __future__ import annotations

from talentcloud.common.navigation import NavItem

from .permissions import ScratchPerm

NAVIGATION = [
    NavItem(
        group="govern",
        order=90,
        label="Scratch page",
        url_name="scratchapp:page",
        perm=ScratchPerm.VIEW,
        description="A page only the scratch app's permission opens",
    ),
]
