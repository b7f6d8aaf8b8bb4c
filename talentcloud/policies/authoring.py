"""Writing policies: drafts, their checks, and publishing a new version.

A policy is edited as a draft (one per policy code): a new policy starts as draft version 1; editing a
published policy copies its newest version into draft version n + 1. Saving a draft refuses a broken rule or
benefit with each problem's clause path and reason. Publishing re-checks the draft, runs its test cases,
supersedes the published version and makes the draft the one every evaluation now names. Publishing is a
second person's step: it needs ``policy.publish``, and whoever last changed the draft (``drafted_by``) cannot
publish it. Every step is audited. Pages (``views_manage``) and the API (``api``) both call these functions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.permissions import has_perm
from talentcloud.audit.services import audit_record
from talentcloud.common import versions
from talentcloud.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentcloud.rules.logic import params_named, validate

from .engine import POLICIES_VERSION, policy_problems
from .loader import FIELDS, run_tests
from .models import Parameter, Policy, PolicyStatus, parameters_on
from .permissions import PolicyPerm

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

# What staff edit besides the rule and the benefit: what a policy file holds, less the rule, the benefit and
# the test cases (written beside the rule in its file), plus the service (a file names it by code).
EDITABLE = (*(name for name in FIELDS if name not in ("rule", "benefit", "tests")), "service")


RESERVED_CODES = ("new", "sweeps", "parameters")  # the editor's own addresses under /policies/manage/


def draft_of(code: str) -> Policy | None:
    return Policy.objects.filter(code=code, status=PolicyStatus.DRAFT).select_related("service").first()


def published_of(code: str) -> Policy | None:
    return Policy.objects.filter(code=code, status=PolicyStatus.PUBLISHED).select_related("service").first()


def newest_of(code: str) -> Policy:
    """The version staff work on: the draft if there is one, else the published (or newest) version."""
    policy = draft_of(code) or published_of(code)
    if policy is None:
        policy = Policy.objects.filter(code=code).order_by("-version").first()
    if policy is None:
        raise NotFound()
    return policy


def problems_of(*, rule: Any, benefit: Any, values: dict[str, Any]) -> dict[str, list[str]]:
    """Every problem of a draft, keyed by where it is: a clause path (``all[1]``), ``benefit…`` or a field."""
    on = values.get("effective_from") or dt.date.today()
    problems: dict[str, list[str]] = {}
    target = str(values.get("target") or "talent")
    for problem in policy_problems(rule, benefit, parameters_on(on), target):
        problems.setdefault(problem.path, []).append(problem.reason)
    start, end = values.get("effective_from"), values.get("effective_to")
    if start and end and end < start:
        problems.setdefault("effective_to", []).append(_("The end comes before the start."))
    if values.get("on_match") == "case" and not values.get("service"):
        problems.setdefault("on_match", []).append(
            _("A pre-filled application needs the service to apply through.")
        )
    budget = values.get("yearly_budget")
    if budget is not None and Decimal(budget) < 0:
        problems.setdefault("yearly_budget", []).append(_("A budget cannot be negative."))
    problems.update(_excludes_problems(values))
    return problems


def _excludes_problems(values: dict[str, Any]) -> dict[str, list[str]]:
    """The policies a policy is not granted together with must exist, and be other policies."""
    named = list(values.get("excludes") or [])
    reasons: list[str] = []
    if values.get("code") and values["code"] in named:
        reasons.append(_("A policy cannot exclude itself."))
    found = set(Policy.objects.filter(code__in=named).values_list("code", flat=True))
    unknown = sorted(set(named) - {values.get("code")} - found)
    if unknown:
        reasons.append(_("No policy has the code: %(codes)s.") % {"codes": "、".join(unknown)})
    return {"excludes": reasons} if reasons else {}


def _checked(rule: Any, benefit: Any, values: dict[str, Any]) -> None:
    problems = problems_of(rule=rule, benefit=benefit, values=values)
    if problems:
        raise ValidationFailed(
            _("The policy has problems; nothing was saved."),
            fields={path: list(reasons) for path, reasons in problems.items()},
        )


def draft_start(*, actor: User, code: str) -> Policy:
    """The policy's draft: the one being written, or a new version copied from the newest one."""
    with transaction.atomic():
        draft = draft_of(code)
        if draft is not None:
            return draft
        newest = Policy.objects.select_for_update().filter(code=code).order_by("-version").first()
        if newest is None:
            raise NotFound()
        from_version = newest.version
        newest.pk, newest.version, newest.status = None, newest.version + 1, PolicyStatus.DRAFT
        newest.created_by, newest._state.adding = actor, True
        newest.drafted_by, newest.drafted_at = actor, timezone.now()
        try:
            with transaction.atomic():
                newest.save()
        except IntegrityError:  # someone else started the draft at the same moment
            existing = draft_of(code)
            if existing is None:
                raise
            return existing
        audit_record(
            actor=actor,
            action="policy.draft",
            object_type="policy",
            object_id=newest.pk,
            details={"code": code, "version": newest.version, "from_version": from_version},
        )
        return newest


def draft_save(
    *, actor: User, code: str, values: dict[str, Any], rule: Any, benefit: Any, tests: list[Any] | None = None
) -> Policy:
    """Save the draft (starting one if needed). A broken rule or benefit saves nothing."""
    _checked(rule, benefit, {**values, "code": code})
    with transaction.atomic():
        draft = draft_start(actor=actor, code=code)
        draft = Policy.objects.select_for_update().get(pk=draft.pk)
        changed = sorted(name for name in EDITABLE if name in values and getattr(draft, name) != values[name])
        for name in EDITABLE:
            if name in values:
                setattr(draft, name, values[name])
        if draft.rule != rule:
            changed.append("rule")
        if draft.benefit != benefit:
            changed.append("benefit")
        draft.rule, draft.benefit = rule, benefit
        if tests is not None:
            if draft.tests != tests:
                changed.append("tests")
            draft.tests = tests
        draft.drafted_by, draft.drafted_at = actor, timezone.now()
        draft.save()
        audit_record(
            actor=actor,
            action="policy.draft_save",
            object_type="policy",
            object_id=draft.pk,
            details={"code": code, "version": draft.version, "changed": changed},
        )
    return draft


def policy_create(
    *, actor: User, code: str, values: dict[str, Any], rule: Any, benefit: Any, tests: list[Any] | None = None
) -> Policy:
    """A new policy, as draft version 1."""
    _checked(rule, benefit, {**values, "code": code})
    if code in RESERVED_CODES:
        raise ValidationFailed(fields={"code": [_("This word is kept for the editor's own pages.")]})
    if Policy.objects.filter(code=code).exists():
        raise Conflict(_("A policy with this code exists."), fields={"code": [_("This code is taken.")]})
    with transaction.atomic():
        try:
            with transaction.atomic():
                policy = Policy.objects.create(
                    code=code,
                    version=1,
                    status=PolicyStatus.DRAFT,
                    rule=rule,
                    benefit=benefit,
                    tests=tests or [],
                    created_by=actor,
                    drafted_by=actor,
                    drafted_at=timezone.now(),
                    **{k: v for k, v in values.items() if k in EDITABLE},
                )
        except IntegrityError as exc:
            raise Conflict(
                _("A policy with this code exists."), fields={"code": [_("This code is taken.")]}
            ) from exc
        audit_record(
            actor=actor,
            action="policy.create",
            object_type="policy",
            object_id=policy.pk,
            details={"code": code, "version": 1},
        )
    return policy


def policy_data(policy: Policy) -> dict[str, Any]:
    """The policy as the loader's data (what a YAML file holds); the test runner reads this."""
    data: dict[str, Any] = {"code": policy.code, "version": policy.version}
    data.update({name: getattr(policy, name) for name in FIELDS})
    return data


def test_failures(policy: Policy) -> list[str]:
    """Each failing test case in the reader's language: the case, what it expects and what came out."""
    return [r.text() for r in run_tests(policy_data(policy)) if not r.ok]


def may_publish(user: Any, policy: Policy) -> bool:
    """Whether ``user`` may publish this draft: the publish permission, and someone else wrote it."""
    return has_perm(user, PolicyPerm.PUBLISH) and policy.drafted_by_id != user.pk


def publish(*, actor: User, code: str) -> Policy:
    """Make the draft the published version; the one before is superseded (kept, as every version is).
    Refused to anyone without ``policy.publish`` and to whoever last changed the draft."""
    if not has_perm(actor, PolicyPerm.PUBLISH):
        raise PermissionDenied(_("Publishing a policy needs the publish permission."))
    with transaction.atomic():
        draft = Policy.objects.select_for_update().filter(code=code, status=PolicyStatus.DRAFT).first()
        if draft is None:
            raise NotFound(_("There is no draft of this policy to publish."))
        if draft.drafted_by_id is not None and draft.drafted_by_id == actor.pk:
            raise PermissionDenied(
                _("You changed this draft last: a second person with the publish permission publishes it.")
            )
        values = {
            "effective_from": draft.effective_from,
            "effective_to": draft.effective_to,
            "target": draft.target,
            "on_match": draft.on_match,
            "service": draft.service,
        }
        _checked(draft.rule, draft.benefit, values)
        failures = test_failures(draft)
        if failures:
            raise ValidationFailed(
                _("The policy's test cases fail; nothing was published."), fields={"tests": list(failures)}
            )
        before = published_of(code)
        Policy.objects.filter(code=code, status=PolicyStatus.PUBLISHED).update(status=PolicyStatus.RETIRED)
        draft.status = PolicyStatus.PUBLISHED
        draft.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="policy.publish",
            object_type="policy",
            object_id=draft.pk,
            details={
                "code": code,
                "version": draft.version,
                "supersedes": before.version if before else None,
                "drafted_by": draft.drafted_by_id,
            },
        )
        versions.bump(POLICIES_VERSION)
    return draft


def draft_discard(*, actor: User, code: str) -> None:
    with transaction.atomic():
        draft = Policy.objects.select_for_update().filter(code=code, status=PolicyStatus.DRAFT).first()
        if draft is None:
            raise NotFound()
        audit_record(
            actor=actor,
            action="policy.draft_discard",
            object_type="policy",
            object_id=draft.pk,
            details={"code": code, "version": draft.version},
        )
        draft.delete()


def parameter_adopt(*, actor: User, name: str, value: int, effective_from: dt.date, source: str) -> Parameter:
    """A parameter's new value from a date (today or later: what was in force stays as it was). Refused when a
    published policy or a draft that names the parameter would no longer be a valid rule with it."""
    problems: dict[str, list[Any]] = {}
    if not Parameter.objects.filter(name=name).exists():
        problems["name"] = [_("No parameter has this name.")]
    if effective_from < dt.date.today():
        problems["effective_from"] = [_("A new value takes effect today or later; the past stays as it was.")]
    if Parameter.objects.filter(name=name, effective_from=effective_from).exists():
        problems["effective_from"] = [_("The parameter already has a value from this date.")]
    if problems:
        raise ValidationFailed(fields=problems)
    params = {**parameters_on(effective_from), name: value}
    broken = []
    for policy in Policy.objects.exclude(status=PolicyStatus.RETIRED):
        if name in params_named(policy.rule) and validate(policy.rule, params, target=policy.target):
            broken.append(f"{policy.code} v{policy.version}")
    if broken:
        raise ValidationFailed(
            fields={
                "value": [
                    _("With this value these rules would not hold: %(codes)s.") % {"codes": ", ".join(broken)}
                ]
            }
        )
    with transaction.atomic():
        parameter = Parameter.objects.create(
            name=name, value=value, effective_from=effective_from, source=source[:200]
        )
        audit_record(
            actor=actor,
            action="policy.parameter",
            object_type="parameter",
            object_id=parameter.pk,
            details={"name": name, "value": value, "effective_from": effective_from.isoformat()},
        )
        versions.bump(POLICIES_VERSION)
    return parameter
