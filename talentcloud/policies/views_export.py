"""What a sweep found, per policy, as an Excel download (counted in the viewer's scope, like the page)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.access import access
from talentcloud.common.excel import xlsx_response

from .models import SweepRun
from .permissions import PolicyPerm
from .sweep import run_results


@access("admin")
@require_GET
def sweep_export_view(request: AuthedRequest, run_id: int) -> HttpResponse:
    require_perm(request.user, PolicyPerm.MANAGE)
    run = get_object_or_404(SweepRun, pk=run_id)
    found = run_results(run=run, viewer=request.user)
    audit_record(
        actor=request.user,
        action="policy.sweep_export",
        object_type="sweep",
        object_id=run.pk,
        source_ip=request_ip(request),
        details={"rows": len(found)},
    )
    header = [
        _("Policy code"),
        _("Policy"),
        _("Granted"),
        _("To verify first"),
        _("A better one applies"),
        _("Budget exhausted"),
        _("New"),
        _("No longer match"),
    ]
    keys = ("policy_code", "policy__title", "granted", "verify", "excluded", "exhausted", "new", "lapsed")
    rows = [[row[key] for key in keys] for row in found]
    name = f"{_('Sweep results')}-{run.on:%Y%m%d}.xlsx"
    return xlsx_response(filename=name, sheet="sweep", header=header, rows=rows)
