"""The audit actions (and object types) this app records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.registry import ObjectKind

from .models import Policy

AUDIT_ACTIONS = {
    "policy.sweep_export": _("Exported a sweep's results"),
    "policy.create": _("Created a policy"),
    "policy.draft": _("Drafted a policy change"),
    "policy.draft_save": _("Saved a policy draft"),
    "policy.draft_discard": _("Discarded a policy draft"),
    "policy.publish": _("Published a policy"),
    "policy.parameter": _("Changed a policy parameter"),
    "policy.import": _("Imported policies"),
    "policy.sweep": _("Ran a policy sweep"),
    "policy.sweep_start": _("Started a policy sweep"),
    "policy.reevaluate": _("Re-evaluated people whose facts changed"),
    "office_fact.define": _("Defined a fact of the office"),
    "office_fact.remove": _("Removed a fact of the office"),
    "office_fact.record": _("Recorded a value of an office fact"),
    "office_fact.verify": _("Verified a value of an office fact"),
    "office_fact.import": _("Imported values of an office fact"),
}


def _policy_titles(ids: list[str]) -> dict[str, str]:

    pks = [int(i) for i in ids if i.isdigit()]
    return {
        str(p.pk): f"{p.title} v{p.version}"
        for p in Policy.objects.filter(pk__in=pks).only("id", "title", "version")
    }


AUDIT_OBJECTS = {"policy": ObjectKind(_("Policy"), names=_policy_titles)}
