"""The talent code's pages: the talent's code (full-screen QR that refreshes, entitlements, photo, history
with "I do not recognise this"), the verifier's check, and the office's codes, a talent's codes (issue,
revoke) and verifiers. Staff lists are limited to the talents the viewer may see."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.permissions import require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, NotFound, PermissionDenied
from talentcloud.rules.logic import describe
from talentcloud.talents.selectors import talent_get

from . import selectors, services
from .enums import CodeStatus, IssueBasis
from .forms import PhotoForm, ReportForm, RevokeForm, SceneRuleForm, VerifierForm, VerifyForm
from .limits import code_throttle, throttle_verifier
from .models import Scene
from .permissions import CodePerm
from .qr import qr_data_url


def _qr_context(request: AuthedRequest) -> dict[str, object]:
    talent, code = selectors.own_code(viewer=request.user)
    context: dict[str, object] = {"talent": talent, "code": code}
    if code is not None:
        token, expiry = services.token_for(code)
        context.update(
            token=token, expiry=expiry, qr=qr_data_url(token), entitlements=services.entitlements(talent)
        )
    return context


@access("own")
@require_GET
def mine_view(request: AuthedRequest) -> HttpResponse:
    try:
        context = _qr_context(request)
    except NotFound:
        return render(request, "talentcode/mine.html", {"talent": None})
    code = context["code"]
    history = Paginator(selectors.own_history(viewer=request.user), 20).get_page(request.GET.get("page"))
    context.update(
        history=history,
        photo_form=PhotoForm(initial={"show_photo": getattr(code, "show_photo", False)}),
    )
    return render(request, "talentcode/mine.html", context)


@access("own")
@require_GET
def qr_view(request: AuthedRequest) -> HttpResponse:
    """The QR alone, fetched again by the page every few seconds (``X-Background``: no idle-clock move)."""
    try:
        context = _qr_context(request)
    except NotFound:
        return HttpResponse(status=204)
    return render(request, "talentcode/_qr.html", context)


@access("own")
@require_POST
def photo_view(request: AuthedRequest) -> HttpResponse:
    _talent, code = selectors.own_code(viewer=request.user)
    if code is None:
        raise NotFound(_("You hold no talent code."))
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["photo"]
        data = None
        if upload is not None:
            if upload.size > services.PHOTO_MAX_BYTES:
                form.add_error("photo", _("The photo may be at most 300 KB."))
            else:
                data = upload.read()
        if not form.errors:
            try:
                services.photo_set(
                    actor=request.user, code=code, data=data, show=form.cleaned_data["show_photo"]
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("talentcode:mine")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("talentcode:mine")


@access("own")
@require_http_methods(["GET", "POST"])
def report_view(request: AuthedRequest, verification_id: uuid.UUID) -> HttpResponse:
    verification = selectors.own_verification(viewer=request.user, verification_id=verification_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(actor=request.user, verification=verification, note=form.cleaned_data["note"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Reported: the talent office will look into this verification."))
            return redirect("talentcode:mine")
    status = 400 if form.errors else 200
    return render(
        request, "talentcode/report.html", {"verification": verification, "form": form}, status=status
    )


@access("scoped", perm=CodePerm.VERIFY)
@require_http_methods(["GET", "POST"])
def verify_view(request: AuthedRequest) -> HttpResponse:
    verifier = services.verifier_of(request.user)
    if verifier is None:  # a verifier's account whose unit the office has not registered (or stopped)
        if request.method == "POST":
            raise PermissionDenied(_("Your account does not verify talent codes."))
        return render(request, "talentcode/verify.html", {"verifier": None})
    scenes = list(verifier.scenes.filter(active=True))
    form = VerifyForm(request.POST or None, scenes=scenes)
    answer = None
    if request.method == "POST" and form.is_valid():
        throttle_verifier(request, verifier.unit_id)
        try:
            answer = services.verify(
                actor=request.user,
                token=form.cleaned_data["token"],
                scene_code=form.cleaned_data["scene"],
                throttle=code_throttle(request),
            )
        except DomainError as exc:
            if exc.http_status == 429:
                raise
            apply_domain_error(form, exc)
        else:
            form = VerifyForm(initial={"scene": form.cleaned_data["scene"]}, scenes=scenes)
    status = 400 if form.errors else 200
    context = {"verifier": verifier, "form": form, "answer": answer}
    return render(request, "talentcode/verify.html", context, status=status)


@access("scoped", perm=CodePerm.VIEW)
@require_GET
def codes_view(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = Paginator(selectors.codes(viewer=request.user, status=status), 25).get_page(
        request.GET.get("page")
    )
    reported = selectors.reported(viewer=request.user)[:50]
    context = {"page": page, "status": status, "statuses": CodeStatus.choices, "reported": reported}
    return render(request, "talentcode/codes.html", context)


@access("scoped", perm=CodePerm.VIEW)
@require_http_methods(["GET", "POST"])
def talent_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    talent, codes = selectors.talent_codes(viewer=request.user, talent_id=talent_id)
    error = ""
    if request.method == "POST":
        require_perm(request.user, CodePerm.MANAGE)
        try:
            services.issue(actor=request.user, talent=talent, basis=IssueBasis.OFFICE)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("Talent code issued."))
            return redirect("talentcode:talent", talent_id=talent.pk)
    checks = {
        code.pk: list(selectors.code_verifications(viewer=request.user, code=code)[:20]) for code in codes
    }
    context = {
        "talent": talent,
        "codes": [(code, checks[code.pk]) for code in codes],
        "manage": selectors.may_manage(request.user),
        "entitlements": services.entitlements(talent),
        "error": error,
        "revoke_form": RevokeForm(),
    }
    return render(request, "talentcode/talent.html", context, status=400 if error else 200)


@access("scoped", perm=CodePerm.MANAGE)
@require_POST
def revoke_view(request: AuthedRequest, code_id: uuid.UUID) -> HttpResponse:
    code = selectors.code_get(viewer=request.user, code_id=code_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke(actor=request.user, code=code, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Talent code revoked: it is refused from now on."))
            return redirect("talentcode:talent", talent_id=code.talent_id)
    talent = talent_get(viewer=request.user, talent_id=code.talent_id)
    context = {"talent": talent, "code": code, "form": form}
    return render(request, "talentcode/revoke.html", context, status=400)


@access("admin", perm=CodePerm.MANAGE)
@require_http_methods(["GET", "POST"])
def verifiers_view(request: AuthedRequest) -> HttpResponse:
    form = VerifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.verifier_save(
                actor=request.user, unit=data["unit"], scenes=list(data["scenes"]), active=data["active"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Verifier saved."))
            return redirect("talentcode:verifiers")
    context = {
        "form": form,
        "verifiers": selectors.verifiers(viewer=request.user),
        "scenes": selectors.scenes(active_only=False),
    }
    return render(request, "talentcode/verifiers.html", context, status=400 if form.errors else 200)


@access("admin", perm=CodePerm.MANAGE)
@require_http_methods(["GET", "POST"])
def scene_rule_view(request: AuthedRequest, code: str) -> HttpResponse:
    """A scene's rule in the rule language: edited, checked clause by clause, audited; effective at the next
    show or verification."""
    scene = Scene.objects.filter(code=code).first()
    if scene is None:
        raise NotFound(_("No such scene."))
    initial = {"rule": json.dumps(scene.rule, ensure_ascii=False, indent=2)}
    form = SceneRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scene_rule_set(actor=request.user, scene=scene, rule=form.cleaned_data["rule"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The scene's rule is saved: it applies from the next check."))
            return redirect("talentcode:verifiers")
    context = {"scene": scene, "form": form, "lines": describe(scene.rule, {}) if scene.rule else []}
    return render(request, "talentcode/scene_rule.html", context, status=400 if form.errors else 200)
