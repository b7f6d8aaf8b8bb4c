"""The payout pages: a talent's "my payments"; the office's budget view; payment batches (list, draft, the
batch with the actions the table allows the viewer, the return upload) and the bank files (finance, after a
fresh re-authentication)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.reauth import reauth_fresh
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.common.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from talentcloud.policies.models import Policy
from talentcloud.privacy.masking import mask_bank_account
from talentcloud.talents.selectors import talent_get
from talentcloud.workflow.engine import allowed

from . import batches as batch_services
from . import office, selectors, services
from .enums import BatchState, RecoveryStatus
from .forms import (
    AwardForm,
    DraftForm,
    OwnAccountForm,
    PayeeForm,
    PlanForm,
    ReceiptForm,
    RecoveryForm,
    ResumeForm,
    ReturnForm,
)
from .models import Batch, FileKind
from .permissions import PayoutPerm
from .workflow import BATCHES


@access("own")
@require_GET
def mine_view(request: AuthedRequest) -> HttpResponse:
    awards = selectors.own_awards(viewer=request.user)
    for award in awards:
        award.masked_account = mask_bank_account(award.payee_account)  # type: ignore[attr-defined]
        award.reason_text = services.reason_words(award.policy, award.suspension_reason)  # type: ignore[attr-defined]
        award.plans = [(r, office.plan_rows(r)) for r in award.recoveries.all()]  # type: ignore[attr-defined]
    return render(request, "payouts/mine.html", {"awards": awards})


@access("own")
@require_POST
def resume_view(request: AuthedRequest, award_id: uuid.UUID) -> HttpResponse:
    award = selectors.own_award(viewer=request.user, award_id=award_id)
    try:
        services.award_resume_request(actor=request.user, award=award)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your request to resume has been sent to the office."))
    return redirect("payouts:mine")


@access("scoped")
@require_GET
def budget_view(request: AuthedRequest) -> HttpResponse:
    context = {
        "lines": selectors.budget(viewer=request.user),
        "may_manage": has_perm(request.user, PayoutPerm.MANAGE),
    }
    return render(request, "payouts/budget.html", context)


@access("scoped")
@require_http_methods(["GET", "POST"])
def batches_view(request: AuthedRequest) -> HttpResponse:
    rows = selectors.batches(viewer=request.user)[:200]
    form = DraftForm(request.POST or None) if has_perm(request.user, PayoutPerm.MANAGE) else None
    if request.method == "POST":
        if form is None:
            raise NotFound()
        if form.is_valid():
            try:
                batch = batch_services.batch_draft(actor=request.user, due_by=form.cleaned_data["due_by"])
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Batch %(number)s drafted.") % {"number": batch.number})
                return redirect("payouts:batch", batch_id=batch.pk)
    status = 400 if form is not None and form.errors else 200
    return render(request, "payouts/batches.html", {"batches": rows, "form": form}, status=status)


@access("scoped")
@require_http_methods(["GET", "POST"])
def batch_view(request: AuthedRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(viewer=request.user, batch_id=batch_id)
    actions = allowed(BATCHES, request.user, batch)
    return_form = ReturnForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("action") == "line_returned":
        line = selectors.batch_lines(batch).filter(key=request.POST.get("key", "")).first()
        if line is None:
            raise NotFound()
        try:
            services.line_returned(actor=request.user, line=line, note=request.POST.get("note", "")[:200])
        except PermissionDenied:
            raise
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The payment is reversed and the line is due again."))
        return redirect("payouts:batch", batch_id=batch.pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        payload = {}
        if action == "import_return":
            if not return_form.is_valid():
                return _batch_page(request, batch, actions, return_form, 400)
            payload["return_file"] = return_form.cleaned_data["return_file"]
        try:
            batch_services.batch_move(
                actor=request.user,
                batch=batch,
                action=action,
                expected_revision=int(request.POST.get("revision", "-1")),
                **payload,
            )
        except PermissionDenied:
            raise  # answered 403 (and counted as a denied attempt)
        except DomainError as exc:
            apply_domain_error(return_form, exc)
            if not return_form.errors:
                messages.error(request, str(exc))
                return redirect("payouts:batch", batch_id=batch.pk)
            return _batch_page(request, batch, actions, return_form, 400)
        messages.success(request, _("Done."))
        return redirect("payouts:batch", batch_id=batch.pk)
    return _batch_page(request, batch, actions, ReturnForm(), 200)


def _batch_page(
    request: AuthedRequest, batch: Batch, actions: list[Any], return_form: ReturnForm, status: int
) -> HttpResponse:
    lines = list(selectors.batch_lines(batch).order_by("pk")[:500])
    for line in lines:
        line.masked_account = mask_bank_account(line.award.payee_account)  # type: ignore[attr-defined]
    context = {
        "batch": batch,
        "lines": lines,
        "actions": actions,
        "return_form": return_form,
        "events": _events(batch),
        "files": batch.files.order_by("kind").only("kind", "name", "created_at", "batch_id"),
        "may_download": has_perm(request.user, PayoutPerm.FILES),
        "may_return": has_perm(request.user, PayoutPerm.APPROVE),
    }
    return render(request, "payouts/batch.html", context, status=status)


def _events(batch: Batch) -> list[Any]:
    """The batch's history with its actions and states named in the reader's language."""
    labels = {"draft": _("Draft a batch"), **{k: str(v) for k, v in BATCHES.action_labels.items()}}
    states = dict(BatchState.choices)
    events = list(batch.events.select_related("actor").order_by("at", "pk"))
    for event in events:
        event.action_label = labels.get(event.action, event.action)  # type: ignore[attr-defined]
        event.state_label = str(states.get(event.to_state, event.to_state))  # type: ignore[attr-defined]
    return events


@access("scoped")
@require_GET
def file_view(request: AuthedRequest, batch_id: int, kind: str) -> HttpResponse:
    batch = selectors.batch_get(viewer=request.user, batch_id=batch_id)
    if kind not in FileKind.values:
        raise NotFound()
    fresh = reauth_fresh(request)
    if not fresh and has_perm(request.user, PayoutPerm.FILES):
        return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': request.get_full_path()})}")
    found = batch_services.bank_file_read(actor=request.user, batch=batch, kind=kind, fresh=fresh)
    response = HttpResponse(found.content.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.name}"'
    response["Cache-Control"] = "no-store"
    return response


def _money_policies() -> list[Policy]:
    return [
        p
        for p in Policy.objects.filter(status="published", target="talent").order_by("code")
        if p.benefit.get("kind") == "money"
    ]


@access("scoped")
@require_http_methods(["GET", "POST"])
def award_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    """Confirm a benefit for a talent in the viewer's scope as an award: the policy's formula proposes the
    amount, periods and cadence; the office confirms them with the payee's account."""
    require_perm(request.user, PayoutPerm.MANAGE)
    person = talent_get(viewer=request.user, talent_id=talent_id)
    policies = _money_policies()
    by_code = {p.code: p for p in policies}
    today = timezone.localdate()
    chosen = by_code.get(request.POST.get("policy") or request.GET.get("policy") or "")
    proposed = services.proposed_award(chosen, talent=person, on=today) if chosen else {}
    initial = {"starts": today.replace(day=1), "obligation_months": 0, **proposed}
    if chosen:
        initial["policy"] = chosen.code
    form = AwardForm(request.POST or None, initial=initial, policies=[(p.code, str(p)) for p in policies])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = services.award_make(
                actor=request.user,
                policy=by_code[data["policy"]],
                talent=person,
                source="sweep",
                source_ref=f"confirmed {today.isoformat()}",
                period_amount=data["period_amount"],
                periods=data["periods"],
                cadence=data["cadence"],
                starts=data["starts"],
                payee_account=data["payee_account"],
                obligation_months=data["obligation_months"],
                service_start=data["starts"] if data["obligation_months"] else None,
                snapshot=proposed.get("snapshot", {}),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Awarded: %(total)s yuan in all, committed on the budget line.") % {"total": award.total},
            )
            return redirect("payouts:award_detail", award_id=award.pk)
    context = {"talent": person, "form": form, "proposed": proposed, "policy": chosen}
    return render(request, "payouts/award.html", context, status=400 if form.errors else 200)


@access("scoped")
@require_http_methods(["GET", "POST"])
def award_detail_view(request: AuthedRequest, award_id: uuid.UUID) -> HttpResponse:
    """An award for the office: its schedule and ledger lines; resume it, change or check the payee's account,
    re-issue a failed line, record a return after payment (退汇, finance), raise a recovery."""
    award = selectors.award_get(viewer=request.user, award_id=award_id)
    forms_ = {
        "resume": ResumeForm(request.POST if request.POST.get("do") == "resume" else None),
        "payee": PayeeForm(request.POST if request.POST.get("do") == "payee" else None),
        "recovery": RecoveryForm(request.POST if request.POST.get("do") == "recovery" else None),
        "receipt": ReceiptForm(request.POST if request.POST.get("do") == "receipt" else None),
        "write_off": ReceiptForm(request.POST if request.POST.get("do") == "write_off" else None),
        "plan": PlanForm(request.POST if request.POST.get("do") == "plan" else None),
    }
    if request.method == "POST":
        do = request.POST.get("do", "")
        form = forms_.get(do)
        try:
            if form is not None:
                if not form.is_valid():
                    return _award_page(request, award, forms_, 400)
                data = form.cleaned_data
                if do == "resume":
                    services.award_resume(
                        actor=request.user, award=award, eligible_from=data["eligible_from"]
                    )
                elif do == "payee":
                    services.payee_account_change(
                        actor=request.user,
                        award=award,
                        account=data["payee_account"],
                        fresh=False,
                        reason=data["reason"],
                    )
                elif do == "recovery":
                    services.recovery_raise(actor=request.user, award=award, **data)
                else:
                    recovery = _open_recovery(award)
                    if do == "receipt":
                        services.recovery_receive(
                            actor=request.user, recovery=recovery, amount=data["amount"]
                        )
                    elif do == "write_off":
                        services.recovery_write_off(
                            actor=request.user, recovery=recovery, amount=data["amount"]
                        )
                    else:
                        office.recovery_plan_set(actor=request.user, recovery=recovery, **data)
            elif do == "payee_check":
                services.payee_change_check(actor=request.user, award=award)
            elif do == "milestone":
                line = award.lines.filter(key=request.POST.get("key", "")).first()
                if line is None:
                    raise NotFound()
                try:
                    due_on = dt.date.fromisoformat(request.POST.get("due_on", ""))
                except ValueError:
                    raise ValidationFailed(fields={"due_on": [_("Give the due date.")]}) from None
                services.milestone_confirm(actor=request.user, line=line, due_on=due_on)
            elif do in ("reissue", "returned"):
                line = award.lines.filter(key=request.POST.get("key", "")).first()
                if line is None:
                    raise NotFound()
                if do == "reissue":
                    services.line_reissue(actor=request.user, line=line)
                else:
                    services.line_returned(
                        actor=request.user, line=line, note=request.POST.get("note", "")[:200]
                    )
            else:
                raise NotFound()
        except PermissionDenied:
            raise
        except DomainError as exc:
            if form is not None:
                apply_domain_error(form, exc)
                return _award_page(request, award, forms_, 400)
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Done."))
        return redirect("payouts:award_detail", award_id=award.pk)
    return _award_page(request, award, forms_, 200)


def _open_recovery(award: Any) -> Any:
    recovery = award.recoveries.filter(status=RecoveryStatus.OPEN).order_by("-created_at").first()
    if recovery is None:
        raise Conflict(_("No recovery is open on this award."))
    return recovery


def _award_page(request: AuthedRequest, award: Any, forms_: dict[str, Any], status: int) -> HttpResponse:
    context = {
        "award": award,
        "masked_account": mask_bank_account(award.payee_account),
        "reason_text": services.reason_words(award.policy, award.suspension_reason),
        "lines": award.lines.order_by("period", "attempt"),
        "recoveries": [(r, office.plan_rows(r)) for r in award.recoveries.prefetch_related("plan")],
        "changes": award.payee_changes.select_related("changed_by", "checked_by").order_by("-changed_at"),
        "forms": forms_,
        "may_manage": has_perm(request.user, PayoutPerm.MANAGE),
        "may_check": has_perm(request.user, PayoutPerm.CHECK),
        "may_return": has_perm(request.user, PayoutPerm.APPROVE),
    }
    return render(request, "payouts/award_detail.html", context, status=status)


@access("own")
@require_http_methods(["GET", "POST"])
def own_account_view(request: AuthedRequest, award_id: uuid.UUID) -> HttpResponse:
    """The payee changes the account an award pays to, after typing their password again (a fresh
    re-authentication); the old account stays in the history and a second person checks the new one."""
    award = selectors.own_award(viewer=request.user, award_id=award_id)
    if not reauth_fresh(request):
        return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': request.get_full_path()})}")
    form = OwnAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payee_account_change(
                actor=request.user, award=award, account=form.cleaned_data["payee_account"], fresh=True
            )
        except PermissionDenied:
            raise
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("Your account is changed; the office checks it before the next payment.")
            )
            return redirect("payouts:mine")
    context = {"award": award, "form": form, "masked_account": mask_bank_account(award.payee_account)}
    return render(request, "payouts/own_account.html", context, status=400 if form.errors else 200)
