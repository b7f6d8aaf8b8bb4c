"""The office's duplicates page: ID numbers and credit codes written outside the writer's scope (ADR 0010)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError
from talentcloud.enterprises import clashes as enterprise_clashes

from .. import clashes as talent_clashes


class MergeForm(forms.Form):
    take = forms.MultipleChoiceField(
        label=_("Take the new record's value for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, differences: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["take"].choices = [(d.field, d.label) for d in differences]  # type: ignore[attr-defined]


class ApartForm(forms.Form):
    number = forms.CharField(
        label=_("The new record's right number"),
        max_length=18,
        required=False,
        help_text=_("Where the existing record keeps the number. A talent's may be left empty."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


KINDS = {
    "talent": (talent_clashes, "id_number", "talents:detail", "talent_id"),
    "enterprise": (enterprise_clashes, "credit_code", "enterprises:detail", "enterprise_id"),
}


@access("admin")
@require_GET
def clash_list_view(request: AuthedRequest) -> HttpResponse:
    context = {
        "talent_clashes": talent_clashes.clash_list(viewer=request.user)[:200],
        "enterprise_clashes": enterprise_clashes.clash_list(viewer=request.user)[:200],
    }
    return render(request, "talents/clashes.html", context)


def _resolve(request: AuthedRequest, kind: str, clash_id: uuid.UUID) -> HttpResponse:
    module, number_field, detail_url, detail_kwarg = KINDS[kind]
    clash = module.clash_get(viewer=request.user, clash_id=clash_id)
    differences = module.clash_differences(clash)
    action = request.POST.get("action", "")
    merge_form = MergeForm(request.POST if action == "merge" else None, differences=differences)
    apart_form = ApartForm(request.POST if action == "apart" else None)
    if request.method == "POST":
        form: forms.Form = merge_form if action == "merge" else apart_form
        if action in ("merge", "apart") and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "merge":
                    kept = module.clash_merge(
                        actor=request.user, clash_id=clash.pk, take=data["take"], note=data["note"]
                    )
                    messages.success(request, _("Merged into the existing record."))
                else:
                    kept = module.clash_keep_apart(
                        actor=request.user,
                        clash_id=clash.pk,
                        note=data["note"],
                        **{number_field: data["number"]},
                    )
                    messages.success(request, _("Kept apart: the new record is no longer pending."))
            except DomainError as exc:
                if number_field in exc.fields:
                    exc.fields["number"] = exc.fields.pop(number_field)
                apply_domain_error(form, exc)
            else:
                return redirect(detail_url, **{detail_kwarg: kept.pk})
    context = {
        "kind": kind,
        "clash": clash,
        "differences": differences,
        "merge_form": merge_form,
        "apart_form": apart_form,
        "detail_url": detail_url,
    }
    failed = merge_form.errors or apart_form.errors
    return render(request, "talents/clash_detail.html", context, status=400 if failed else 200)


@access("admin")
@require_http_methods(["GET", "POST"])
def talent_clash_view(request: AuthedRequest, clash_id: uuid.UUID) -> HttpResponse:
    return _resolve(request, "talent", clash_id)


@access("admin")
@require_http_methods(["GET", "POST"])
def enterprise_clash_view(request: AuthedRequest, clash_id: uuid.UUID) -> HttpResponse:
    return _resolve(request, "enterprise", clash_id)
