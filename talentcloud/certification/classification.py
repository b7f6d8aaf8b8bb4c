"""分类标准: classification rules and the run that proposes grades (never applies them).

A rule is a grade (and optionally a tier), a rule in the one rule language (``talentcloud.rules``: facts from
``rules.facts.FACTS``), an issuer, a version and dates. ``classify`` evaluates every rule in force over every
talent the actor may see at once in the database (``rules.logic.to_sql``), gives each talent the highest grade
whose rule holds (A is the highest) and proposes it where it differs from their current grade. A proposal
changes nothing until staff confirm it
(``services.proposal_confirm``, which certifies through the service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import ValidationFailed
from talentcloud.rules.facts import with_sql_facts
from talentcloud.rules.logic import to_sql, validate
from talentcloud.talents.selectors import talent_list

from .enums import ProposalStatus
from .models import ClassificationRule, Proposal
from .permissions import CertPerm
from .services import GRADES

if TYPE_CHECKING:
    from talentcloud.accounts.models import User


def rules_in_force(on: date) -> list[ClassificationRule]:
    """The rules in force on ``on``, the highest grade first (within a grade, the newest version first)."""
    rows = ClassificationRule.objects.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )
    return sorted(rows, key=lambda r: (GRADES.index(r.grade), -r.version, r.pk))


def rule_save(*, actor: User, values: dict[str, Any]) -> ClassificationRule:
    """A new rule (a new version when a rule of the same label and grade exists): checked in the rule
    language before it is stored."""
    require_perm(actor, CertPerm.RULES)
    problems = validate(values.get("rule"), target="talent")
    errors: dict[str, list[Any]] = {}
    if problems:
        errors["rule"] = [f"{p.path}: {p.reason}" for p in problems]
    start: date | None = values.get("effective_from")
    end: date | None = values.get("effective_to")
    if start is None:
        errors["effective_from"] = [_("This field is required.")]
    if start and end and end < start:
        errors["effective_to"] = [_("The validity cannot end before it begins.")]
    if values.get("grade") not in GRADES:
        errors["grade"] = [_("Choose one of the grades A–F, or none.")]
    if errors or start is None:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        last = ClassificationRule.objects.filter(label=values["label"], grade=values["grade"]).aggregate(
            v=Max("version")
        )["v"]
        rule = ClassificationRule.objects.create(
            grade=values["grade"],
            tier=values.get("tier") or "",
            label=values["label"],
            rule=values["rule"],
            issuer=values["issuer"],
            document_number=values.get("document_number") or "",
            version=(last or 0) + 1,
            effective_from=start,
            effective_to=end,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="certification.rule_save",
            object_type="classification_rule",
            object_id=rule.pk,
            details={"grade": rule.grade, "version": rule.version},
        )
    return rule


def highest_grades(viewer: User, on: date) -> dict[Any, ClassificationRule]:
    """Per talent the viewer may see, the rule of the highest grade that holds on ``on`` (one query per rule,
    each evaluated in the database; a talent is not asked again once a higher grade holds)."""
    found: dict[Any, ClassificationRule] = {}
    base = with_sql_facts(talent_list(viewer=viewer).order_by(), on)
    for rule in rules_in_force(on):
        holds = ExpressionWrapper(to_sql(rule.rule, {}, on), output_field=BooleanField())
        for pk in base.annotate(ok=holds).filter(ok=True).values_list("pk", flat=True):
            found.setdefault(pk, rule)
    return found


@dataclass(frozen=True)
class ClassifyResult:
    evaluated: int
    proposed: int


def classify(*, actor: User, on: date | None = None) -> ClassifyResult:
    """Propose, for every talent the actor may see, the highest grade whose rule holds where it differs from
    their current grade. A talent's earlier pending proposal is replaced; nothing is certified."""
    require_perm(actor, CertPerm.RULES)
    today = on or timezone.localdate()
    winners = highest_grades(actor, today)
    current = dict(
        talent_list(viewer=actor).order_by().filter(pk__in=list(winners)).values_list("pk", "grade")
    )
    wanted = {pk: rule for pk, rule in winners.items() if current.get(pk) != rule.grade}
    with transaction.atomic():
        Proposal.objects.filter(status=ProposalStatus.PENDING, talent_id__in=list(winners)).delete()
        Proposal.objects.bulk_create(
            [
                Proposal(
                    talent_id=pk, rule=rule, grade=rule.grade, current_grade=current.get(pk, ""), run_on=today
                )
                for pk, rule in wanted.items()
            ],
            batch_size=1000,
        )
        audit_record(
            actor=actor,
            action="certification.classify",
            object_type="classification_rule",
            details={"matched": len(winners), "proposed": len(wanted), "on": today.isoformat()},
        )
    return ClassifyResult(evaluated=len(winners), proposed=len(wanted))
