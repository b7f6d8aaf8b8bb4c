"""The policy library (public), a policy's page with its rule in words, and the calculator for a talent."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.enterprises.selectors import enterprise_for_member_or_staff, enterprise_own
from talentcloud.rules.facts import FACTS
from talentcloud.talents.selectors import talent_get, talent_own_archive

from . import explain, office_facts
from .decision import exclusion_sets
from .engine import (
    NONE,
    NONE_ANSWERS,
    UNSURE,
    UNSURE_ANSWER,
    answer_code,
    answer_text,
    calculate,
    calculate_for_facts,
    next_question,
    parse_answers,
    quick_facts,
    withhold_values,
)
from .models import Policy, PolicyStatus, parameters_on
from .prepared import NotPrepared, prepared_case
from .sweep import found_for


@access("public")
@require_GET
def library_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:50]
    policies = Policy.objects.filter(status=PolicyStatus.PUBLISHED).select_related("service").order_by("code")
    if query:
        policies = policies.filter(title__icontains=query)
    return render(request, "policies/library.html", {"policies": policies, "query": query})


def _paired(policy: Policy, other: Policy) -> bool:
    """Whether the two are not granted together (a shared group, or one names the other)."""
    groups = exclusion_sets([policy, other])
    return bool(set(groups[policy.code]) & set(groups[other.code]))


@access("public")
@require_GET
def policy_view(request: HttpRequest, code: str) -> HttpResponse:
    policy = get_object_or_404(
        Policy.objects.select_related("service"), code=code, status=PolicyStatus.PUBLISHED
    )
    published = Policy.objects.filter(status=PolicyStatus.PUBLISHED).exclude(code=policy.code)
    partners = [other for other in published.order_by("code") if _paired(policy, other)]
    service = policy.service if policy.service is not None and policy.service.is_active else None
    context = {
        "policy": policy,
        "lines": explain.conditions(policy.rule, parameters_on(timezone.localdate())),
        "benefit": explain.benefit_words(policy.benefit),
        "partners": list(partners),
        "service": service,
    }
    return render(request, "policies/policy.html", context)


@access("own")
@require_GET
def my_calculator_view(request: AuthedRequest) -> HttpResponse:
    """A talent's own calculator: every policy for them, with reasons and the next step; an account acting
    for an enterprise also sees the enterprise's."""
    talent = talent_own_archive(viewer=request.user, related=False)
    verdicts = calculate(talent=talent) if talent is not None else []
    enterprise = enterprise_own(viewer=request.user)
    found = found_for(talent=talent, policies=[v.policy for v in verdicts]) if talent is not None else []
    context = {
        "talent": talent,
        "verdicts": verdicts,
        "entitlements": found,
        "enterprise": enterprise,
        "enterprise_verdicts": calculate(enterprise=enterprise) if enterprise is not None else [],
    }
    return render(request, "policies/calculator.html", context)


@access("own")
@require_GET
def prepared_view(request: AuthedRequest, code: str, enterprise_id: uuid.UUID | None = None) -> HttpResponse:
    """Where a 免申即享 notice of a policy that applies through a service sends its reader: their draft,
    prepared now if this is the first time it is opened (ADR 0040: once per person and policy, so opening
    it again, or from the list, finds the same draft); why not, on the calculator, when no draft opens."""
    try:
        case, _made = prepared_case(viewer=request.user, code=code, enterprise_id=enterprise_id)
    except NotPrepared as refused:
        if refused.missing:
            raise Http404(refused.message) from refused
        messages.info(request, refused.message)
        if enterprise_id is not None:
            return redirect("policies:enterprise_calculator", enterprise_id=enterprise_id)
        return redirect("policies:calculator")
    return redirect("servicehall:case", case.pk)


@access("scoped")
@require_GET
def enterprise_calculator_view(request: AuthedRequest, enterprise_id: uuid.UUID) -> HttpResponse:
    """The calculator for an enterprise: for its own members, and for staff whose scope holds it."""
    enterprise = enterprise_for_member_or_staff(viewer=request.user, enterprise_id=enterprise_id)
    context = {"enterprise": enterprise, "enterprise_verdicts": calculate(enterprise=enterprise)}
    return render(request, "policies/calculator.html", context)


@access("scoped")
@require_GET
def talent_calculator_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    """Staff run the calculator on a talent's behalf (the talent must be in their scope)."""
    talent = talent_get(viewer=request.user, talent_id=talent_id)
    verdicts = withhold_values(calculate(talent=talent), request.user)
    return render(request, "policies/calculator.html", {"talent": talent, "verdicts": verdicts})


@access("public")
@ratelimit(key="ip", rate=lambda g, r: settings.RATELIMIT_CALCULATOR, block=True)
@require_GET
def quick_view(request: HttpRequest) -> HttpResponse:
    """The anonymous calculator: no account, nothing stored. The visitor's answers travel in the address;
    the next question is the fact that decides the most policies still undecided."""
    office_facts.refresh()  # the questions include the facts the office defined a moment ago
    answers = parse_answers(request.GET)
    verdicts = calculate_for_facts(quick_facts(answers))
    key = next_question(verdicts, asked=answers.keys())
    context = {
        "answers": [(FACTS[k], answer_code(v), answer_text(k, v)) for k, v in answers.items()],
        "question": FACTS[key] if key else None,
        "none_answer": NONE_ANSWERS.get(key or ""),
        "none": NONE,
        "unsure": UNSURE,
        "unsure_answer": UNSURE_ANSWER,
        "verdicts": verdicts,
        "undecided": sum(1 for v in verdicts if v.status == "missing"),
    }
    return render(request, "policies/quick.html", context)
