from django.urls import include, path

from talentcloud.api.root import api
from talentcloud.api.urls import grouped
from talentcloud.web.views import set_language_view

urlpatterns = [
    # First: an API request then skips the pages' patterns (talentcloud/api/urls.py).
    path("api/v1/", grouped(api.urls)),
    path("", include("talentcloud.web.urls")),
    path("accounts/", include("talentcloud.accounts.urls")),
    path("talents/", include("talentcloud.talents.urls")),
    path("enterprises/", include("talentcloud.enterprises.urls")),
    path("hall/", include("talentcloud.servicehall.urls")),
    path("policies/", include("talentcloud.policies.urls")),
    path("programs/", include("talentcloud.programs.urls")),
    path("stations/", include("talentcloud.stations.urls")),
    path("certification/", include("talentcloud.certification.urls")),
    path("recruitment/", include("talentcloud.recruitment.urls")),
    path("matching/", include("talentcloud.matching.urls")),
    path("campaigns/", include("talentcloud.campaigns.urls")),
    path("payouts/", include("talentcloud.payouts.urls")),
    path("talentcode/", include("talentcloud.talentcode.urls")),
    path("inbox/", include("talentcloud.notifications.urls")),
    path("audit/", include("talentcloud.audit.urls")),
    path("dashboard/", include("talentcloud.dashboards.urls")),
    path("ops/", include("talentcloud.operations.urls")),
    path("i18n/setlang/", set_language_view, name="set_language"),
]

handler404 = "talentcloud.web.views.not_found"
