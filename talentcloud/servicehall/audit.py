"""The audit actions (and object types) this app records, named for the audit log's reader."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.registry import ObjectKind

from .models import Case

AUDIT_ACTIONS = {
    "case.export": _("Exported the worklist"),
    "rating.export": _("Exported the ratings"),
    "case.draft": _("Saved a case draft"),
    "case.prepare": _("Prepared a case"),
    "case.submit": _("Submitted a case"),
    "case.accept": _("Accepted a case"),
    "case.return": _("Returned a case for correction"),
    "case.resubmit": _("Resubmitted a case"),
    "case.refuse": _("Refused a case"),
    "case.withdraw": _("Withdrew a case"),
    "case.conclude": _("Concluded a case"),
    "case.part_done": _("Finished a department's part"),
    "case.escalate": _("Escalated a case"),
    "case.escalate_sweep": _("Escalated overdue cases"),
    "case.reassign": _("Handed a case over"),
    "case.close": _("Closed a case"),
    "case.note": _("Noted on a case"),
    "case.answer": _("Answered on a case"),
    "case.material": _("Added a case material"),
    "case.material_read": _("Opened a case material"),
    "case.notice_read": _("Opened a case notice"),
    "case.rate": _("Rated a case"),
    "hall.settings": _("Changed the service hall's settings"),
    "service.version": _("Published a service version"),
    "rating.appeal": _("Appealed a rating"),
    "rating.appeal_decide": _("Decided a rating appeal"),
    "rating.rectify": _("Rectified after a rating"),
}


def _case_numbers(ids: list[str]) -> dict[str, str]:

    pks = []
    for value in ids:
        try:
            pks.append(uuid.UUID(value))
        except ValueError:
            continue
    return {str(c.pk): str(c) for c in Case.objects.filter(pk__in=pks).only("id", "number")}


AUDIT_OBJECTS = {
    "case": ObjectKind(_("Case"), names=_case_numbers, url_name="servicehall:case", perm="case.oversee")
}
