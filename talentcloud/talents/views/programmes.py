"""The register of talent programmes (``talents.programmes``): everyone who sees talents reads it; the talent
office adds a programme and changes one (name, level, who runs it, whether it is still active)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError

from .. import programmes
from ..forms import ProgrammeForm
from ..models import TalentProgramme
from ..permissions import TalentPerm


@access("admin", perm=TalentPerm.VIEW)
@require_http_methods(["GET", "POST"])
def programmes_view(request: AuthedRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, new=True)
    if request.method == "POST":
        require_perm(request.user, TalentPerm.PROGRAMME_MANAGE)
        if form.is_valid():
            try:
                made = programmes.programme_add(
                    actor=request.user, code=form.cleaned_data["code"], values=form.cleaned_data
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("“%(name)s” is in the register.") % {"name": made})
                return redirect("talents:programmes")
    context = {
        "form": form,
        "programmes": programmes.programmes(),
        "may_manage": has_perm(request.user, TalentPerm.PROGRAMME_MANAGE),
    }
    return render(request, "talents/programmes.html", context, status=400 if form.errors else 200)


@access("admin", perm=TalentPerm.PROGRAMME_MANAGE)
@require_http_methods(["GET", "POST"])
def programme_edit_view(request: AuthedRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(TalentProgramme, code=code)
    form = ProgrammeForm(request.POST or None, initial=_initial(programme))
    if request.method == "POST" and form.is_valid():
        try:
            programmes.programme_change(actor=request.user, programme=programme, values=form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("talents:programmes")
    context = {"form": form, "programme": programme, "titles": programme.titles.count()}
    return render(request, "talents/programme_edit.html", context, status=400 if form.errors else 200)


def _initial(programme: TalentProgramme) -> dict[str, object]:
    return {
        "name": programme.name,
        "name_en": programme.name_en,
        "level": programme.level,
        "issuer": programme.issuer,
        "active": programme.active,
    }
