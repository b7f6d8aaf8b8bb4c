"""Write-scope cases of this app's reference-taking doors (read by ``api/tests/test_write_scope.py``)."""

from __future__ import annotations

from typing import Any

from talentcloud.accounts.models import User
from talentcloud.api.tests.writescope import (
    REFERENCE_DATA,
    ROUTING,
    Exempt,
    Probe,
    World,
    api_door,
    page_door,
)
from talentcloud.servicehall.models import Case, Service
from talentcloud.servicehall.workflow import case_transition


def reassign_page_data(w: World, user: User) -> dict[str, Any]:
    return {"action": "reassign", "revision": Case.objects.get(pk=w.case.pk).revision, "reassign-note": ""}


REASSIGN_PAGE = page_door(
    lambda w: f"/hall/cases/{w.case.pk}/", lambda w: f"/hall/cases/{w.case.pk}/act/", reassign_page_data
)


REASSIGN_API = api_door(
    "post", lambda w: f"/api/v1/hall/cases/{w.case.pk}/actions", lambda w: {"action": "reassign"}
)


def reassign_service(w: World, user: User, name: str, value: Any) -> None:
    case_transition(
        actor=user, case=Case.objects.get(pk=w.case.pk), action="reassign", handler=value.username
    )


WRITE_SCOPE_CASES: dict[str, Probe | Exempt] = {
    "servicehall.HandlerForm.handler": Probe(
        "handler", (REASSIGN_PAGE,), reassign_service, door_field="reassign-handler"
    ),
    "servicehall.ServiceForm.department": Exempt(ROUTING),
    "servicehall.ServiceForm.co_departments": Exempt(ROUTING),
    "POST /api/v1/hall/cases service": Exempt(REFERENCE_DATA, Service),
    "POST /api/v1/hall/cases/{case_id}/actions handler": Probe("handler", (REASSIGN_API,), reassign_service),
}
