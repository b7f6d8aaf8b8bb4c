"""The scratch app's one page (its sidebar entry leads here)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from talentcloud.accounts.permissions import require_perm
from talentcloud.common.access import access

from .permissions import ScratchPerm


@access("admin")
def page(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, ScratchPerm.VIEW)
    return HttpResponse("scratch page")
