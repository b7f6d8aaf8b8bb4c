"""The programmes' reads, each limited to what the viewer may see (``viewer=``).

Applications follow the data scope (``accounts.scope``): the applicant and their employer's accounts their
own, a park's or street's staff those of enterprises in their unit, the office all. An expert sees only the
applications of the panels they sit on, and in a blind call never the applicant's name, employer or ID.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from talentcloud.accounts.permissions import has_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.common.errors import NotFound

from . import materials
from .enums import SeatStatus
from .models import Application, Call, Draw, Seat
from .permissions import ProgPerm
from .services import struck_codes

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User


def application_list(*, viewer: User | AnonymousUser) -> QuerySet[Application]:
    return scope_queryset(Application.objects.select_related("call", "talent", "employer"), viewer).order_by(
        "call_id", "number"
    )


def application_get(*, viewer: User | AnonymousUser, pk: int) -> Application:
    application = application_list(viewer=viewer).filter(pk=pk).first()
    if application is None:
        raise NotFound()
    return application


def seats_of(*, viewer: User | AnonymousUser) -> QuerySet[Seat]:
    """The panel seats of the signed-in expert (nothing for anyone else)."""
    if not has_perm(viewer, ProgPerm.REVIEW) or viewer.pk is None:
        return Seat.objects.none()
    return Seat.objects.filter(
        expert__user_id=viewer.pk, draw__active=True, status=SeatStatus.SEATED
    ).select_related("draw__application__call")


def seat_get(*, viewer: User | AnonymousUser, application_pk: int) -> Seat:
    """The expert's seat on this application's panel; 404 when they have none (nothing tells them more)."""
    seat = seats_of(viewer=viewer).filter(draw__application_id=application_pk).first()
    if seat is None:
        raise NotFound()
    return seat


def review_view(seat: Seat) -> dict[str, Any]:
    """What a reviewer reads of the application: in a blind call only the field and the project title; in
    an open call also the applicant's and the team's names and institutions, so they can declare a
    conflict."""
    application = seat.draw.application
    data: dict[str, Any] = {
        "application": application.pk,
        "call": application.call.title,
        "field": application.field,
        "title": application.title,
        "blind": application.call.blind,
        "criteria": [
            {"id": c.pk, "name": c.name, "weight": c.weight} for c in application.call.criteria.all()
        ],
        # submitted for the stage the application is in: 答辩/路演 has its own sheet (ADR 0035)
        "submitted": seat.scores.filter(stage=application.stage).exists(),
        "stage": application.stage,
        "materials": materials.for_reviewer(seat),
    }
    if not application.call.blind:
        data["applicant"] = {"name": application.talent.name, "institution": application.employer.name}
        data["team"] = [{"name": m.name, "institution": m.institution} for m in application.members.all()]
    return data


def published_draws(call: Call) -> dict[str, Any]:
    """Every draw of the call as published: what ``tools/replay_draw.py`` needs to reproduce each panel
    (the experts' public codes, never names; the application's number, never the applicant)."""
    draws = []
    for row in (
        Draw.objects.filter(application__call=call)
        .select_related("application", "ceremony")
        .order_by("application__number", "attempt")
    ):
        draws.append(
            {
                "application": row.application.number,
                "attempt": row.attempt,
                "active": row.active,
                "reason": row.reason,
                "pool": row.pool,
                "digest": row.digest,
                "digits": row.ceremony.digits,
                "ceremony_at": row.ceremony.held_at.isoformat(),
                "size": row.size,
                "struck": struck_codes(row),
                "panel": list(
                    row.seats.filter(status=SeatStatus.SEATED)
                    .order_by("position")
                    .values_list("expert__code", flat=True)
                ),
            }
        )
    return {"call": call.code, "draws": draws}
