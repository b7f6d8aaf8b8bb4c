"""The public service guide (办事指南): every open service with its conditions in words, the process drawn
from the workflow table, the time limit, where and whom to ask, the fee, the legal basis and the materials
with an example sheet (a PDF) for each.

Conditions come from the service's own grade, category and tag lists, put into words by the rule
language's ``explain`` (no symbols, no codes), then from what the apps above the hall contribute as guide
sections (``SERVICE_GUIDE_SECTIONS`` in their ``service_guide.py``): the policy engine adds the published
policies that grant the service, their conditions and benefits in the same words, and their document
numbers to the legal basis. The process is the table's ordinary path (``PUBLIC_PATH``): a change to the
table that breaks it fails the guide's tests instead of the guide telling the public something the system
does not do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from weasyprint import HTML

from talentcloud.common.registries import Declarations

# The one rule language's words (architecture rule 13): the platform's renderer, not the policy app's.
from talentcloud.rules import explain

from .catalogue import label_of, services_open
from .enums import JointMode, LimitKind, Theme
from .models import Service, ServiceVersion
from .workflow import APPLICANT, BY_KEY, LEAD, Transition

# The ordinary path of a case through ``workflow.TABLE`` as the public follows it: (state, action).
PUBLIC_PATH = (
    ("draft", "submit"),
    ("submitted", "accept"),
    ("in_progress", "part_done"),
    ("in_progress", "conclude"),
    ("concluded", "answer"),
    ("answered", "rate"),
)
QUERY_MAX = 50


def guide_services(*, query: str = "", theme: str = "") -> QuerySet[Service]:
    """Open services matching the words typed (name, English name, summary, legal basis) and the theme."""
    services = services_open().prefetch_related("co_departments")
    query = query.strip()[:QUERY_MAX]
    for word in query.split():
        services = services.filter(
            Q(name__icontains=word)
            | Q(name_en__icontains=word)
            | Q(summary__icontains=word)
            | Q(legal_basis__icontains=word)
        )
    if theme in Theme.values:
        services = services.filter(theme=theme)
    return services


@dataclass
class ThemeGroup:
    theme: str
    label: str
    services: list[Service] = field(default_factory=list)


def grouped(services: QuerySet[Service]) -> list[ThemeGroup]:
    """The services by theme, themes in their declared order, empty themes left out."""
    groups = {value: ThemeGroup(value, str(label)) for value, label in Theme.choices}
    for service in services:
        groups.get(service.theme, groups[Theme.GENERAL]).services.append(service)
    return [group for group in groups.values() if group.services]


@dataclass(frozen=True)
class Step:
    title: str
    text: str


def _departments(service: Service) -> str:
    return "、".join(str(unit) for unit in service.co_departments.all())


def limit_words(version: ServiceVersion) -> str:
    if version.limit_kind == LimitKind.FIXED_DATE:
        return _("decided by %(date)s") % {
            "date": version.limit_date.isoformat() if version.limit_date else ""
        }
    if version.limit_kind == LimitKind.WORKING_DAYS:
        return _(
            "%(n)s working days from the day after acceptance "
            "(time waiting for more materials does not count)"
        ) % {"n": version.limit_days}
    return _(
        "%(n)s calendar days from the day after acceptance (time waiting for more materials does not count)"
    ) % {"n": version.limit_days}


def process_steps(service: Service, version: ServiceVersion) -> list[Step]:
    """The steps of the workflow table's ordinary path, in words, for this service."""
    path: list[Transition] = [BY_KEY[key] for key in PUBLIC_PATH]
    lead = str(service.department)
    steps: list[Step] = []
    for transition in path:
        action = transition.action
        if action == "submit":
            assert APPLICANT in transition.roles
            who = _("the enterprise") if service.for_enterprises else _("the applicant")
            steps.append(
                Step(
                    pgettext("guide step", "Apply"),
                    _(
                        "Online: %(who)s signs in, fills in the form, uploads the materials and submits. "
                        "In person: at the place below."
                    )
                    % {"who": who},
                )
            )
        elif action == "accept":
            assert LEAD in transition.roles
            text = _("%(department)s checks the application and accepts it.") % {"department": lead}
            if ("submitted", "return") in BY_KEY:
                text += " " + _(
                    "If something is missing, it names every missing item at once and the applicant "
                    "provides them (补正)."
                )
            if ("submitted", "refuse") in BY_KEY:
                text += " " + _("An application it cannot accept is refused in writing, with the reasons.")
            steps.append(Step(pgettext("guide step", "Acceptance"), text))
        elif action == "part_done":
            joint = _departments(service)
            if joint:
                mode = (
                    _("one after the other")
                    if service.joint_mode == JointMode.SEQUENCE
                    else _("at the same time")
                )
                text = _(
                    "%(department)s examines the application; %(joint)s examine their parts %(mode)s."
                ) % {
                    "department": lead,
                    "joint": joint,
                    "mode": mode,
                }
                steps.append(Step(pgettext("guide step", "Review and joint handling"), text))
            else:
                text = _("%(department)s examines the application.") % {"department": lead}
                steps.append(Step(pgettext("guide step", "Review"), text))
        elif action == "conclude":
            text = _(
                "%(department)s approves or denies the application, with the reasons, within %(limit)s."
            ) % {
                "department": lead,
                "limit": limit_words(version),
            }
            steps.append(Step(pgettext("guide step", "Decision"), text))
        elif action == "answer":
            steps.append(
                Step(
                    pgettext("guide step", "Reply"),
                    _("The applicant is told the decision and its reasons in their inbox on the platform."),
                )
            )
        elif action == "rate":
            steps.append(
                Step(
                    pgettext("guide step", "Rating"),
                    _("The applicant rates the service; a poor rating is looked into by the talent office."),
                )
            )
    return steps


@dataclass(frozen=True)
class Document:
    """A document a service rests on, for the legal basis: its title and its number (文号)."""

    title: str
    number: str


@dataclass(frozen=True)
class GuidePart:
    """What an app above the hall adds to one service's guide: ``template`` (given ``part``) is shown under
    "Who may apply" after the service's own conditions, and ``documents`` join the legal basis."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)


@dataclass(frozen=True)
class GuideSection:
    """A section an app contributes to every service's guide, declared as ``SERVICE_GUIDE_SECTIONS`` in the
    app's own ``service_guide.py``: ``part(service)`` says what it adds to that service's guide (None:
    nothing). The policy engine contributes the published policies that grant the service."""

    name: str
    part: Callable[[Service], GuidePart | None]


GUIDE_SECTIONS: Declarations[GuideSection] = Declarations("service_guide", "SERVICE_GUIDE_SECTIONS")


def guide_parts(service: Service) -> list[GuidePart]:
    """What the installed apps add to this service's guide, in the order of ``INSTALLED_APPS``."""
    return [part for section in GUIDE_SECTIONS if (part := section.part(service)) is not None]


def service_conditions(service: Service) -> list[explain.Line]:
    """Who may apply: the service's eligibility rule, in the same words as policy rules."""
    lines: list[explain.Line] = []
    if service.for_enterprises:
        lines.append(
            explain.Line(0, _("an enterprise of the district applies, through its enterprise account"))
        )
    else:
        lines.append(explain.Line(0, _("a talent with an archive on this platform applies")))
    if service.eligibility and not service.for_enterprises:
        lines += explain.conditions(service.eligibility, {})
    if service.quota_per_year:
        lines.append(
            explain.Line(
                0, _("%(n)s places per certification grade and year") % {"n": service.quota_per_year}
            )
        )
    return lines


def legal_basis(service: Service, parts: list[GuidePart]) -> list[str]:
    """The documents the service rests on: its own list, then the numbered documents the guide's parts name
    (the published policies' document numbers)."""
    lines = [line.strip() for line in service.legal_basis.splitlines() if line.strip()]
    for document in (document for part in parts for document in part.documents):
        if document.number:
            entry = (
                f"{document.title}（{document.number}）" if _zh() else f"{document.title} ({document.number})"
            )
            if document.number not in "".join(lines):
                lines.append(entry)
    return lines


def _zh() -> bool:
    return not (get_language() or "").startswith("en")


@dataclass(frozen=True)
class MaterialItem:
    key: str
    label: str
    help: str
    required: bool
    kinds: str
    max_count: int
    max_mb: int


def materials(version: ServiceVersion) -> list[MaterialItem]:
    return [
        MaterialItem(
            key=m["key"],
            label=label_of(m),
            help=str(m.get("help", "")),
            required=bool(m.get("required")),
            kinds=("、" if _zh() else ", ").join(k.upper() for k in m.get("kinds", [])),
            max_count=int(m.get("max_count") or 1),
            max_mb=int(m.get("max_mb") or 1),
        )
        for m in version.materials
    ]


def material_example_pdf(service: Service, version: ServiceVersion, key: str) -> bytes | None:
    """An example sheet for one material of the service's current version (what it must show, the file
    types and sizes accepted), as a PDF; None when the version has no such material."""
    item = next((m for m in materials(version) if m.key == key), None)
    if item is None:
        return None
    context = {"service": service, "version": version, "item": item}
    return _pdf(service, version, f"material:{key}", "servicehall/material_example_pdf.html", context)


def blank_form_pdf(service: Service, version: ServiceVersion) -> bytes:
    """The service's application form, blank, as a PDF to read before applying or to fill in by hand: the
    applicant's details, every field of the version (a choice with its options to tick) and the materials."""
    fields = [
        {
            "label": label_of(spec),
            "required": bool(spec.get("required")),
            "choices": list(spec.get("choices") or []),
            "long": spec.get("type") == "textarea",
            "help": str(spec.get("help", "")),
        }
        for spec in version.form_fields
    ]
    context = {"service": service, "version": version, "fields": fields, "materials": materials(version)}
    return _pdf(service, version, "form", "servicehall/blank_form_pdf.html", context)


def _pdf(
    service: Service, version: ServiceVersion, what: str, template: str, context: dict[str, Any]
) -> bytes:
    """A PDF of the guide, kept in the cache per service (and its last change), version, document and
    language: a public page must not cost a PDF rendering per request."""
    language = get_language() or ""
    stamp = int(service.updated_at.timestamp()) if service.updated_at else 0
    cache_key = f"guide-pdf:{service.pk}:{version.number}:{what}:{language}:{stamp}"
    cached = cache.get(cache_key)
    if cached is not None:
        return bytes(cached)

    html = render_to_string(template, {**context, "printed_on": timezone.localdate()})
    data = bytes(HTML(string=html).write_pdf())
    cache.set(cache_key, data, 24 * 3600)
    return data
