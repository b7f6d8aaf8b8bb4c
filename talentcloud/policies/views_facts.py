"""The office-defined facts' pages: the list and a new fact (the office), one fact's values in the viewer's
scope, a value entered for one talent or enterprise, a sheet imported with row-level errors, removal."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.selectors import require_perm_any
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, ValidationFailed
from talentcloud.common.uploads import upload_check
from talentcloud.enterprises.permissions import EnterprisePerm
from talentcloud.talents.permissions import TalentPerm

from . import office_facts
from .forms_facts import FactDefinitionForm, ImportForm, ValueForm
from .models import FactDefinition, FactKind
from .permissions import PolicyPerm

READERS = (PolicyPerm.MANAGE, TalentPerm.EDIT, EnterprisePerm.EDIT)
IMPORT_MAX_BYTES = 10 * 1024 * 1024


@access("admin")
@require_http_methods(["GET", "POST"])
def facts_view(request: AuthedRequest) -> HttpResponse:
    require_perm_any(request.user, READERS)
    form = FactDefinitionForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, PolicyPerm.MANAGE)
        if form.is_valid():
            try:
                made = office_facts.define_fact(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("“%(fact)s” can be used in rules now.") % {"fact": made})
                return redirect("policies:fact", key=made.key)
    context = {
        "form": form,
        "definitions": office_facts.definitions(),
        "may_define": has_perm(request.user, PolicyPerm.MANAGE),
    }
    return render(request, "policies/facts.html", context, status=400 if form.errors else 200)


@access("scoped")
@require_http_methods(["GET", "POST"])
def fact_view(request: AuthedRequest, key: str) -> HttpResponse:
    require_perm_any(request.user, READERS)
    definition = get_object_or_404(FactDefinition, key=key)
    recognition = definition.kind == FactKind.RECOGNITION
    action = request.POST.get("action", "")
    value_form = ValueForm(request.POST if action == "record" else None, recognition=recognition)
    import_form = ImportForm(
        request.POST if action == "import" else None, request.FILES if action == "import" else None
    )
    report = None
    if action == "remove":
        try:
            office_facts.remove_fact(actor=request.user, definition=definition)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("policies:fact", key=key)
        messages.success(request, _("“%(fact)s” was removed.") % {"fact": definition})
        return redirect("policies:facts")
    if action == "verify":
        row = (
            office_facts.values_visible(viewer=request.user, definition=definition)
            .filter(pk=request.POST.get("value", "0") if str(request.POST.get("value", "")).isdigit() else 0)
            .first()
        )
        if row is None:
            raise Http404
        office_facts.verify_value(actor=request.user, value=row)
        messages.success(request, _("Verified: rules count this value now."))
        return redirect("policies:fact", key=key)
    if action == "record" and value_form.is_valid():
        data = value_form.cleaned_data
        subject = office_facts.subject_in_scope(viewer=request.user, definition=definition, who=data["who"])
        if subject is None:
            value_form.add_error("who", _("Nobody with this number is in the archive you keep."))
        else:
            try:
                office_facts.record_value(
                    actor=request.user,
                    definition=definition,
                    subject=subject,
                    value=data.get("value"),
                    valid_from=data["valid_from"],
                    valid_until=data.get("valid_until"),
                )
            except DomainError as exc:
                apply_domain_error(value_form, exc)
            else:
                messages.success(request, _("Recorded for %(name)s.") % {"name": subject.name})
                return redirect("policies:fact", key=key)
    if action == "import" and import_form.is_valid():
        try:
            checked = upload_check(
                import_form.cleaned_data["file"], kinds=("xlsx",), max_bytes=IMPORT_MAX_BYTES
            )
            report = office_facts.import_values(
                actor=request.user, definition=definition, data=checked.data, filename=checked.display_name
            )
        except ValidationFailed as exc:
            apply_domain_error(import_form, exc)
        else:
            if not report.errors:
                messages.success(
                    request, _("%(count)s values imported; rules read them now.") % {"count": report.saved}
                )
                return redirect("policies:fact", key=key)
    values = office_facts.values_visible(viewer=request.user, definition=definition)[:200]
    context = {
        "definition": definition,
        "keys": office_facts.keys_of(definition),
        "rows": [(row, office_facts.shown(definition, row)) for row in values],
        "value_form": value_form,
        "import_form": import_form,
        "report": report,
        "may_record": office_facts.may_record(request.user, definition),
        "may_define": has_perm(request.user, PolicyPerm.MANAGE),
    }
    bad = value_form.errors or import_form.errors or (report is not None and report.errors)
    return render(request, "policies/fact.html", context, status=400 if bad else 200)
