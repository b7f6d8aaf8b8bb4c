"""The audit actions this app records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.registry import ObjectKind

AUDIT_ACTIONS = {
    "matching.details_save": _("Saved what a job-seeker profile adds for matching"),
    "matching.contact_request": _("Asked a talent for contact"),
    "matching.contact_answer": _("Answered a request for contact"),
    "matching.export": _("Exported the talents matched with a post"),
}

AUDIT_OBJECTS = {
    "contact_request": ObjectKind(_("Request for contact")),
}
