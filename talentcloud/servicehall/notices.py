"""Case notices as documents (PDF, WeasyPrint, as the archive's PDF): 受理通知书, 补正告知书,
不予受理决定书 and the result of 办结 (准予 / 不予许可决定书). Each carries the case number, its dates, the
department and its seal. A refusal (不予受理, 不予许可) states its reasons and the applicant's right to
行政复议 within 60 days (行政复议法) or 行政诉讼 within 6 months (行政诉讼法 art. 46), as 行政许可法 arts.
32 and 38 require.

Notices are official documents: they are written in Chinese whatever the reader's language. The seal is the
PNG at ``settings.TALENTCLOUD_SEAL_IMAGE``; without one, a red seal with the department's name is drawn as
SVG (no external asset). Whoever sees the case (the applicant, staff of its departments, the office) may
read its notices; each read is an audit event.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML

from talentcloud.audit.services import audit_record
from talentcloud.common.errors import NotFound

from .corrections import answers_of
from .enums import CaseState, Decision
from .models import Case

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User


@dataclass(frozen=True)
class Notice:
    kind: str
    title: Any
    issued: Any  # the date the notice speaks of


KINDS: dict[str, Any] = {
    "acceptance": _("Notice of acceptance"),
    "correction": _("Notice to supplement materials"),
    "refusal": _("Decision not to accept"),
    "result": _("Notice of the result"),
}


def _event_at(case: Case, action: str) -> Any:
    event = case.events.filter(action=action).order_by("-at", "-id").first()
    return timezone.localtime(event.at) if event is not None else None


def available(case: Case) -> list[Notice]:
    """The notices this case has now, in the order they were issued."""
    notices: list[Notice] = []
    request = case.requests.order_by("-number").first()
    before_acceptance = request is not None and (
        case.accepted_on is None or timezone.localtime(request.requested_at).date() <= case.accepted_on
    )
    if request is not None and before_acceptance:
        notices.append(Notice("correction", KINDS["correction"], timezone.localtime(request.requested_at)))
    if case.state == CaseState.REFUSED:
        notices.append(Notice("refusal", KINDS["refusal"], _event_at(case, "refuse")))
    if case.accepted_on is not None:
        notices.append(Notice("acceptance", KINDS["acceptance"], case.accepted_on))
    if request is not None and not before_acceptance:
        notices.append(Notice("correction", KINDS["correction"], timezone.localtime(request.requested_at)))
    if case.concluded_at is not None:
        title = _("Decision to grant") if case.decision == Decision.APPROVED else _("Decision not to grant")
        notices.append(Notice("result", title, timezone.localtime(case.concluded_at)))
    return notices


def seal_data_uri(department: str) -> str:
    """The seal as a data URI: the configured PNG, else a drawn one (a red ring, a star, the name)."""
    path = str(getattr(settings, "TALENTCLOUD_SEAL_IMAGE", "") or "")
    if path and Path(path).is_file():
        return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode()
    # The name in one or two lines across the upper half, a star below it, "公章" at the foot.
    name = department[:16]
    lines = [name] if len(name) <= 7 else [name[: (len(name) + 1) // 2], name[(len(name) + 1) // 2 :]]
    size = min(20, 126 // max(len(line) for line in lines))
    font = 'font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif" fill="#d0021b"'
    text = "".join(
        f'<text x="80" y="{46 + index * (size + 3)}" font-size="{size}" text-anchor="middle" {font}>'
        f"{escape(line)}</text>"
        for index, line in enumerate(lines)
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" viewBox="0 0 160 160">'
        '<circle cx="80" cy="80" r="74" fill="none" stroke="#d0021b" stroke-width="5"/>'
        '<polygon fill="#d0021b" points="80,74 86,91 104,91 90,102 95,119 80,109 65,119 70,102 56,91 74,91"/>'
        f"{text}"
        f'<text x="80" y="138" font-size="14" text-anchor="middle" {font}>'
        f"{escape(str(_('Official seal')))}</text>"
        "</svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _context(case: Case, kind: str) -> dict[str, Any]:
    notice = next((n for n in available(case) if n.kind == kind), None)
    if notice is None:
        raise NotFound(_("This case has no such notice (yet)."))
    department = case.department.name
    request = case.requests.order_by("-number").first() if kind == "correction" else None
    items = []
    if request is not None:
        answered = answers_of(request)
        items = [{"label": item["label"], "answer": answered.get(item["key"], "")} for item in request.items]
    refusal = kind == "refusal" or (kind == "result" and case.decision == Decision.DENIED)
    return {
        "case": case,
        "kind": kind,
        "notice": notice,
        "department": department,
        "district": settings.TALENTCLOUD_DISTRICT_NAME,
        "seal": seal_data_uri(department),
        "request": request,
        "items": items,
        "refusal": refusal,
        "review_body": settings.TALENTCLOUD_REVIEW_BODY,
        "court": settings.TALENTCLOUD_COURT,
        "submitted": timezone.localtime(case.submitted_at) if case.submitted_at else None,
        "service": case.service.name,
    }


def notice_pdf(*, viewer: User | AnonymousUser, case: Case, kind: str, source_ip: str | None = None) -> bytes:
    """The notice as a PDF for someone who sees the case (``case`` was fetched with ``cases.case_get``
    for them); an audited read."""

    if kind not in KINDS:
        raise NotFound()
    with translation.override("zh-hans"):
        html = render_to_string("servicehall/notice_pdf.html", _context(case, kind))
    audit_record(
        actor=viewer,
        action="case.notice_read",
        object_type="case",
        object_id=case.pk,
        source_ip=source_ip,
        details={"notice": kind, "number": case.number or ""},
    )
    return bytes(HTML(string=html).write_pdf())
