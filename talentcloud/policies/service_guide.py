"""The policy engine's section of the service guide (``servicehall.guide``): the published policies that grant
the service, who qualifies and what each gives in plain words, and their document numbers for the legal
basis. The hall shows it without knowing the policy engine (ADR 0011)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from talentcloud.servicehall.guide import Document, GuidePart, GuideSection
from talentcloud.servicehall.models import Service

from . import explain
from .models import Policy, PolicyStatus, parameters_on


@dataclass(frozen=True)
class PolicyTerms:
    policy: Any
    lines: list[explain.Line]
    benefit: explain.Benefit


def published_policies(service: Service) -> list[Policy]:
    return list(Policy.objects.filter(service=service, status=PolicyStatus.PUBLISHED).order_by("code"))


def policy_terms(policies: list[Policy]) -> list[PolicyTerms]:
    params = parameters_on(timezone.localdate()) if policies else {}
    return [
        PolicyTerms(p, explain.conditions(p.rule, params), explain.benefit_words(p.benefit)) for p in policies
    ]


def guide_part(service: Service) -> GuidePart | None:
    policies = published_policies(service)
    if not policies:
        return None
    return GuidePart(
        template="policies/_guide_policies.html",
        context={"policy_terms": policy_terms(policies)},
        documents=[Document(str(policy), policy.document_number) for policy in policies],
    )


SERVICE_GUIDE_SECTIONS = [GuideSection("policies.granting", guide_part)]
