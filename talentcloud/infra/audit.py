"""The audit actions (and object types) this app records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "backup.create": _("Made a backup"),
    "calendar.set": _("Set a day in the holiday calendar"),
    "calendar.delete": _("Removed a day from the holiday calendar"),
    "job.lost": _("A background job was lost"),
    "schedule.rerun": _("Ran a failed scheduled job again"),
}
