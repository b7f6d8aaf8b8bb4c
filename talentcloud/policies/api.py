"""Policies through the API: the library (public), the calculator (own archive, or a talent in scope), and
writing policies (the office): checks, drafts, simulation and publishing."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints

from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.selectors import require_perm_any
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import api_access
from talentcloud.common.errors import Conflict, NotFound, ValidationFailed
from talentcloud.common.weburl import WebUrl
from talentcloud.enterprises.permissions import EnterprisePerm
from talentcloud.enterprises.selectors import enterprise_for_member_or_staff
from talentcloud.rules.logic import params_named, validate
from talentcloud.servicehall.models import Service
from talentcloud.talents.permissions import TalentPerm
from talentcloud.talents.selectors import talent_get, talent_own_archive

from . import authoring, cases, office_facts
from .engine import Verdict, calculate, withhold_values
from .models import FactDefinition, Parameter, Policy, PolicyStatus, parameters_on
from .permissions import PolicyPerm
from .prepared import NotPrepared, prepared_case
from .simulation import parse_overrides, simulate

router = Router(tags=["policies"])


class PolicyOut(Schema):
    code: str
    version: int
    title: str
    title_en: str
    issuer: str
    document_number: str
    source_url: str
    target: str
    effective_from: date
    effective_to: date | None
    exclusion_group: str
    excludes: list[str]
    rule: dict[str, Any]
    benefit: dict[str, Any]


@router.get("", response=list[PolicyOut], openapi_extra=api_access("public"), auth=None)
def policies_list(request: HttpRequest) -> object:
    return Policy.objects.filter(status=PolicyStatus.PUBLISHED).order_by("code")


@router.get("/policy/{code}", response=PolicyOut, openapi_extra=api_access("public"), auth=None)
def policies_detail(request: HttpRequest, code: str) -> object:
    return get_object_or_404(Policy, code=code, status=PolicyStatus.PUBLISHED)


class ClauseOut(Schema):
    path: str
    fact: str
    status: str
    actual: str
    required: str
    reason: str


class VerdictOut(Schema):
    policy: str
    version: int
    title: str
    status: str
    amount: str | None
    period: str | None
    yearly: str | None
    entitlement: str
    computation: str
    excluded_by: str | None
    reasons: list[str]
    clauses: list[ClauseOut]


def _out(verdict: Verdict) -> dict[str, Any]:
    return {
        "policy": verdict.policy.code,
        "version": verdict.policy.version,
        "title": str(verdict.policy),
        "status": verdict.status,
        "amount": str(verdict.amount.per_period) if verdict.amount else None,
        "period": verdict.amount.period if verdict.amount else None,
        "yearly": str(verdict.amount.yearly) if verdict.amount else None,
        "entitlement": verdict.entitlement(),
        "computation": verdict.amount.computation() if verdict.amount else "",
        "excluded_by": verdict.excluded_by.code if verdict.excluded_by else None,
        "reasons": verdict.reasons + verdict.notes,
        "clauses": [{**c.__dict__, "reason": c.reason()} for c in verdict.outcome.clauses],
    }


@router.get("/calculator/me", response=list[VerdictOut], openapi_extra=api_access("own"))
def calculator_me(request: HttpRequest) -> object:
    talent = talent_own_archive(viewer=request.user, related=False)
    if talent is None:
        raise NotFound()
    return [_out(v) for v in calculate(talent=talent)]


@router.get(
    "/calculator/enterprise/{uuid:enterprise_id}",
    response=list[VerdictOut],
    openapi_extra=api_access("scoped"),
)
def calculator_for_enterprise(request: HttpRequest, enterprise_id: uuid.UUID) -> object:
    """Every enterprise policy for this enterprise: for its members, and for staff whose scope holds it."""
    enterprise = enterprise_for_member_or_staff(viewer=request.user, enterprise_id=enterprise_id)
    return [_out(v) for v in calculate(enterprise=enterprise)]


class PreparedOut(Schema):
    case_id: uuid.UUID
    url: str  # the draft's page
    prepared: bool  # prepared by this call (false: it was already)


def _prepared(request: AuthedRequest, code: str, enterprise_id: uuid.UUID | None) -> object:
    try:
        case, made = prepared_case(viewer=request.user, code=code, enterprise_id=enterprise_id)
    except NotPrepared as refused:
        raise (NotFound if refused.missing else Conflict)(refused.message) from refused
    found = {"case_id": case.pk, "url": f"/hall/cases/{case.pk}/", "prepared": made}
    return Status(201, found) if made else found


@router.post(
    "/prepared/{slug:code}", response={200: PreparedOut, 201: PreparedOut}, openapi_extra=api_access("own")
)
def prepared_mine(request: AuthedRequest, code: str) -> object:
    """The draft a 免申即享 notice of a policy that applies through a service points to, prepared now if it
    is not yet (ADR 0040; the page ``/policies/prepared/<code>/``): 201 when prepared by this call, 200 when
    it was already; 409 with the reason when the newest results no longer grant the policy or the service
    refuses the talent."""
    return _prepared(request, code, None)


@router.post(
    "/prepared/{slug:code}/enterprise/{uuid:enterprise_id}",
    response={200: PreparedOut, 201: PreparedOut},
    openapi_extra=api_access("own"),
)
def prepared_for_enterprise(request: AuthedRequest, code: str, enterprise_id: uuid.UUID) -> object:
    """The same for an enterprise the account administers (one draft per enterprise: 409 for another
    administrator once one has it)."""
    return _prepared(request, code, enterprise_id)


@router.get("/calculator/{uuid:talent_id}", response=list[VerdictOut], openapi_extra=api_access("scoped"))
def calculator_for(request: HttpRequest, talent_id: uuid.UUID) -> object:
    """Staff run the calculator for a talent in their scope (values of family facts withheld without the
    family permission)."""
    talent = talent_get(viewer=request.user, talent_id=talent_id)
    return [_out(v) for v in withhold_values(calculate(talent=talent), request.user)]


# --- writing policies (the office): drafts, checks, simulation, publishing -------------------------------


class ProblemOut(Schema):
    path: str
    reason: str


class CheckIn(Schema):
    rule: dict[str, Any]
    benefit: dict[str, Any]
    effective_from: date | None = None
    target: Literal["talent", "enterprise"] = "talent"


class CheckOut(Schema):
    ok: bool
    problems: list[ProblemOut]


class PolicyCaseExpectIn(Schema):
    status: Literal["eligible", "not_eligible", "missing"]
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    failed: list[str] = Field(default_factory=list, max_length=20)
    missing: list[str] = Field(default_factory=list, max_length=20)


class PolicyCaseIn(Schema):
    """A test case: a made-up person's facts and the outcome the policy must give them."""

    name: str = Field(min_length=1, max_length=120)
    as_of: date | None = None
    facts: dict[str, bool | int | str] = Field(default_factory=dict)
    expect: PolicyCaseExpectIn


class DraftIn(Schema):
    # Required as on the page: blank or spaces only is missing (the form strips before it checks).
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    title_en: str = Field("", max_length=200)
    issuer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    document_number: str = Field("", max_length=100)
    source_url: WebUrl = Field("", max_length=200, json_schema_extra={"maxLength": 200})
    effective_from: date
    effective_to: date | None = None
    exclusion_group: str = Field("", max_length=60, pattern=r"^[-a-zA-Z0-9_]*$")
    group_priority: int = Field(0, ge=0, le=1000)
    excludes: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][-a-z0-9]*$", max_length=60)]] = Field(
        default_factory=list,
        max_length=20,
        description="codes of policies this one is not granted together with (就高不重复, pair by pair)",
    )
    yearly_budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    materials: list[str] = Field(default_factory=list, max_length=30)
    summary: str = Field("", max_length=4000)
    target: Literal["talent", "enterprise"] = "talent"
    service: str = Field("", max_length=40, description="the code of the service to apply through")
    on_match: Literal["notify", "case"] = Field(
        "notify",
        description="what the sweep does for someone newly eligible: tell them, or open a pre-filled case",
    )
    rule: dict[str, Any]
    benefit: dict[str, Any]
    tests: list[PolicyCaseIn] | None = Field(
        None, max_length=40, description="the policy's test cases; left out, the draft's stay as they are"
    )


class NewPolicyIn(DraftIn):
    code: str = Field(min_length=2, max_length=60, pattern=r"^[a-z0-9][-a-z0-9]*$")


class DraftOut(PolicyOut):
    status: str
    tests_failing: list[str]


def _values(payload: DraftIn) -> dict[str, Any]:

    values = payload.dict(exclude={"rule", "benefit", "code", "tests"})
    service = None
    if payload.service:
        service = Service.objects.filter(code=payload.service).first()
        if service is None:
            raise ValidationFailed(fields={"service": [_("No service has this code.")]})
    values["service"] = service
    return values


def _tests(payload: DraftIn) -> list[dict[str, Any]] | None:
    """The payload's test cases, checked as the editor's case rows are (422 with ``tests[<i>]``)."""
    if payload.tests is None:
        return None
    given = []
    for case in payload.tests:
        data = case.dict()
        data["expect"] = {k: v for k, v in data["expect"].items() if v not in (None, [])}
        given.append({k: v for k, v in data.items() if v is not None})
    tests, problems = cases.cases_to_tests(cases.cases_from_tests(given), payload.target)
    if problems:
        raise ValidationFailed(fields={k: list(v) for k, v in problems.items()})
    return tests


def _draft_out(policy: Policy) -> dict[str, Any]:
    out = {name: getattr(policy, name) for name in PolicyOut.model_fields}
    out["status"] = policy.status
    out["tests_failing"] = authoring.test_failures(policy) if policy.status == PolicyStatus.DRAFT else []
    return out


@router.post("/check", response=CheckOut, openapi_extra=api_access("admin"))
def policies_check(request: HttpRequest, payload: CheckIn) -> object:
    """Check a rule and a benefit without saving: every problem with its clause path and reason."""
    require_perm(request.user, PolicyPerm.MANAGE)
    values = {"effective_from": payload.effective_from, "target": payload.target}
    problems = authoring.problems_of(rule=payload.rule, benefit=payload.benefit, values=values)
    listed = [{"path": path, "reason": str(r)} for path, reasons in problems.items() for r in reasons]
    return {"ok": not listed, "problems": listed}


@router.post("/drafts", response={201: DraftOut}, openapi_extra=api_access("admin"))
def drafts_create(request: AuthedRequest, payload: NewPolicyIn) -> object:
    """A new policy as draft version 1. A broken rule or benefit is refused (422) with each problem's path."""
    require_perm(request.user, PolicyPerm.MANAGE)
    policy = authoring.policy_create(
        actor=request.user,
        code=payload.code,
        values=_values(payload),
        rule=payload.rule,
        benefit=payload.benefit,
        tests=_tests(payload),
    )
    return Status(201, _draft_out(policy))


@router.get("/drafts/{slug:code}", response=DraftOut, openapi_extra=api_access("admin"))
def drafts_get(request: HttpRequest, code: str) -> object:
    """The version being worked on: the draft, or the published version when there is no draft."""
    require_perm(request.user, PolicyPerm.MANAGE)
    return _draft_out(authoring.newest_of(code))


@router.put("/drafts/{slug:code}", response=DraftOut, openapi_extra=api_access("admin"))
def drafts_save(request: AuthedRequest, code: str, payload: DraftIn) -> object:
    """Save the policy's draft (a new version is started from the newest if there is none)."""
    require_perm(request.user, PolicyPerm.MANAGE)
    authoring.newest_of(code)  # 404 for an unknown policy
    policy = authoring.draft_save(
        actor=request.user,
        code=code,
        values=_values(payload),
        rule=payload.rule,
        benefit=payload.benefit,
        tests=_tests(payload),
    )
    return _draft_out(policy)


@router.post("/drafts/{slug:code}/publish", response=DraftOut, openapi_extra=api_access("admin"))
def drafts_publish(request: AuthedRequest, code: str) -> object:
    """Publish the draft. A second person's step: it needs ``policy.publish``, and whoever last changed the
    draft is refused (403)."""
    require_perm(request.user, PolicyPerm.PUBLISH)
    return _draft_out(authoring.publish(actor=request.user, code=code))


class GroupOut(Schema):
    label: str
    now: int
    draft: int
    gain: int
    lose: int


class SimulationOut(Schema):
    on: date
    params: dict[str, Any]
    now: int
    draft: int
    gain: int
    lose: int
    unknown: int
    cost_now: Decimal
    cost_draft: Decimal
    budget: Decimal | None
    groups: dict[str, list[GroupOut]]


@router.get("/drafts/{slug:code}/simulation", response=SimulationOut, openapi_extra=api_access("admin"))
def drafts_simulate(request: HttpRequest, code: str) -> object:
    """The draft against the published version (政策沙盘); query ``p.<parameter>`` tries a parameter value."""
    require_perm(request.user, PolicyPerm.MANAGE)
    draft = authoring.newest_of(code)
    overrides, problems = parse_overrides(request.GET, params_named(draft.rule))
    on = timezone.localdate()
    if not problems:
        for error in validate(draft.rule, {**parameters_on(on), **overrides}, target=draft.target):
            problems.setdefault(error.path, error.reason)
    if problems:
        raise ValidationFailed(fields={k: [v] for k, v in problems.items()})
    return simulate(
        draft=draft, current=authoring.published_of(code), viewer=request.user, on=on, overrides=overrides
    )


class ParameterOut(Schema):
    name: str
    value: Any
    effective_from: date
    source: str


class ParameterIn(Schema):
    name: str = Field(max_length=60)
    value: int = Field(ge=-100000, le=100000000)
    effective_from: date
    source: str = Field(min_length=1, max_length=200)


@router.get("/parameters", response=list[ParameterOut], openapi_extra=api_access("public"), auth=None)
def parameters_list(request: HttpRequest) -> object:
    """Every dated parameter value, newest first per name (public: the rules that name them are)."""
    return Parameter.objects.order_by("name", "-effective_from")


@router.post("/parameters", response={201: ParameterOut}, openapi_extra=api_access("admin"))
def parameters_adopt(request: AuthedRequest, payload: ParameterIn) -> object:
    """A parameter's new value from a date (today or later); refused if a rule naming it would break."""
    require_perm(request.user, PolicyPerm.MANAGE)
    return Status(201, authoring.parameter_adopt(actor=request.user, **payload.dict()))


# --- facts the office defines (ADR 0020) ----------------------------------------------------------------


class FactDefinitionOut(Schema):
    key: str
    label: str
    label_en: str
    kind: str
    target: str
    unit: str
    choices: list[dict[str, str]]
    recorders: str
    must_verify: bool
    keys: list[str]  # how rules name it (a recognition gives four facts)

    @staticmethod
    def resolve_keys(obj: Any) -> list[str]:
        return office_facts.keys_of(obj)


class FactDefinitionIn(Schema):
    key: str = Field(max_length=30)
    label: str = Field(max_length=100)
    label_en: str = Field(default="", max_length=100)
    kind: Literal["bool", "number", "date", "choice", "recognition"]
    target: Literal["talent", "enterprise"] = "talent"
    unit: str = Field(default="", max_length=20)
    choices: list[dict[str, str]] = Field(default_factory=list, max_length=50)
    recorders: Literal["office", "archive"] = "office"
    must_verify: bool = False


class RecordedValueIn(Schema):
    who: str = Field(min_length=1, max_length=30, description="ID number (a talent) or credit code")
    value: str = Field(default="", max_length=100)
    valid_from: date
    valid_until: date | None = None


class RecordedValueOut(Schema):
    fact: str
    valid_from: date
    valid_until: date | None
    source: str
    verified: bool


@router.get("/facts", response=list[FactDefinitionOut], openapi_extra=api_access("admin"))
def facts_list(request: HttpRequest) -> object:
    """The facts the office defined (a rule may name each of their keys)."""
    require_perm_any(request.user, (PolicyPerm.MANAGE, TalentPerm.EDIT, EnterprisePerm.EDIT))
    return office_facts.definitions()


@router.post("/facts", response={201: FactDefinitionOut}, openapi_extra=api_access("admin"))
def facts_define(request: AuthedRequest, payload: FactDefinitionIn) -> object:
    """A new fact, usable in rules at once; a taken key or a bad choice list is refused (422) by field."""
    require_perm(request.user, PolicyPerm.MANAGE)
    return Status(201, office_facts.define_fact(actor=request.user, **payload.dict()))


@router.delete("/facts/{slug:key}", response={204: None}, openapi_extra=api_access("admin"))
def facts_remove(request: AuthedRequest, key: str) -> object:
    """Remove a fact and its values; refused (409) while a published policy reads it."""
    require_perm(request.user, PolicyPerm.MANAGE)
    definition = get_object_or_404(FactDefinition, key=key)
    office_facts.remove_fact(actor=request.user, definition=definition)
    return Status(204, None)


@router.post("/facts/{slug:key}/values", response={201: RecordedValueOut}, openapi_extra=api_access("scoped"))
def facts_record(request: AuthedRequest, key: str, payload: RecordedValueIn) -> object:
    """A value for a talent (by ID number) or an enterprise (by credit code) in the caller's scope."""
    require_perm_any(request.user, (PolicyPerm.MANAGE, TalentPerm.EDIT, EnterprisePerm.EDIT))
    definition = get_object_or_404(FactDefinition, key=key)
    subject = office_facts.subject_in_scope(viewer=request.user, definition=definition, who=payload.who)
    if subject is None:
        raise NotFound()
    row = office_facts.record_value(
        actor=request.user,
        definition=definition,
        subject=subject,
        value=payload.value,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return Status(
        201,
        {
            "fact": definition.key,
            "valid_from": row.valid_from,
            "valid_until": row.valid_until,
            "source": row.source,
            "verified": row.verified,
        },
    )
