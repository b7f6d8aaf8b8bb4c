"""Read by ``common/tests/test_scratch_bounds.py``: a section the scratch app adds to every service's guide
(``servicehall.guide.GUIDE_SECTIONS``)."""

from __future__ import annotations

from talentcloud.servicehall.guide import Document, GuidePart, GuideSection
from talentcloud.servicehall.models import Service


def _part(service: Service) -> GuidePart:
    return GuidePart(
        template="scratchapp/service_guide.html",
        context={"line": f"scratch condition of {service.code}"},
        documents=[Document("Scratch regulation", "SCRATCH-2026-1")],
    )


SERVICE_GUIDE_SECTIONS = [GuideSection("scratchapp.section", _part)]
