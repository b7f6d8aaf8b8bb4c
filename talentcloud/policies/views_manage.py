"""The office's policy pages: the list of policies and drafts, the editor (a form-based rule builder that
checks the rule as it is built), the simulation (政策沙盘) of a draft, publishing, and the 免申即享 sweeps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, PermissionDenied
from talentcloud.rules.logic import describe, params_named, validate

from . import authoring, cases, editor, office_facts
from .forms import BenefitForm, ParameterForm, PolicyForm
from .loader import run_tests
from .models import Parameter, Policy, PolicyStatus, SweepRun, parameters_on
from .permissions import PolicyPerm
from .simulation import parse_overrides, simulate
from .sweep import run_results
from .tasks import sweep_start

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User


# The draft's fields whose problems the service finds (``authoring.problems_of``), shown at those fields.
FORM_CHECKED = ("effective_to", "yearly_budget", "on_match", "excludes")


@access("admin")
@require_GET
def manage_list_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, PolicyPerm.MANAGE)
    versions = Policy.objects.exclude(status=PolicyStatus.RETIRED).order_by("code", "-version")
    rows: dict[str, dict[str, Any]] = {}
    for policy in versions:
        row = rows.setdefault(policy.code, {"code": policy.code, "published": None, "draft": None})
        row[policy.status] = policy
    return render(request, "policies/manage_list.html", {"rows": list(rows.values())})


def _case_outcomes(
    *, code: str, rule: Any, benefit: Any, target: str, on: Any, tests: list[Any], problems: dict[str, Any]
) -> dict[int, str]:
    """Each case's outcome with the rule and benefit as built (not yet saved): "" when it passes, else the
    failure in words. Nothing when the rule, the benefit or the cases still have problems."""
    if problems or not tests:
        return {}
    data = {"code": code or "new", "rule": rule, "benefit": benefit, "target": target, "tests": tests}
    data["effective_from"] = on
    try:
        results = run_tests(data)
    except (KeyError, TypeError, ValueError):  # pragma: no cover - a checked rule and benefit evaluate
        return {}
    return {index: ("" if r.ok else r.text()) for index, r in enumerate(results)}


def _editor_context(
    *,
    viewer: User | AnonymousUser,
    policy: Policy | None,
    form: PolicyForm,
    benefit_form: BenefitForm,
    rows: editor.Row,
    problems: dict[str, list[str]],
    target: str,
    case_rows: list[cases.CaseRow],
    rule: Any,
    outcomes: dict[int, str],
) -> dict[str, Any]:
    params = parameters_on(timezone.localdate())
    shown, statuses = cases.shown_cases(case_rows, rule, problems, outcomes)
    rule_paths = [k for k in problems if k == "rule" or k.startswith(("all[", "any[", "not"))]
    context: dict[str, Any] = {
        "policy": policy,
        "form": form,
        "benefit_form": benefit_form,
        "rows": editor.shown_rows(rows, problems),
        "rule_problem_count": sum(len(problems[k]) for k in rule_paths),
        "facts": editor.fact_menu(target),
        "groups": [(key, label) for key, label in editor.GROUP_LABELS.items()],
        "units": list(editor.UNIT_LABELS.items()),
        "whens": list(editor.WHEN_LABELS.items()),
        "params": sorted(params.items()),
        "new": policy is None,
        "cases": shown,
        "case_statuses": statuses,
        "case_problem_count": sum(1 for k in problems if k.startswith("tests[")),
    }
    if policy is not None:
        context["published"] = authoring.published_of(policy.code)
        context["is_draft"] = policy.status == PolicyStatus.DRAFT
        if policy.status == PolicyStatus.DRAFT:
            context["test_failures"] = authoring.test_failures(policy)
            context["test_count"] = len(policy.tests or [])
            context["may_publish"] = authoring.may_publish(viewer, policy)
            context["drafter"] = policy.drafted_by
            context["viewer_drafted"] = policy.drafted_by_id == viewer.pk
    return context


@access("admin")
@require_http_methods(["GET", "POST"])
def editor_view(request: AuthedRequest, code: str | None = None) -> HttpResponse:
    """GET shows the draft (or the published version); POST runs one button: a builder step or
    ``check`` (re-drawn as you go, nothing saved), or ``save`` (saved only when nothing is wrong)."""
    require_perm(request.user, PolicyPerm.MANAGE)
    office_facts.refresh()  # the builder offers every fact, the office's newest among them
    policy = authoring.newest_of(code) if code else None
    if request.method == "GET":
        form = PolicyForm(instance=policy, new=policy is None)
        benefit_form = (
            BenefitForm.for_benefit(policy.benefit) if policy else BenefitForm(initial={"kind": "money"})
        )
        rows = (
            editor.rows_from_rule(policy.rule)
            if policy
            else editor.Row("all", children=[editor.Row("clause")])
        )
        problems: dict[str, list[str]] = {}
        target = policy.target if policy else "talent"
        rule: Any = {}
        if policy is not None:
            rule, problems = editor.check(rows, parameters_on(timezone.localdate()), target)
        case_rows = cases.cases_from_tests(policy.tests if policy else [])
        outcomes = {}
        if policy is not None:
            outcomes = _case_outcomes(
                code=policy.code,
                rule=policy.rule,
                benefit=policy.benefit,
                target=target,
                on=policy.effective_from,
                tests=policy.tests or [],
                problems=problems,
            )
        context = _editor_context(
            viewer=request.user,
            policy=policy,
            form=form,
            benefit_form=benefit_form,
            rows=rows,
            problems=problems,
            target=target,
            case_rows=case_rows,
            rule=rule,
            outcomes=outcomes,
        )
        return render(request, "policies/editor.html", context)

    action = str(request.POST.get("action", "check"))[:80]
    if request.htmx and action == "save":
        # htmx adds the form's last clicked button to a check it sends while the page is being submitted:
        # only the page's own submission saves.
        action = "check"
    form = PolicyForm(request.POST, instance=policy, new=policy is None)
    benefit_form = BenefitForm(request.POST)
    rows = editor.rows_from_form(request.POST)
    if action.startswith(("add-clause:", "add-group:", "remove:")):
        rows = editor.apply(rows, action)
    posted = cases.cases_from_form(request.POST)
    # a form without the case section (an older page): the draft's cases stay
    case_rows = posted if posted is not None else cases.cases_from_tests(policy.tests if policy else [])
    if action.startswith(("add-case", "remove-case:", "add-fact:", "remove-fact:")):
        case_rows = cases.apply(case_rows, action)
    form_ok, benefit_ok = form.is_valid(), benefit_form.is_valid()
    on = (form.cleaned_data.get("effective_from") if form_ok else None) or timezone.localdate()
    target = "enterprise" if request.POST.get("target") == "enterprise" else "talent"
    rule, problems = editor.check(rows, parameters_on(on), target)
    benefit = benefit_form.benefit() if benefit_ok else {}
    if benefit_ok:
        values = form.values() if form_ok else {}
        values["code"] = policy.code if policy else (form.cleaned_data.get("code") if form_ok else "")
        problems.update(
            {
                k: v
                for k, v in authoring.problems_of(rule=rule, benefit=benefit, values=values).items()
                if k.startswith("benefit") or k in FORM_CHECKED
            }
        )
        benefit_form.show_problems(problems)
    tests, case_problems = cases.cases_to_tests(case_rows, target)
    problems.update(case_problems)
    outcomes = _case_outcomes(
        code=policy.code if policy else str(request.POST.get("code", "")),
        rule=rule,
        benefit=benefit,
        target=target,
        on=on,
        tests=tests,
        problems=problems if benefit_ok else {"benefit": []},
    )
    status = 200
    if action == "save":
        if form_ok and benefit_ok and not problems:
            try:
                if policy is None:
                    saved = authoring.policy_create(
                        actor=request.user,
                        code=form.cleaned_data["code"],
                        values=form.values(),
                        rule=rule,
                        benefit=benefit,
                        tests=tests,
                    )
                else:
                    saved = authoring.draft_save(
                        actor=request.user,
                        code=policy.code,
                        values=form.values(),
                        rule=rule,
                        benefit=benefit,
                        tests=tests,
                    )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Draft saved (version %(v)s).") % {"v": saved.version})
                return redirect("policies:manage_policy", code=saved.code)
        for name in FORM_CHECKED:
            for reason in problems.get(name, []):
                if form_ok or name not in form.errors:
                    form.add_error(name, reason)
        if not form.errors and not benefit_form.errors and not problems:  # pragma: no cover - defensive
            form.add_error(None, _("Nothing was saved."))
        status = 400
        messages.error(request, _("Nothing was saved: fix the problems shown."))
    context = _editor_context(
        viewer=request.user,
        policy=policy,
        form=form,
        benefit_form=benefit_form,
        rows=rows,
        problems=problems,
        target=target,
        case_rows=case_rows,
        rule=rule,
        outcomes=outcomes,
    )
    template = "policies/editor.html#builder" if request.htmx and action != "save" else "policies/editor.html"
    return render(request, template, context, status=status)


@access("admin")
@require_http_methods(["GET", "POST"])
def publish_view(request: AuthedRequest, code: str) -> HttpResponse:
    """Publish the draft: a second person's step (``policy.publish``, and not whoever last changed it).
    GET asks for the confirmation (what changes, who wrote it); POST publishes."""
    require_perm(request.user, PolicyPerm.PUBLISH)
    if request.method == "GET":
        draft = authoring.draft_of(code)
        if draft is None:
            messages.error(request, _("There is no draft of this policy to publish."))
            return redirect("policies:manage_policy", code=authoring.newest_of(code).code)
        context = {
            "policy": draft,
            "published": authoring.published_of(code),
            "failures": authoring.test_failures(draft),
            "may_publish": authoring.may_publish(request.user, draft),
        }
        return render(request, "policies/publish_confirm.html", context)
    try:
        published = authoring.publish(actor=request.user, code=code)
    except PermissionDenied:
        raise
    except DomainError as exc:
        for reasons in exc.fields.values():
            for reason in reasons:
                messages.error(request, str(reason))
        messages.error(request, str(exc.message))
        return redirect("policies:manage_policy", code=code)
    messages.success(
        request, _("Version %(v)s is published; every evaluation now uses it.") % {"v": published.version}
    )
    return redirect("policies:manage_policy", code=code)


@access("admin")
@require_POST
def discard_view(request: AuthedRequest, code: str) -> HttpResponse:
    require_perm(request.user, PolicyPerm.MANAGE)
    try:
        authoring.draft_discard(actor=request.user, code=code)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The draft was discarded."))
    if authoring.published_of(code) is None and not Policy.objects.filter(code=code).exists():
        return redirect("policies:manage")
    return redirect("policies:manage_policy", code=code)


@access("admin")
@require_GET
def simulate_view(request: AuthedRequest, code: str) -> HttpResponse:
    """The draft against the published version, over the archive in the viewer's scope; parameters can be
    tried (``p.<name>``) without changing them."""
    require_perm(request.user, PolicyPerm.MANAGE)
    draft = authoring.newest_of(code)
    current = authoring.published_of(code)
    names = params_named(draft.rule)
    overrides, problems = parse_overrides(request.GET, names)
    on = timezone.localdate()
    params = parameters_on(on)
    if not problems:
        for error in validate(draft.rule, {**params, **overrides}, target=draft.target):
            problems.setdefault(error.path, error.reason)
    result = None
    if not problems:
        result = simulate(draft=draft, current=current, viewer=request.user, on=on, overrides=overrides)
    context = {
        "policy": draft,
        "current": current,
        "result": result,
        "problems": problems,
        "param_rows": [(k, request.GET.get(f"p.{k}", "")[:12], params.get(k)) for k in sorted(names)],
        "lines": describe(draft.rule, {**params, **overrides}) if not problems else [],
    }
    return render(request, "policies/simulate.html", context, status=400 if problems else 200)


@access("admin")
@require_http_methods(["GET", "POST"])
def parameters_view(request: AuthedRequest) -> HttpResponse:
    """The dated parameters, each with its values over time; a new value is adopted from a date."""
    require_perm(request.user, PolicyPerm.MANAGE)
    names = sorted(set(Parameter.objects.values_list("name", flat=True)))
    form = ParameterForm(request.POST or None, names=names, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        try:
            adopted = authoring.parameter_adopt(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is %(value)s from %(date)s.")
                % {"name": adopted.name, "value": adopted.value, "date": adopted.effective_from},
            )
            return redirect("policies:parameters")
    today = timezone.localdate()
    history: dict[str, list[Parameter]] = {}
    for parameter in Parameter.objects.order_by("name", "-effective_from"):
        history.setdefault(parameter.name, []).append(parameter)
    context = {"form": form, "history": history, "today": today, "in_force": parameters_on(today)}
    return render(request, "policies/parameters.html", context, status=400 if form.errors else 200)


@access("admin")
@require_http_methods(["GET", "POST"])
def sweeps_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, PolicyPerm.MANAGE)
    if request.method == "POST":
        run = sweep_start(actor=request.user)
        messages.success(request, _("The sweep is running; this page shows its progress."))
        return redirect("policies:sweep", run_id=run.pk)
    runs = SweepRun.objects.all()[:30]
    return render(request, "policies/sweeps.html", {"runs": runs})


@access("admin")
@require_GET
def sweep_view(request: AuthedRequest, run_id: int) -> HttpResponse:
    """One sweep: progress while it runs (polled), then what it found per policy (in the viewer's scope)."""
    require_perm(request.user, PolicyPerm.MANAGE)
    run = get_object_or_404(SweepRun, pk=run_id)
    found = run_results(run=run, viewer=request.user)
    context = {"run": run, "found": found, "running": run.status == "running"}
    template = "policies/sweep.html#progress" if request.htmx else "policies/sweep.html"
    return render(request, template, context)
