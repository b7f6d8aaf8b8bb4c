"""Excel downloads of the department's worklist and of the ratings: direct (the rows are capped), scoped like
the pages, formula-safe, named in the reader's language, each download an audit event."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.access import access
from talentcloud.common.excel import dated_name, xlsx_response

from .. import cases
from ..enums import Colour
from ..models import Rating
from ..permissions import HallPerm

EXPORT_CAP = 10_000  # rows of one direct download (a department's open work is far fewer)


def _staff(request: AuthedRequest) -> None:
    if not has_perm(request.user, HallPerm.CASE_OVERSEE):
        require_perm(request.user, HallPerm.CASE_HANDLE)


@access("scoped")
@require_GET
def worklist_export_view(request: AuthedRequest) -> HttpResponse:
    """The worklist as filtered on the page, earliest deadline first."""
    _staff(request)
    filters = cases.worklist_filters(request.GET)
    work = cases.worklist(viewer=request.user, filters=filters)
    today = timezone.localdate()
    colours = dict(Colour.choices)
    rows = [
        (
            case.number,
            str(case.service),
            str(case.department),
            case.applicant_name,
            case.get_state_display(),
            case.due_on,
            colours.get(case.colour(today), ""),
            (case.handler.display_name or case.handler.username) if case.handler else "",
        )
        for case in work.page(0, EXPORT_CAP)
    ]
    audit_record(
        actor=request.user,
        action="case.export",
        object_type="case",
        source_ip=request_ip(request),
        details={"rows": len(rows), "filters": {k: v for k, v in request.GET.items() if v}},
    )
    header = [
        _("Case number"),
        _("Service"),
        _("Department"),
        _("Applicant"),
        _("Status"),
        _("Due on"),
        _("Clock"),
        _("Handler"),
    ]
    return xlsx_response(filename=dated_name(_("Worklist")), sheet="worklist", header=header, rows=rows)


@access("scoped")
@require_GET
def ratings_export_view(request: AuthedRequest) -> HttpResponse:
    """Every rating in the viewer's scope, newest first."""
    _staff(request)
    visible = scope_queryset(Rating.objects.select_related("case", "service", "department"), request.user)
    rows = [
        (
            rating.case.number,
            str(rating.service),
            str(rating.department),
            rating.get_level_display(),
            rating.comment,
            _("Yes") if rating.excluded else "",
            timezone.localtime(rating.created_at).date(),
        )
        for rating in visible.order_by("-created_at")[:EXPORT_CAP]
    ]
    audit_record(
        actor=request.user,
        action="rating.export",
        object_type="rating",
        source_ip=request_ip(request),
        details={"rows": len(rows)},
    )
    header = [
        _("Case number"),
        _("Service"),
        _("Department"),
        _("Rating"),
        _("Comment"),
        _("Removed on appeal"),
        _("Rated on"),
    ]
    return xlsx_response(filename=dated_name(_("Ratings")), sheet="ratings", header=header, rows=rows)
