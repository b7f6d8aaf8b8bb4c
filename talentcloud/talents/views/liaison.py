"""Pages of the liaison work: my talents, logging a contact with its needs, the needs lists and replies."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError

from .. import liaison, selectors
from ..enums import NeedStatus
from ..forms import ContactForm, NeedFormSet, NeedReplyForm
from ..permissions import TalentPerm


@access("scoped")
@require_GET
def my_talents_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, TalentPerm.CONTACT_LOG)
    assignments = liaison.my_talents(viewer=request.user)
    overdue = sum(1 for a in assignments if a.overdue)
    return render(request, "talents/mine.html", {"assignments": assignments, "overdue": overdue})


@access("scoped")
@require_http_methods(["GET", "POST"])
def contact_new_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    require_perm(request.user, TalentPerm.CONTACT_LOG)
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    data = request.POST or None
    form = ContactForm(data, initial={"happened_on": timezone.localdate(), "kind": "visit"})
    needs = NeedFormSet(data, prefix="needs")
    if request.method == "POST" and form.is_valid() and needs.is_valid():
        inputs = [
            liaison.NeedInput(
                title=f["title"], owner_department=f["owner_department"], details=f.get("details", "")
            )
            for f in needs.cleaned_data
            if f.get("title")
        ]
        try:
            liaison.contact_log(actor=request.user, talent=talent, needs=inputs, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("talents:detail", talent_id=talent.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "talents/contact_new.html", {"form": form, "needs": needs, "talent": talent}, status=status
    )


@access("scoped")
@require_GET
def need_list_view(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in NeedStatus.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    needs = liaison.need_list(viewer=request.user, status=status, overdue=overdue)
    page = Paginator(needs, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "overdue": overdue,
        "statuses": NeedStatus.choices,
        "today": timezone.localdate(),
    }
    return render(request, "talents/needs.html", context)


@access("scoped")
@require_http_methods(["GET", "POST"])
def need_detail_view(request: AuthedRequest, need_id: uuid.UUID) -> HttpResponse:
    need = liaison.need_get(viewer=request.user, need_id=need_id)
    can_reply = need.status == NeedStatus.OPEN and has_perm(request.user, TalentPerm.NEED_REPLY)
    form = NeedReplyForm(request.POST or None) if can_reply else None
    if request.method == "POST":
        if form is None:
            require_perm(request.user, TalentPerm.NEED_REPLY)
            return redirect("talents:need_detail", need_id=need.pk)
        if form.is_valid():
            try:
                liaison.need_reply(actor=request.user, need=need, reply=form.cleaned_data["reply"])
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Reply sent."))
                return redirect("talents:need_detail", need_id=need.pk)
    context = {"need": need, "form": form, "today": timezone.localdate()}
    return render(
        request, "talents/need_detail.html", context, status=400 if form is not None and form.errors else 200
    )
