"""The audit actions (and object types) this app records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "seed.run": _("Loaded the demo data"),
}
