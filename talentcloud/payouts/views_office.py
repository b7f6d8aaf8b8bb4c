"""The office's payout pages beside the batch workflow: confirming many 免申即享 grants at once (with a
confirmation step showing the count and total), budget changes with a second person's approval, closing a
fiscal year, the exports (awards, the ledger), and an enterprise's "my payments"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, NotFound, PermissionDenied
from talentcloud.common.excel import dated_name, xlsx_response
from talentcloud.policies.models import Policy
from talentcloud.privacy.masking import mask_bank_account

from . import office, selectors, services
from .enums import Account
from .forms import BudgetChangeForm, ConfirmGrantsForm, GrantsForm, YearCloseForm
from .permissions import PayoutPerm

EXPORT_CAP = 50_000


def money_policies(target: str = "talent") -> list[Policy]:
    return [
        p
        for p in Policy.objects.filter(status="published", target=target).order_by("code")
        if p.benefit.get("kind") == "money"
    ]


# --- confirming many grants at once ------------------------------------------------------------------------


@access("scoped")
@require_http_methods(["GET", "POST"])
def grants_view(request: AuthedRequest) -> HttpResponse:
    """Choose a policy; tick people (or every one pending); review the count and total; confirm. Each
    confirmation is an award (``office.grants_confirm``); refusals are listed per person."""
    require_perm(request.user, PayoutPerm.MANAGE)
    policies = money_policies()
    by_code = {p.code: p for p in policies}
    data = request.POST if request.method == "POST" else request.GET
    chooser = GrantsForm(data if data.get("policy") else None, policies=[(p.code, str(p)) for p in policies])
    policy = by_code.get(chooser.data.get("policy", "")) if chooser.is_bound and chooser.is_valid() else None
    pending = office.grants_pending(viewer=request.user, policy=policy) if policy is not None else []
    people = [(str(p.talent.pk), p.talent.name) for p in pending]
    form = ConfirmGrantsForm(
        request.POST if request.method == "POST" else None,
        people=people,
        initial={"starts": timezone.localdate().replace(day=1)},
    )
    context: dict[str, Any] = {"chooser": chooser, "policy": policy, "pending": pending, "form": form}
    if request.method == "POST":
        if policy is None:
            return render(request, "payouts/grants.html", context, status=400)
        if not form.is_valid():
            return render(request, "payouts/grants.html", context, status=400)
        chosen = (
            {str(p.talent.pk) for p in pending}
            if form.cleaned_data["everyone"]
            else set(form.cleaned_data["talents"])
        )
        picked = [p for p in pending if str(p.talent.pk) in chosen]
        if request.POST.get("step") != "confirm":
            context.update(
                review=True,
                picked=picked,
                count=len(picked),
                total=sum((p.total for p in picked), Decimal("0.00")),
                without_account=sum(1 for p in picked if not p.account),
            )
            return render(request, "payouts/grants.html", context)
        try:
            done = office.grants_confirm(
                actor=request.user,
                policy=policy,
                talent_ids=sorted(chosen),
                starts=form.cleaned_data["starts"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            return render(request, "payouts/grants.html", context, status=400)
        context.update(done=done, pending=office.grants_pending(viewer=request.user, policy=policy))
        return render(request, "payouts/grants.html", context)
    return render(request, "payouts/grants.html", context)


# --- budget lines: changes with approval, the year's close -------------------------------------------------


@access("scoped")
@require_http_methods(["GET", "POST"])
def budget_changes_view(request: AuthedRequest) -> HttpResponse:
    """Ask to open, raise or lower a budget line (``payouts.manage``); a second person (``payouts.check``)
    approves or refuses it."""
    changes = selectors.budget_changes(viewer=request.user)
    may_request = has_perm(request.user, PayoutPerm.MANAGE)
    form = BudgetChangeForm(request.POST if request.POST.get("do") == "request" else None)
    if request.method == "POST":
        do = request.POST.get("do", "")
        try:
            if do == "request":
                if not may_request:
                    raise PermissionDenied(_("You may not change budget lines."))
                if form.is_valid():
                    data = form.cleaned_data
                    office.budget_change_request(
                        actor=request.user,
                        department=request.user.unit,  # a new line's; an existing line keeps its own
                        **data,
                    )
                    messages.success(request, _("The change waits for a second person's approval."))
                    return redirect("payouts:budget_changes")
            elif do in ("approve", "refuse"):
                change = changes.filter(pk=request.POST.get("change", "0") or 0).first()
                if change is None:
                    raise NotFound()
                office.budget_change_decide(actor=request.user, change=change, approve=do == "approve")
                messages.success(request, _("Done."))
                return redirect("payouts:budget_changes")
            else:
                raise NotFound()
        except PermissionDenied:
            raise
        except DomainError as exc:
            if do == "request":
                apply_domain_error(form, exc)
            else:
                messages.error(request, str(exc))
                return redirect("payouts:budget_changes")
    context = {
        "changes": changes[:200],
        "form": form if may_request else None,
        "may_decide": has_perm(request.user, PayoutPerm.CHECK),
    }
    return render(request, "payouts/budget_changes.html", context, status=400 if form.errors else 200)


@access("scoped")
@require_http_methods(["GET", "POST"])
def year_close_view(request: AuthedRequest, code: str, year: int) -> HttpResponse:
    """Close a budget line's fiscal year: the uncommitted lapses; the committed but unpaid carries over or
    is released, as the office decides (``services.budget_year_close``)."""
    require_perm(request.user, PayoutPerm.MANAGE)
    line = selectors.budget_line_get(viewer=request.user, policy_code=code, fiscal_year=year)
    figures = next((f for f in selectors.budget(viewer=request.user) if f.line.pk == line.pk), None)
    form = YearCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_year_close(
                actor=request.user, line=line, carry_over=form.cleaned_data["carry_over"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The budget line %(line)s is closed for the year.") % {"line": line})
            return redirect("payouts:budget")
    context = {"line": line, "figures": figures, "form": form}
    return render(request, "payouts/year_close.html", context, status=400 if form.errors else 200)


# --- exports -------------------------------------------------------------------------------------------


def _exported(request: AuthedRequest, what: str, rows: int) -> None:
    audit_record(
        actor=request.user,
        action="payouts.export",
        object_type="payout_export",
        source_ip=request_ip(request),
        details={"what": what, "rows": rows},
    )


@access("scoped")
@require_GET
def awards_export_view(request: AuthedRequest) -> HttpResponse:
    """The awards in the viewer's data scope (capped), the payee account masked, formula-safe, audited."""
    awards = selectors.awards(viewer=request.user).order_by("-decided_at")[:EXPORT_CAP]
    rows = [
        (
            str(a.pk),
            a.policy.code if a.policy is not None else a.budget_line.policy_code,
            a.talent.name if a.talent is not None else str(a.enterprise),
            a.get_source_display(),
            a.budget_line.fiscal_year,
            a.period_amount,
            a.periods,
            a.get_cadence_display(),
            a.starts,
            a.total,
            a.get_status_display(),
            mask_bank_account(a.payee_account),
        )
        for a in awards
    ]
    _exported(request, "awards", len(rows))
    header = [
        _("Award"),
        _("Policy code"),
        _("Payee"),
        _("Source"),
        _("Fiscal year"),
        _("Amount per period"),
        _("Periods"),
        _("Cadence"),
        _("First period"),
        _("Total"),
        _("Status"),
        _("Payee account"),
    ]
    return xlsx_response(filename=dated_name(_("Awards")), sheet=_("Awards"), header=header, rows=rows)


@access("scoped")
@require_GET
def ledger_export_view(request: AuthedRequest) -> HttpResponse:
    """The ledger's figures per budget line and month, one column per account, audited."""
    rows = selectors.ledger_rows(viewer=request.user)
    _exported(request, "ledger", len(rows))
    header = [_("Policy code"), _("Fiscal year"), _("Department"), _("Month")] + [
        str(label) for _value, label in Account.choices
    ]
    return xlsx_response(
        filename=dated_name(_("Payout ledger")), sheet=_("Payout ledger"), header=header, rows=rows
    )


# --- an enterprise's "my payments" ------------------------------------------------------------------------


@access("own")
@require_GET
def enterprise_mine_view(request: AuthedRequest) -> HttpResponse:
    """What the enterprise the account acts for was awarded, what was paid, failed or suspended and why,
    and any recovery due with its plan."""
    firm, awards = selectors.enterprise_awards(viewer=request.user)
    for award in awards:
        award.masked_account = mask_bank_account(award.payee_account)  # type: ignore[attr-defined]
        award.reason_text = services.reason_words(award.policy, award.suspension_reason)  # type: ignore[attr-defined]
        award.plans = [(r, office.plan_rows(r)) for r in award.recoveries.all()]  # type: ignore[attr-defined]
    return render(request, "payouts/enterprise.html", {"firm": firm, "awards": awards})
