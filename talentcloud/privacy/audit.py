"""The audit actions (and object types) this app records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "auth.reauth": _("Entered the password again"),
    "pii.unmask": _("Viewed personal data in full"),
    "privacy.rotate": _("Rotated the encryption keys"),
    "retention.sweep": _("Deleted data past its retention"),
}
