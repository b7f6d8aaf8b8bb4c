from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record
from talentcloud.common.access import access
from talentcloud.talents.permissions import TalentPerm

from .charts import chart_height_class, chart_options
from .metrics import latest_snapshots, snapshot_labels
from .tasks import dashboard_refresh


@access("admin")
@require_http_methods(["GET", "POST"])
def dashboard_view(request: AuthedRequest) -> HttpResponse:
    """The talent office's screen: figures from the latest snapshots, never computed in the request."""
    require_perm(request.user, TalentPerm.DASHBOARD_VIEW)
    if request.method == "POST":
        dashboard_refresh.enqueue()
        audit_record(actor=request.user, action="dashboard.refresh")
        messages.info(request, _("The figures are being recomputed; reload in a minute."))
        return redirect("dashboards:home")
    panels = latest_snapshots()
    labels = snapshot_labels(panels)  # the snapshots keep codes; the words are the reader's
    charts = []
    for panel in panels:
        if panel["snapshot"] is None:
            continue
        data = {**panel["snapshot"].data, "labels": labels[panel["metric"].key]}
        data.pop("keys", None)
        names = list(data["series"])
        series_names = panel["metric"].series
        data["names"] = {n: str(series_names.get(n, n)) for n in names}
        kind = panel["metric"].chart
        charts.append(
            {
                "id": panel["metric"].key,
                "script_id": f"data-{panel['metric'].key}",
                "title": str(panel["metric"].title),
                "chart": kind,
                "options": chart_options(kind, data),
                "height_class": chart_height_class(kind, data),
                "series_names": [series_names.get(n, n) for n in names],
                "rows": [
                    (label, [data["series"][n][i] for n in names]) for i, label in enumerate(data["labels"])
                ],
            }
        )
    computed = [p["snapshot"].computed_at for p in panels if p["snapshot"] is not None]
    context = {"charts": charts, "computed_at": min(computed) if computed else None, "missing": not charts}
    return render(request, "dashboards/home.html", context)
