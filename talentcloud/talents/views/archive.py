from __future__ import annotations

import copy
import uuid
from html import escape
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentcloud.accounts.forms import apply_domain_error
from talentcloud.accounts.models import OrgUnit
from talentcloud.accounts.permissions import has_perm, require_perm
from talentcloud.accounts.reauth import reauth_fresh
from talentcloud.accounts.types import AuthedRequest
from talentcloud.audit.services import request_ip
from talentcloud.common.access import access
from talentcloud.common.errors import (
    CopyRequestRequired,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from talentcloud.common.excel import xlsx_download
from talentcloud.common.forms import ImportForm
from talentcloud.common.models import BackgroundJob
from talentcloud.enterprises.models import IndustryChain
from talentcloud.privacy.permissions import PrivacyPerm
from talentcloud.privacy.services import pii_unmask

from .. import consents, documents, selectors, services
from ..enums import CertificationGrade, Degree, ProgrammeTier, PyramidCategory, RightsRequestStatus
from ..forms import (
    ContributionForm,
    DocumentForm,
    EducationForm,
    FamilyForm,
    QualificationForm,
    RightsAnswerForm,
    RightsRequestForm,
    SelfProfileForm,
    TalentForm,
)
from ..importing import TalentImporter
from ..models import Talent
from ..pdf import talent_pdf
from ..permissions import TalentPerm
from ..services.insurance import contribution_add

PII_FIELDS = ("id_number", "phone", "email")


@access("scoped")
@require_GET
def talent_list_view(request: AuthedRequest) -> HttpResponse:
    filters = selectors.filters_from(request.GET)
    after = _cursor_read(request.GET.get("after", ""))
    # The first page counts, up to COUNT_CAP (stays fast on any population); later pages do not.
    rows, has_next, total = selectors.talent_list_page(
        viewer=request.user, filters=filters, columns=LIST_COLUMNS, after=after, cap=COUNT_CAP
    )
    params = {k: v for k, v in request.GET.items() if k not in ("after", "page") and v}
    context = {
        "rows": rows,
        "table_rows": _table_rows(rows),
        "total": total,
        "count_cap": COUNT_CAP,
        "next_url": f"?{urlencode({**params, 'after': _cursor_make(rows[-1])})}" if has_next and rows else "",
        "first_url": f"?{urlencode(params)}" if after is not None else "",
        "f": filters,
        "categories": PyramidCategory.choices,
        "tiers": ProgrammeTier.choices,
        "grades": CertificationGrade.choices,
        "degrees": Degree.choices,
        **_filter_references(),
        "age_bands": AGE_BAND_LABELS,
        "can_import": has_perm(request.user, TalentPerm.IMPORT),
        "can_export": has_perm(request.user, TalentPerm.EXPORT),
        "can_unmask": has_perm(request.user, PrivacyPerm.PII_UNMASK),
    }
    template = "talents/list.html#results" if request.htmx else "talents/list.html"
    return render(request, template, context)


# The list's table rows. The page's labels, the category and degree names and the list's address are looked
# up once per page; each row is then one string format of escaped values (``django.utils.html.escape`` is
# ``html.escape``), not a dozen template nodes per row: the table was most of the page's rendering.
_TABLE_ROW = (
    '\n    <tr><td data-label="{0}"><a href="{1}{2}/">{3}</a></td><td data-label="{4}">{5}</td>'
    '<td data-label="{6}">{7}</td><td data-label="{8}">{9}</td><td data-label="{10}">{11}</td></tr>\n  '
)


def _table_rows(rows: list[Talent]) -> SafeString:
    """The table's rows (``talents/list.html``, partial ``results``) as safe HTML, every value escaped."""
    labels = [escape(gettext(t)) for t in ("Name", "Pyramid category", "Highest degree", "Employer")]
    chain_label = escape(gettext("Industry chain"))
    categories = {k: escape(str(v)) for k, v in PyramidCategory.choices}
    degrees = {k: escape(str(v)) for k, v in Degree.choices}
    address = escape(reverse("talents:list"))  # a talent's page is the list's address and its id
    return mark_safe(  # noqa: S308 (every value below is escaped)
        "".join(
            _TABLE_ROW.format(
                labels[0],
                address,
                t.pk,
                escape(t.name),
                labels[1],
                categories.get(t.category, ""),
                labels[2],
                degrees.get(t.highest_degree, ""),
                labels[3],
                escape((t.employer.name if t.employer is not None else "") or "—"),
                chain_label,
                escape((str(t.chain) if t.chain is not None else "") or "—"),
            )
            for t in rows
        )
    )


def _filter_references() -> dict[str, list[tuple[str, str]]]:
    """Industry chains and parks/streets for the filter lists: reference data, read at most once a minute
    per language (a renamed street shows within the minute)."""
    language = get_language() or "zh-hans"

    def build() -> dict[str, list[tuple[str, str]]]:
        return {
            "chains": [(c.code, str(c)) for c in IndustryChain.objects.order_by("sort_order")],
            "areas": [
                (u.code, str(u.display_name))
                for u in OrgUnit.objects.filter(kind__in=["park", "street"]).order_by("kind", "sort_order")
            ],
        }

    result = cache.get_or_set(f"talents:filter-refs:{language}", build, 60)
    return result if result is not None else build()


LIST_COLUMNS = (
    "id",
    "name",
    "category",
    "highest_degree",
    "employer__id",
    "employer__name",
    "chain__id",
    "chain__name",
    "chain__name_en",
)
AGE_BAND_LABELS = [
    ("under35", _("Under 35")),
    ("35to45", _("35–45")),  # 岁 in Chinese
    ("45to55", _("45–55")),
    ("55plus", _("55 and over")),
]
CURSOR_SALT = "talents.list.cursor"
COUNT_CAP = 1000


def _cursor_make(talent: Talent) -> str:
    return signing.dumps([talent.name, str(talent.pk)], salt=CURSOR_SALT, compress=True)


def _cursor_read(value: str) -> tuple[str, str] | None:
    if not value:
        return None
    try:
        name, pk = signing.loads(value, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return str(name), str(pk)


@access("scoped")
@require_GET
def talent_detail_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id, related=("liaison",))
    # Read once, shown twice (the facts table and the timeline).
    facts = list(talent.facts.order_by("-created_at", "-id")[:200])
    context = {
        "talent": talent,
        "pii": _pii_rows(talent),
        "unmask_url": reverse("talents:unmask", args=[talent.pk]),  # once for the three fields
        "can_unmask": has_perm(request.user, PrivacyPerm.PII_UNMASK),
        "can_log_contact": has_perm(request.user, TalentPerm.CONTACT_LOG),
        "can_edit": has_perm(request.user, TalentPerm.EDIT),
        "can_see_family": selectors.family_visible(viewer=request.user, talent=talent),
        "timeline": selectors.timeline(talent, viewer=request.user, facts=facts),
        "facts": selectors.fact_rows(talent, facts),
    }
    return render(request, "talents/detail.html", context)


@access("scoped")
@require_GET
def section_view(request: AuthedRequest, talent_id: uuid.UUID, section: str) -> HttpResponse:
    """Sections of the detail page read when opened — the page itself shows the record, the facts policies
    read and the timeline: education and titles; the documents; the family members — sensitive, so they are
    decrypted, and a staff read audited, only when someone actually looks. Without htmx the same address
    shows the section on a page of its own."""
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    own = talent.account_id == request.user.pk
    context: dict[str, Any] = {"talent": talent}
    if section == "education":
        context.update(
            title=_("Education, titles and awards"),
            education=list(talent.education.all()),
            qualifications=list(talent.qualifications.select_related("programme")),
            contributions=list(talent.contributions.all()),
            can_edit=has_perm(request.user, TalentPerm.EDIT),
        )
    elif section == "documents":
        context.update(
            title=_("Documents"),
            documents=documents.document_list(viewer=request.user, talent=talent),
            can_edit=has_perm(request.user, TalentPerm.EDIT),
            can_add_document=has_perm(request.user, TalentPerm.EDIT) or own,
        )
    elif section == "family":
        family = selectors.family_for(viewer=request.user, talent=talent, source_ip=request_ip(request))
        if family is None:
            raise PermissionDenied()
        context.update(title=_("Family (sensitive)"), family=family, can_add_family=True)
    else:
        raise NotFound()
    partial = f"talents/_{section}.html"
    if request.htmx:
        return render(request, partial, context)
    return render(request, "talents/section_page.html", {**context, "partial": partial})


PII_LABELS = {"id_number": _("ID number"), "phone": _("Mobile number"), "email": _("E-mail")}


def _pii_rows(talent: Talent) -> list[tuple[str, object, str]]:
    return [(name, PII_LABELS[name], getattr(talent, name)) for name in PII_FIELDS]


@access("scoped")
@require_POST
def talent_unmask_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    field = request.POST.get("field", "")
    if field not in PII_FIELDS:
        raise NotFound()
    context = {
        "talent": talent,
        "field": field,
        "value": getattr(talent, field),
        "can_unmask": True,
        "unmask_url": reverse("talents:unmask", args=[talent.pk]),
    }
    try:
        context["clear"] = pii_unmask(
            actor=request.user,
            obj=talent,
            field=field,
            reason=request.POST.get("reason", ""),
            source_ip=request_ip(request),
        )
    except ValidationFailed as exc:
        context.update(clear=None, error=" ".join(str(m) for msgs in exc.fields.values() for m in msgs))
        return render(request, "talents/_pii.html", context, status=422)
    return render(request, "talents/_pii.html", context)


@access("scoped")
@require_GET
def rights_request_list_view(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in RightsRequestStatus.values:
        status = ""
    requests = selectors.rights_request_list(viewer=request.user, status=status)
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": RightsRequestStatus.choices,
        "today": timezone.localdate(),
    }
    return render(request, "talents/requests.html", context)


@access("scoped")
@require_http_methods(["GET", "POST"])
def rights_request_new_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    form = RightsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.rights_request_create(actor=request.user, talent=talent, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Request recorded; the answer is due by %(date)s.")
                % {"date": f"{created.due_on:%Y-%m-%d}"},
            )
            return redirect("talents:request_detail", request_id=created.pk)
    return render(
        request,
        "talents/request_new.html",
        {"form": form, "talent": talent},
        status=400 if form.errors else 200,
    )


@access("scoped")
@require_http_methods(["GET", "POST"])
def rights_request_detail_view(request: AuthedRequest, request_id: uuid.UUID) -> HttpResponse:
    rights_request = selectors.rights_request_get(viewer=request.user, request_id=request_id)
    can_answer = (
        has_perm(request.user, TalentPerm.PIPL_HANDLE)
        and rights_request.status == RightsRequestStatus.RECEIVED
    )
    form = RightsAnswerForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            try:
                if request.POST.get("action") == "refuse":
                    services.rights_request_refuse(
                        actor=request.user, request=rights_request, answer=form.cleaned_data["answer"]
                    )
                else:
                    services.rights_request_complete(
                        actor=request.user,
                        request=rights_request,
                        answer=form.cleaned_data["answer"],
                        deletion_outcome=form.cleaned_data["deletion_outcome"],
                    )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The request has been answered."))
                return redirect("talents:request_detail", request_id=rights_request.pk)
    context = {"item": rights_request, "form": form}
    return render(
        request,
        "talents/request_detail.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )


@access("scoped")
@require_GET
def talent_data_copy_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    """A copy of everything held about the person (PIPL art. 45), for the person or the office handling it:
    only against the person's open request for a copy, and after a fresh password entry (as the API)."""
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    if selectors.open_copy_request(viewer=request.user, talent=talent) is None:
        raise CopyRequestRequired()
    if not reauth_fresh(request):
        return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': request.get_full_path()})}")
    data = services.talent_data_copy(actor=request.user, talent=talent)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return response


@access("admin")
@require_http_methods(["GET", "POST"])
def talent_import_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, TalentPerm.IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.talent_import_start(actor=request.user, filename=upload.name, data=upload.read())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("web:job", job_id=job.pk)
    jobs = BackgroundJob.objects.filter(owner=request.user, kind="talent_import")[:10]
    context = {
        "form": form,
        "jobs": jobs,
        "title": _("Import talents"),
        "template_url": reverse("talents:import_template"),
        "fill_hint": _("and fill one talent per row (headers in Chinese or English)."),
        "repeat_hint": _(
            "Talents already on the platform (same ID number) are updated, not duplicated: "
            "importing a file twice changes nothing."
        ),
    }
    return render(request, "web/import.html", context, status=400 if form.errors else 200)


@access("admin")
@require_GET
def talent_import_template_view(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, TalentPerm.IMPORT)
    return xlsx_download(TalentImporter().template(), f"{_('Talent import template')}.xlsx")


@access("scoped")
@require_POST
def talent_export_view(request: AuthedRequest) -> HttpResponse:
    """Start an export of the list as filtered; unmasked needs the permission and a fresh password entry."""
    filters = {key: request.POST.get(key, "") for key in services.EXPORT_FILTER_KEYS}
    unmasked = request.POST.get("unmasked") == "1"
    if unmasked and not reauth_fresh(request):
        back = f"{reverse('talents:list')}?{urlencode({k: v for k, v in filters.items() if v})}"
        return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': back})}")
    job = services.talent_export_start(
        actor=request.user,
        filters=filters,
        unmasked=unmasked,
        language=get_language() or "zh-hans",
        source_ip=request_ip(request),
    )
    return redirect("web:job", job_id=job.pk)


def _changes(form: forms.ModelForm) -> dict[str, object]:
    return {name: form.cleaned_data[name] for name in form.changed_data}


@access("scoped")
@require_http_methods(["GET", "POST"])
def talent_edit_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    require_perm(request.user, TalentPerm.EDIT)
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    form = TalentForm(request.POST or None, instance=copy.copy(talent), viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.talent_update(actor=request.user, talent=talent, changes=_changes(form))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
            return redirect("talents:detail", talent_id=talent.pk)
    return render(
        request, "talents/edit.html", {"form": form, "talent": talent}, status=400 if form.errors else 200
    )


@access("own")
@require_http_methods(["GET", "POST"])
def my_profile_view(request: AuthedRequest) -> HttpResponse:
    """A talent's own record, correctable on a phone; verified facts change only after staff review."""
    talent = selectors.talent_own_archive(viewer=request.user)
    if talent is None:
        raise NotFound(_("No archive is linked to your account yet."))
    data = None if "consent" in request.POST else (request.POST or None)
    form = SelfProfileForm(data, instance=copy.copy(talent))
    if request.method == "POST" and "consent" not in request.POST and form.is_valid():
        try:
            result = services.talent_self_update(actor=request.user, talent=talent, changes=_changes(form))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if result.pending:
                labels = "、".join(str(Talent._meta.get_field(n).verbose_name) for n in result.pending)  # type: ignore[union-attr]
                messages.info(request, _("Sent for review by staff: %(fields)s.") % {"fields": labels})
            if result.applied:
                messages.success(request, _("Saved."))
            return redirect("talents:me")
    if request.method == "POST" and "consent" in request.POST:
        for purpose in consents.purposes():
            wanted = request.POST.get(f"consent_{purpose}") == "1"
            if consents.current_consents(talent).get(purpose) is not wanted:
                consents.consent_set(actor=request.user, talent=talent, purpose=purpose, granted=wanted)
        messages.success(request, _("Saved."))
        return redirect("talents:me")
    pending = [_pending_row(record) for record in talent.facts.filter(status="pending")]
    current = consents.current_consents(talent)
    consent_rows = [(key, purpose.label, current[key]) for key, purpose in consents.purposes().items()]
    context = {"form": form, "talent": talent, "pending": pending, "consent_rows": consent_rows}
    return render(request, "talents/me.html", context, status=400 if form.errors else 200)


def _pending_row(record: Any) -> tuple[Any, str, str]:
    """A correction waiting for review as the talent reads it: the field's name and the value in words."""
    try:
        field = Talent._meta.get_field(record.key)
    except FieldDoesNotExist:  # a fact that is not a field of the archive keeps its key
        return record, str(record.key), str(record.value)
    choices = dict(getattr(field, "choices", None) or [])
    value = record.value
    shown = choices.get(value, value)
    if isinstance(value, bool):
        shown = _("yes") if value else _("no")
    return (
        record,
        str(getattr(field, "verbose_name", record.key)),
        str(shown if shown not in (None, "") else "—"),
    )


@access("scoped")
@require_http_methods(["GET", "POST"])
def fact_review_view(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.fact_review(
                actor=request.user,
                record_id=int(request.POST.get("record", "0")),
                accept=request.POST.get("decision") == "accept",
            )
        except ValueError:
            raise NotFound() from None
        messages.success(request, _("Saved."))
        return redirect("talents:fact_review")
    queue = selectors.fact_review_queue(viewer=request.user)
    page = Paginator(queue, 25).get_page(request.GET.get("page"))
    return render(request, "talents/fact_review.html", {"page": page})


@access("scoped")
@require_GET
def talent_pdf_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    data = talent_pdf(viewer=request.user, talent=talent, source_ip=request_ip(request))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="talent-archive.pdf"'
    return response


def _add_to_archive(
    request: AuthedRequest, talent_id: uuid.UUID, form_class: type[forms.Form], add: Any, section: str
) -> HttpResponse:
    """The small "add" forms of the detail page's sections: check, call the service, report on the
    section's own page (which shows what was added)."""
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            add(actor=request.user, talent=talent, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
    if form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, _("Saved."))
    return redirect("talents:section", talent_id=talent.pk, section=section)


@access("scoped")
@require_POST
def education_add_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    return _add_to_archive(request, talent_id, EducationForm, services.education_add, "education")


@access("scoped")
@require_POST
def contribution_add_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    return _add_to_archive(request, talent_id, ContributionForm, contribution_add, "education")


@access("scoped")
@require_POST
def qualification_add_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    return _add_to_archive(request, talent_id, QualificationForm, services.qualification_add, "education")


@access("scoped")
@require_POST
def family_add_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    return _add_to_archive(request, talent_id, FamilyForm, services.family_add, "family")


@access("scoped")
@require_POST
def document_add_view(request: AuthedRequest, talent_id: uuid.UUID) -> HttpResponse:
    return _add_to_archive(request, talent_id, DocumentForm, documents.document_add, "documents")


@access("scoped")
@require_GET
def document_view(request: AuthedRequest, document_id: uuid.UUID) -> HttpResponse:
    """Download a document (always as an attachment; the read is audited)."""
    document, data = documents.document_read(
        viewer=request.user, document_id=document_id, source_ip=request_ip(request)
    )
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.display_name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access("scoped")
@require_POST
def document_remove_view(request: AuthedRequest, document_id: uuid.UUID) -> HttpResponse:
    document = documents.document_get(viewer=request.user, document_id=document_id)
    documents.document_remove(actor=request.user, document_id=document_id)
    messages.success(request, _("Document removed."))
    return redirect("talents:section", talent_id=document.talent_id, section="documents")


ADD_FORMS: dict[str, tuple[type[forms.Form], str, Any]] = {
    "education": (EducationForm, "talents:education_add", _("Add education")),
    "qualification": (
        QualificationForm,
        "talents:qualification_add",
        _("Add a title, award or programme title"),
    ),
    "contribution": (
        ContributionForm,
        "talents:contribution_add",
        _("Add months of social insurance"),
    ),
    "document": (DocumentForm, "talents:document_add", _("Add a document")),
    "family": (FamilyForm, "talents:family_add", _("Add a family member")),
}


@access("scoped")
@require_GET
def add_form_view(request: AuthedRequest, talent_id: uuid.UUID, kind: str) -> HttpResponse:
    """The detail page's small "add" forms, loaded when opened (the page itself stays light); without
    htmx the same address shows the form on a page of its own."""
    talent = selectors.talent_get(viewer=request.user, talent_id=talent_id)
    if kind not in ADD_FORMS:
        raise NotFound()
    own = talent.account_id == request.user.pk
    allowed = {
        "education": has_perm(request.user, TalentPerm.EDIT),
        "qualification": has_perm(request.user, TalentPerm.EDIT),
        "contribution": has_perm(request.user, TalentPerm.EDIT),
        "document": has_perm(request.user, TalentPerm.EDIT) or own,
        "family": has_perm(request.user, TalentPerm.FAMILY_VIEW) or own,
    }
    if not allowed[kind]:
        raise PermissionDenied()
    form_class, action, title = ADD_FORMS[kind]
    context = {
        "talent": talent,
        "form": form_class(),
        "action": reverse(action, kwargs={"talent_id": talent.pk}),
        "multipart": kind == "document",
        "title": title,
    }
    if request.htmx:
        return render(request, "talents/_add_form.html", context)
    return render(request, "talents/section_page.html", {**context, "partial": "talents/_add_form.html"})
