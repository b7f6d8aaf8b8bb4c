"""一人一档 as a PDF (WeasyPrint). Personal numbers are masked unless the reader is the person themself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from talentcloud.audit.services import audit_record
from talentcloud.privacy.masking import mask_email, mask_id_number, mask_phone

from . import selectors
from .models import Talent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User


def talent_pdf(*, viewer: User | AnonymousUser, talent: Talent, source_ip: str | None = None) -> bytes:

    own = talent.account_id is not None and talent.account_id == viewer.pk
    context = {
        "talent": talent,
        "id_number": talent.id_number if own else mask_id_number(talent.id_number),
        "phone": talent.phone if own else mask_phone(talent.phone),
        "email": talent.email if own else mask_email(talent.email),
        "facts": selectors.fact_rows(talent),
        "timeline": selectors.timeline(talent, viewer=viewer)[:40],
        "printed_at": timezone.localtime(),
        "printed_by": viewer,
    }
    html = render_to_string("talents/archive_pdf.html", context)
    audit_record(
        actor=viewer, action="talent.pdf", object_type="talent", object_id=talent.pk, source_ip=source_ip
    )
    return bytes(HTML(string=html).write_pdf())
