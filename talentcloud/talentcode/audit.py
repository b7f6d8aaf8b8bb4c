"""The audit actions the talent code records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "talentcode.issue": _("Issued a talent code"),
    "talentcode.revoke": _("Revoked a talent code"),
    "talentcode.verify": _("Verified a talent code"),
    "talentcode.report": _("A talent reported a verification they do not recognise"),
    "talentcode.verifier_save": _("Registered or changed a talent-code verifier"),
    "talentcode.photo": _("Changed the photo on a talent code"),
    "talentcode.anonymise": _("Removed a talent's codes and their verifications with the archive"),
    "talentcode.scene_rule": _("Changed who a talent-code scene entitles"),
}
