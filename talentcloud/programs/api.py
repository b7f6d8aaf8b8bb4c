"""The programmes API: the calls and their published draws (public), eligibility clause by clause and
applications for talents, the steps of the table for employers, parks and streets and the office (each within
their scope), the panel draw, ranking and approval for the office, and the review of the panels they sit on
for experts (a blind call shows no name, employer or ID; an application not assigned answers 404)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import ConfigDict

from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.apikit.pagination import Pages
from talentcloud.common.access import api_access
from talentcloud.common.errors import NotFound, ValidationFailed
from talentcloud.talents.models import Talent

from . import materials, publicity, selectors, services
from .models import Call, Ceremony, Objection, PublicityEntry
from .permissions import ProgPerm

router = Router(tags=["programs"])


class ProgCallOut(Schema):
    id: int
    code: str
    title: str
    programme: str
    opens_on: date
    closes_on: date
    blind: bool
    places: int
    budget: Decimal
    award_amount: Decimal
    stages: list[str]

    @staticmethod
    def resolve_programme(obj: Call) -> str:
        return str(obj.programme)


class ProgClauseOut(Schema):
    fact: str
    status: str
    reason: str


class ProgEligibilityOut(Schema):
    status: str
    clauses: list[ProgClauseOut]


class ProgMemberIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100)
    institution: str = Field(max_length=200)
    id_number: str = Field("", max_length=30)


class ProgApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    call_id: int
    title: str = Field(max_length=400)
    field: str = Field(max_length=20)
    members: list[ProgMemberIn] = []
    payee_account: str = Field("", max_length=40)


class ProgEventOut(Schema):
    at: datetime
    action: str
    from_state: str
    to_state: str
    note: str


class ProgApplicationOut(Schema):
    id: int
    number: str
    call_id: int
    title: str
    field: str
    state: str
    stage: str
    revision: int
    applicant: str
    employer: str
    recommended_on: date | None

    @staticmethod
    def resolve_applicant(obj: Any) -> str:
        return obj.talent.name

    @staticmethod
    def resolve_employer(obj: Any) -> str:
        return obj.employer.name


class ProgApplicationDetailOut(ProgApplicationOut):
    events: list[ProgEventOut]

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.all())


class ProgActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal[
        "submit",
        "nominate",
        "decline_nomination",
        "recommend",
        "decline_recommendation",
        "accept",
        "return",
        "resubmit",
        "reject",
        "not_approve",
        "withdraw",
        "to_defense",
        "to_site_visit",
    ]
    revision: int | None = None
    note: str = Field("", max_length=4000)
    pledge: bool = False


class ProgCeremonyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    digits: str = Field(max_length=40)
    witnesses: str = Field(max_length=300)


class ProgCeremonyOut(Schema):
    id: int
    digits: str
    witnesses: str
    held_at: datetime


class ProgDrawIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ceremony_id: int
    reason: str = Field("", max_length=2000)


class ProgDrawOut(Schema):
    attempt: int
    digest: str
    pool: list[str]
    panel: list[str]


class ProgRankOut(Schema):
    application_id: int
    number: str
    state: str
    score: Decimal | None
    sheets: int
    rank: int | None


class ProgSpreadOut(Schema):
    expert: str
    sheets: int
    mean: Decimal
    offset: Decimal | None


class ProgAwardOut(Schema):
    amount: Decimal
    obligation_years: int
    instalments: list[dict[str, Any]]


class ProgReviewOut(Schema):
    application: int
    call: str
    field: str
    title: str
    blind: bool
    criteria: list[dict[str, Any]]
    submitted: bool
    stage: str = ""
    applicant: dict[str, str] | None = None
    team: list[dict[str, str]] | None = None
    materials: list[dict[str, str]] = []


class ProgScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")

    scores: dict[int, Decimal]
    comments: dict[int, str] = {}


class ProgDeclineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=2000)


def _call(call_id: int) -> Call:
    call = Call.objects.select_related("programme").filter(pk=call_id).first()
    if call is None:
        raise NotFound()
    return call


@router.get("/calls", response=list[ProgCallOut], openapi_extra=api_access("public"), auth=None)
def programs_calls(request: HttpRequest) -> object:
    """Every call, newest first (public, like the call notice)."""
    return list(Call.objects.select_related("programme"))


@router.get("/calls/{int:call_id}/draws", openapi_extra=api_access("public"), auth=None)
def programs_draws(request: HttpRequest, call_id: int) -> object:
    """The published draws: pool codes, digests, ceremony digits, struck codes, panels
    (``tools/replay_draw.py`` reproduces each)."""
    return selectors.published_draws(_call(call_id))


@router.get("/calls/{int:call_id}/eligibility", response=ProgEligibilityOut, openapi_extra=api_access("own"))
def programs_eligibility(request: AuthedRequest, call_id: int) -> object:
    """Whether the signed-in talent may apply, clause by clause, in their language."""
    talent = Talent.objects.filter(account=request.user).first()
    if talent is None:
        raise NotFound()
    outcome = services.eligibility(_call(call_id), talent)
    return {
        "status": outcome.status,
        "clauses": [{"fact": c.fact, "status": c.effect, "reason": c.reason()} for c in outcome.clauses],
    }


@router.post("/applications", response={201: ProgApplicationDetailOut}, openapi_extra=api_access("own"))
def programs_apply(request: AuthedRequest, payload: ProgApplicationIn) -> object:
    application = services.application_create(
        actor=request.user,
        call=_call(payload.call_id),
        title=payload.title,
        field=payload.field,
        members=[services.MemberInput(m.name, m.institution, id_number=m.id_number) for m in payload.members],
        payee_account=payload.payee_account,
    )
    return Status(201, selectors.application_get(viewer=request.user, pk=application.pk))


@router.get("/applications", response=list[ProgApplicationOut], openapi_extra=api_access("scoped"))
@paginate(Pages, page_size=50)
def programs_applications(request: HttpRequest) -> object:
    """The applications the viewer may see: their own, their enterprise's, their park's or street's, all."""
    return selectors.application_list(viewer=request.user)


@router.get(
    "/applications/{int:application_id}",
    response=ProgApplicationDetailOut,
    openapi_extra=api_access("scoped"),
)
def programs_application(request: HttpRequest, application_id: int) -> object:
    return selectors.application_get(viewer=request.user, pk=application_id)


@router.post(
    "/applications/{int:application_id}/actions",
    response=ProgApplicationDetailOut,
    openapi_extra=api_access("scoped"),
)
def programs_application_act(request: AuthedRequest, application_id: int, payload: ProgActionIn) -> object:
    """One step of the table: the applicant submits (with ``pledge``), resubmits or withdraws; the employer
    nominates; the park or street recommends; the office accepts, returns, rejects or does not approve."""
    application = selectors.application_get(viewer=request.user, pk=application_id)
    services.move(
        actor=request.user,
        application=application,
        action=payload.action,
        expected_revision=payload.revision,
        note=payload.note,
        pledge=payload.pledge,
    )
    return selectors.application_get(viewer=request.user, pk=application_id)


class ProgMaterialOut(Schema):
    key: str
    anonymised: bool
    display_name: str
    size: int
    sm3: str


@router.post(
    "/applications/{int:application_id}/materials",
    response={201: ProgMaterialOut},
    openapi_extra=api_access("scoped"),
)
def programs_material(
    request: AuthedRequest,
    application_id: int,
    key: Form[str],
    file: File[UploadedFile],
    anonymised: Form[str] = "",
) -> object:
    """The applicant adds a material the call names (multipart, a PDF); ``anonymised=true`` for the
    anonymised version a blind call's reviewers receive."""
    application = selectors.application_get(viewer=request.user, pk=application_id)
    return Status(
        201,
        materials.material_add(
            actor=request.user,
            application=application,
            key=key,
            upload=file,
            anonymised=anonymised.lower() in ("1", "true", "on", "yes"),
        ),
    )


@router.post(
    "/applications/{int:application_id}/anonymised-check",
    response=ProgApplicationDetailOut,
    openapi_extra=api_access("scoped"),
)
def programs_anonymised_check(request: AuthedRequest, application_id: int) -> object:
    """The office confirms at the formal check that the anonymised materials show no name, employer or ID."""
    application = selectors.application_get(viewer=request.user, pk=application_id)
    materials.anonymised_check(actor=request.user, application=application)
    return selectors.application_get(viewer=request.user, pk=application_id)


@router.get("/reviews/{int:application_id}/materials/{key}", openapi_extra=api_access("own"))
def programs_review_material(request: AuthedRequest, application_id: int, key: str) -> HttpResponse:
    """A reviewer downloads a material of their seat: in a blind call only the anonymised version, always
    under a neutral file name."""
    seat = selectors.seat_get(viewer=request.user, application_pk=application_id)
    material, data = materials.reviewer_read(actor=request.user, seat=seat, key=key)
    response = HttpResponse(data, content_type=material.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(True, materials.neutral_name(material)) or "attachment"
    )
    return response


@router.post(
    "/calls/{int:call_id}/ceremonies", response={201: ProgCeremonyOut}, openapi_extra=api_access("admin")
)
def programs_ceremony(request: AuthedRequest, call_id: int, payload: ProgCeremonyIn) -> object:
    ceremony = services.ceremony_record(
        actor=request.user, call=_call(call_id), digits=payload.digits, witnesses=payload.witnesses
    )
    return Status(201, ceremony)


@router.post(
    "/applications/{int:application_id}/draw", response={201: ProgDrawOut}, openapi_extra=api_access("scoped")
)
def programs_draw(request: AuthedRequest, application_id: int, payload: ProgDrawIn) -> object:
    """Draw the panel (a second attempt needs ``reason``)."""
    require_perm(request.user, ProgPerm.MANAGE)
    application = selectors.application_get(viewer=request.user, pk=application_id)
    ceremony = Ceremony.objects.filter(pk=payload.ceremony_id, call_id=application.call_id).first()
    if ceremony is None:
        raise NotFound()
    row = services.draw_panel(
        actor=request.user, application=application, ceremony=ceremony, reason=payload.reason
    )
    panel = list(
        row.seats.filter(status="seated").order_by("position").values_list("expert__code", flat=True)
    )
    return Status(201, {"attempt": row.attempt, "digest": row.digest, "pool": row.pool, "panel": panel})


@router.get("/calls/{int:call_id}/ranking", response=list[ProgRankOut], openapi_extra=api_access("admin"))
def programs_ranking(request: AuthedRequest, call_id: int) -> object:
    require_perm(request.user, ProgPerm.MANAGE)
    return [
        {
            "application_id": r.application.pk,
            "number": r.application.number,
            "state": r.application.state,
            "score": r.score,
            "sheets": r.sheets,
            "rank": r.rank,
        }
        for r in services.ranking(_call(call_id))
    ]


@router.get("/calls/{int:call_id}/spread", response=list[ProgSpreadOut], openapi_extra=api_access("admin"))
def programs_spread(request: AuthedRequest, call_id: int) -> object:
    require_perm(request.user, ProgPerm.MANAGE)
    return services.spread(_call(call_id))


@router.post(
    "/applications/{int:application_id}/approve",
    response={201: ProgAwardOut},
    openapi_extra=api_access("scoped"),
)
def programs_approve(request: AuthedRequest, application_id: int) -> object:
    """Approve down the ranking within places and budget; certifies the talent."""
    require_perm(request.user, ProgPerm.MANAGE)
    application = selectors.application_get(viewer=request.user, pk=application_id)
    award = services.approve(actor=request.user, application=application)
    return Status(
        201,
        {
            "amount": award.amount,
            "obligation_years": award.obligation_years,
            "instalments": [
                {"seq": i.seq, "amount": str(i.amount), "milestone": i.milestone}
                for i in award.instalment_rows.all()
            ],
        },
    )


@router.get("/reviews", response=list[ProgReviewOut], openapi_extra=api_access("own"))
def programs_reviews(request: AuthedRequest) -> object:
    """The panels the signed-in expert sits on."""
    return [selectors.review_view(seat) for seat in selectors.seats_of(viewer=request.user)]


@router.get("/reviews/{int:application_id}", response=ProgReviewOut, openapi_extra=api_access("own"))
def programs_review(request: AuthedRequest, application_id: int) -> object:
    return selectors.review_view(selectors.seat_get(viewer=request.user, application_pk=application_id))


@router.post("/reviews/{int:application_id}/scores", response=ProgReviewOut, openapi_extra=api_access("own"))
def programs_score(request: AuthedRequest, application_id: int, payload: ProgScoreIn) -> object:
    seat = selectors.seat_get(viewer=request.user, application_pk=application_id)
    services.score_submit(actor=request.user, seat=seat, values=payload.scores, comments=payload.comments)
    return selectors.review_view(selectors.seat_get(viewer=request.user, application_pk=application_id))


@router.post(
    "/reviews/{int:application_id}/decline", response=dict[str, bool], openapi_extra=api_access("own")
)
def programs_decline(request: AuthedRequest, application_id: int, payload: ProgDeclineIn) -> object:
    """Decline the seat (a conflict, or the work is recognised); the next of the same stream takes it."""
    seat = selectors.seat_get(viewer=request.user, application_pk=application_id)
    services.seat_decline(actor=request.user, seat=seat, reason=payload.reason)
    return {"declined": True}


class ProgPublicityIn(Schema):
    model_config = ConfigDict(extra="forbid")

    days: int = 5


class ProgObjectionOut(Schema):
    id: int
    entry_id: int
    status: str


class ProgObjectionStaffOut(ProgObjectionOut):
    text: str
    reply: str
    objector: str

    @staticmethod
    def resolve_objector(obj: Any) -> str:
        return (obj.user.display_name or obj.user.username) if obj.user_id else ""


class ProgDecideIn(Schema):
    model_config = ConfigDict(extra="forbid")

    upheld: bool
    reply: str = Field(max_length=4000)
    withdraw: bool = False
    employer_name: str = Field("", max_length=200)


@router.get("/calls/{int:call_id}/publicity", openapi_extra=api_access("public"), auth=None)
def programs_publicity(request: HttpRequest, call_id: int) -> object:
    """公示: the published list, masked fields only."""
    return publicity.published(_call(call_id))


@router.post(
    "/calls/{int:call_id}/publicity", response={201: list[dict[str, Any]]}, openapi_extra=api_access("admin")
)
def programs_publish(request: AuthedRequest, call_id: int, payload: ProgPublicityIn) -> object:
    call = _call(call_id)
    publicity.publish(actor=request.user, call=call, days=payload.days)
    return Status(201, publicity.published(call))


class ProgObjectIn(Schema):
    model_config = ConfigDict(extra="forbid")

    entry: int
    text: str = Field(max_length=4000)


@router.post("/objections", response={201: ProgObjectionOut}, openapi_extra=api_access("own"))
def programs_object(request: AuthedRequest, payload: ProgObjectIn) -> object:
    """An objection to one line of a published list, by the signed-in person (a bearer token, or the
    session with its CSRF header, like every write of the API): handled when their identity is verified
    (an account linked to an archive), at most three a day; otherwise recorded only. Refused outside the
    line's window. The answer is the objector's own: no other objection, no other objector."""
    entry = PublicityEntry.objects.filter(pk=payload.entry, withdrawn=False).first()
    if entry is None:
        raise NotFound()
    return Status(201, publicity.object_to(user=request.user, entry=entry, text=payload.text))


@router.get(
    "/calls/{int:call_id}/objections", response=list[ProgObjectionStaffOut], openapi_extra=api_access("admin")
)
def programs_objections(request: AuthedRequest, call_id: int) -> object:
    """The objections, with who objected: the office's handlers only."""
    return publicity.objections_for(viewer=request.user, call=_call(call_id))


@router.post(
    "/objections/{int:objection_id}", response=ProgObjectionStaffOut, openapi_extra=api_access("admin")
)
def programs_objection_decide(request: AuthedRequest, objection_id: int, payload: ProgDecideIn) -> object:
    require_perm(request.user, ProgPerm.MANAGE)
    objection = Objection.objects.filter(pk=objection_id).first()
    if objection is None:
        raise NotFound()
    return publicity.objection_decide(actor=request.user, objection=objection, **payload.dict())


class ProgCriterionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100)
    weight: int


class ProgInstalmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    share: int
    milestone: str = Field(max_length=200)


class ProgCallIn(Schema):
    """A new call: the programme of the register by code, dates, the eligibility rule in the one rule
    language, places, budget and amount per award, the instalments, what an approval certifies, the panel
    and the criteria."""

    model_config = ConfigDict(extra="forbid")

    programme_code: str = Field(max_length=60)
    code: str = Field(max_length=40)
    title: str = Field(max_length=200)
    opens_on: date
    closes_on: date
    rule: dict[str, Any]
    places: int
    budget: Decimal
    award_amount: Decimal
    grade: str = Field(max_length=1)
    tier: str = Field("", max_length=20)
    blind: bool = False
    panel_size: int = 5
    conflict_years: int = 3
    obligation_years: int = 5
    instalments: list[ProgInstalmentIn]
    criteria: list[ProgCriterionIn]
    # The optional stages after the written review: "defense" (答辩/路演), "site_visit".
    extra_stages: list[str] = []
    # [{"key": "plan", "label": "项目计划书"}]: the materials an application carries.
    materials: list[dict[str, str]] = []
    # [{"holder": credit code or unit code, "places": n}]: the nomination quotas.
    quotas: list[dict[str, Any]] = []
    budget_code: str = Field("", max_length=60)
    exclusion_group: str = Field("", max_length=60)


class ProgExpertIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=12)
    name: str = Field(max_length=100)
    fields: list[str]
    cap: int = 10
    affiliations: list[dict[str, Any]] = []


class ProgExpertOut(Schema):
    id: int
    code: str
    name: str
    fields: list[str]
    cap: int


@router.post("/calls", response={201: ProgCallOut}, openapi_extra=api_access("admin"))
def programs_call_create(request: AuthedRequest, payload: ProgCallIn) -> object:
    data = payload.dict()
    data["instalments"] = tuple((i["share"], i["milestone"]) for i in data["instalments"])
    data["criteria"] = tuple((c["name"], c["weight"]) for c in data["criteria"])
    data["extra_stages"] = tuple(data["extra_stages"])
    data["materials"] = tuple((str(m.get("key", "")), str(m.get("label", ""))) for m in data["materials"])
    try:
        data["quotas"] = tuple((str(q["holder"]), int(q["places"])) for q in data["quotas"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed(
            fields={"quotas": [_("Each quota has a holder's code and a number of places.")]}
        ) from exc
    return Status(201, services.call_create(actor=request.user, data=services.CallInput(**data)))


@router.post("/experts", response={201: ProgExpertOut}, openapi_extra=api_access("admin"))
def programs_expert_save(request: AuthedRequest, payload: ProgExpertIn) -> object:
    """Add or update an expert of the pool (by code) with their dated institution history
    (``{"institution", "start", "end"}``); panels drawn before are checked again."""
    require_perm(request.user, ProgPerm.MANAGE)
    try:
        affiliations = [
            (
                str(a["institution"]),
                date.fromisoformat(str(a["start"])),
                date.fromisoformat(str(a["end"])) if a.get("end") else None,
            )
            for a in payload.affiliations
        ]
    except (KeyError, ValueError) as exc:
        raise ValidationFailed(
            fields={"affiliations": [_("Each has an institution, a start date and perhaps an end date.")]}
        ) from exc
    expert = services.expert_save(
        actor=request.user,
        code=payload.code,
        name=payload.name,
        fields=payload.fields,
        cap=payload.cap,
        affiliations=affiliations,
    )
    return Status(201, expert)
