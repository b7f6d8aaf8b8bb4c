from __future__ import annotations

import copy
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.middleware import session_touch
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import audit_record, request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import DomainError, PermissionDenied
from talentcloud.common.excel import dated_name, xlsx_download
from talentcloud.common.forms import ImportForm
from talentcloud.common.models import BackgroundJob
from talentcloud.infra.sheets import import_start

from . import selectors, services
from .exporting import enterprise_export
from .forms import AnnualReportForm, DecisionForm, EnterpriseAccountForm, EnterpriseForm, JoinForm
from .importing import EnterpriseImporter
from .models import EnterpriseMember, MembershipRequest, MembershipStatus
from .permissions import EnterprisePerm


@access("scoped")
@require_GET
def enterprise_list_view(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    chain = request.GET.get("chain", "")
    enterprises = selectors.enterprise_list(viewer=request.user, query=query, chain=chain)
    page = Paginator(enterprises, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "chain": chain,
        "chains": selectors.chain_list(),
        "perms_edit": has_perm(request.user, EnterprisePerm.EDIT),
        "perms_import": has_perm(request.user, EnterprisePerm.IMPORT),
    }
    template = "enterprises/list.html#results" if request.htmx else "enterprises/list.html"
    return render(request, template, context)


@access("scoped")
@require_http_methods(["GET", "POST"])
def enterprise_detail_view(request: AuthedRequest, enterprise_id: uuid.UUID) -> HttpResponse:
    enterprise = selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)
    can_report = has_perm(request.user, EnterprisePerm.REPORT)
    form = AnnualReportForm(request.POST or None) if can_report else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            try:
                services.annual_report_submit(actor=request.user, enterprise=enterprise, **form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Figures saved."))
                return redirect("enterprises:detail", enterprise_id=enterprise.pk)
    context = {
        "enterprise": enterprise,
        "figures": services.annual_figures(enterprise),
        "key_people": enterprise.key_people.select_related("talent"),
        "form": form,
        "can_edit": has_perm(request.user, EnterprisePerm.EDIT),
        "changes": enterprise.changes.select_related("actor")[:50],
    }
    return render(
        request, "enterprises/detail.html", context, status=400 if form is not None and form.errors else 200
    )


@access("scoped")
@require_http_methods(["GET", "POST"])
def enterprise_new_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, EnterprisePerm.EDIT)
    form = EnterpriseForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(actor=request.user, values=form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Enterprise registered."))
            return redirect("enterprises:detail", enterprise_id=enterprise.pk)
    return render(request, "enterprises/edit.html", {"form": form}, status=400 if form.errors else 200)


@access("scoped")
@require_http_methods(["GET", "POST"])
def enterprise_edit_view(request: AuthedRequest, enterprise_id: uuid.UUID) -> HttpResponse:
    require_perm(request.user, EnterprisePerm.EDIT)
    enterprise = selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)
    form = EnterpriseForm(request.POST or None, instance=copy.copy(enterprise), viewer=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            changed = services.enterprise_update(actor=request.user, enterprise=enterprise, changes=changes)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
            return redirect("enterprises:detail", enterprise_id=enterprise.pk)
    context = {"form": form, "enterprise": enterprise}
    return render(request, "enterprises/edit.html", context, status=400 if form.errors else 200)


@access("admin")
@require_http_methods(["GET", "POST"])
def enterprise_import_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, EnterprisePerm.IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_start(
                importer=EnterpriseImporter(), actor=request.user, filename=upload.name, data=upload.read()
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("web:job", job_id=job.pk)
    jobs = BackgroundJob.objects.filter(owner=request.user, kind=EnterpriseImporter.kind)[:10]
    context = {
        "form": form,
        "jobs": jobs,
        "title": _("Import enterprises"),
        "template_url": reverse("enterprises:import_template"),
        "fill_hint": _("and fill one enterprise per row (headers in Chinese or English)."),
        "repeat_hint": _(
            "Enterprises already on the platform (same credit code) are updated and the changes kept in "
            "their history: importing a file twice changes nothing."
        ),
    }
    return render(request, "web/import.html", context, status=400 if form.errors else 200)


@access("admin")
@require_GET
def enterprise_import_template_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, EnterprisePerm.IMPORT)
    return xlsx_download(EnterpriseImporter().template(), f"{_('Enterprise import template')}.xlsx")


# -- the enterprise's own accounts ------------------------------------------------------------------


@access("scoped")
@require_GET
def enterprise_members_view(request: AuthedRequest, enterprise_id: uuid.UUID) -> HttpResponse:
    """Who acts for the enterprise, and the requests waiting for the viewer's confirmation."""
    enterprise = selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)
    pending = [
        (r, services.can_decide(request.user, r))
        for r in enterprise.membership_requests.filter(status=MembershipStatus.PENDING).select_related("user")
    ]
    can_remove = services.is_enterprise_admin(request.user, enterprise) or services.staff_in_charge(
        request.user, enterprise
    )
    context = {
        "enterprise": enterprise,
        "members": enterprise.members.select_related("user", "confirmed_by"),
        "pending": pending,
        "can_remove": can_remove,
        "decision_form": DecisionForm(),
    }
    return render(request, "enterprises/members.html", context)


@access("scoped")
@require_POST
def membership_decide_view(request: AuthedRequest, membership_id: uuid.UUID) -> HttpResponse:
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    decided = services.membership_decide(
        actor=request.user, request_id=membership_id, approve=request.POST.get("approve") == "1", note=note
    )
    if decided.status == MembershipStatus.APPROVED:
        messages.success(
            request, _("Confirmed: %(name)s now acts for the enterprise.") % {"name": decided.user}
        )
    else:
        messages.success(request, _("Request refused."))
    return redirect("enterprises:members", enterprise_id=decided.enterprise_id)


@access("scoped")
@require_POST
def member_remove_view(request: AuthedRequest, enterprise_id: uuid.UUID, member_id: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(viewer=request.user, enterprise_id=enterprise_id)
    if not EnterpriseMember.objects.filter(pk=member_id, enterprise=enterprise).exists():
        raise PermissionDenied()
    services.member_remove(actor=request.user, member_id=member_id)
    messages.success(request, _("The account no longer acts for the enterprise."))
    return redirect("enterprises:members", enterprise_id=enterprise.pk)


@access("public")
@ratelimit(key="ip", rate=lambda g, r: settings.RATELIMIT_LOGIN, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def enterprise_join_view(request: HttpRequest) -> HttpResponse:
    """Sign up as an enterprise's HR or administrator; a signed-in person asks to act for an enterprise."""
    user = request.user
    signed_in = user.is_authenticated
    form: EnterpriseAccountForm | JoinForm
    form = JoinForm(request.POST or None) if signed_in else EnterpriseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if signed_in:
                services.membership_request(
                    user=user, credit_code=data["credit_code"], as_admin=data["as_admin"]
                )
            else:
                result = services.enterprise_account_register(
                    username=data["username"],
                    password=data["password"],
                    name=data["name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    code=data["code"],
                    credit_code=data["credit_code"],
                    as_admin=data["as_admin"],
                )
                login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
                session_touch(request, login=True)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            # The same answer whether or not an enterprise with this code is on the platform (ADR 0010).
            messages.success(request, str(services.REQUEST_SENT))
            return redirect("enterprises:requests_mine")
    context = {"form": form, "signed_in": signed_in}
    return render(request, "enterprises/join.html", context, status=400 if form.errors else 200)


@access("own")
@require_GET
def my_requests_view(request: AuthedRequest) -> HttpResponse:
    """The signed-in person's enterprises and their requests to act for one."""
    context = {
        "memberships": EnterpriseMember.objects.filter(user=request.user).select_related("enterprise"),
        # The code asked with, never the enterprise's name or id: asking must not tell whether it exists.
        "requests": MembershipRequest.objects.filter(user=request.user),
    }
    return render(request, "enterprises/mine.html", context)


@access("scoped")
@require_GET
def enterprise_export_view(request: AuthedRequest) -> HttpResponse:
    """The list as filtered on the page, under the import's headers: edited, it imports back (matched by
    the credit code). A direct download: the district's enterprises are a bounded set."""
    query = request.GET.get("q", "").strip()[:100]
    chain = request.GET.get("chain", "")
    enterprises = selectors.enterprise_list(viewer=request.user, query=query, chain=chain)
    data, rows = enterprise_export(enterprises.select_related("street", "park", "chain"))
    audit_record(
        actor=request.user,
        action="enterprise.export",
        object_type="enterprise",
        source_ip=request_ip(request),
        details={"rows": rows, "q": query, "chain": chain},
    )
    return xlsx_download(data, dated_name(_("Enterprises")))
