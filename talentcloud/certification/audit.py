"""The audit actions this app records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.registry import ObjectKind

from .models import ClassificationRule

AUDIT_ACTIONS = {
    "certification.record": _("Certified a talent (grade and tier)"),
    "certification.downgrade": _("Lowered a talent's certification, with the reason"),
    "certification.expire": _("A certification expired"),
    "certification.renew": _("A renewed certification took effect"),
    "certification.proposal_confirm": _("Confirmed a proposed grade"),
    "certification.proposal_dismiss": _("Dismissed a proposed grade"),
    "certification.rule_save": _("Saved a classification rule"),
    "certification.classify": _("Ran the classification rules over everyone"),
    "certification.export": _("Exported certifications"),
}


def _rule_names(ids: list[str]) -> dict[str, str]:
    numbers = [int(i) for i in ids if i.isdigit()]
    return {str(r.pk): str(r) for r in ClassificationRule.objects.filter(pk__in=numbers)}


AUDIT_OBJECTS = {
    "classification_rule": ObjectKind(_("Classification rule"), names=_rule_names),
}
