"""The audit actions this app records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.registry import ObjectKind

from .models import Application, Call, Expert


def _application_names(ids: list[str]) -> dict[str, str]:
    numbers = [int(i) for i in ids if i.isdigit()]
    return {
        str(pk): number
        for pk, number in Application.objects.filter(pk__in=numbers).values_list("pk", "number")
    }


def _call_names(ids: list[str]) -> dict[str, str]:
    numbers = [int(i) for i in ids if i.isdigit()]
    return {str(c.pk): c.title for c in Call.objects.filter(pk__in=numbers)}


def _expert_names(ids: list[str]) -> dict[str, str]:
    numbers = [int(i) for i in ids if i.isdigit()]
    return {str(pk): code for pk, code in Expert.objects.filter(pk__in=numbers).values_list("pk", "code")}


AUDIT_ACTIONS = {
    "programs.application.create": _("Started a programme application"),
    "programs.application.submit": _("Submitted a programme application with the integrity pledge"),
    "programs.application.nominate": _("Nominated a programme application (employer)"),
    "programs.application.decline_nomination": _("Did not nominate a programme application"),
    "programs.application.recommend": _("Recommended a programme application (park or street)"),
    "programs.application.decline_recommendation": _("Did not recommend a programme application"),
    "programs.application.return": _("Returned a programme application for correction"),
    "programs.application.resubmit": _("Resubmitted a corrected programme application"),
    "programs.application.reject": _("Rejected a programme application at the formal check"),
    "programs.application.accept": _("Passed a programme application's formal check"),
    "programs.application.withdraw": _("Withdrew a programme application"),
    "programs.application.approve": _("Approved a programme application (award and certification)"),
    "programs.application.not_approve": _("Did not approve a programme application"),
    "programs.ceremony": _("Recorded a draw ceremony's digits"),
    "programs.draw": _("Drew a review panel"),
    "programs.seat_decline": _("An expert declined a panel seat; the next of the stream took it"),
    "programs.seat_conflict": _("A panel seat was struck for a conflict found after the draw"),
    "programs.expert_save": _("Saved an expert of the pool"),
    "programs.tie_add": _("Recorded an expert's tie or history"),
    "programs.score": _("Submitted review scores"),
    "programs.call_create": _("Opened a programme call"),
    "programs.export": _("Exported programme applications, scores or a 公示 list"),
    "programs.publicity": _("Published a call's list for 公示"),
    "programs.objection": _("Objected to a line of a 公示 list"),
    "programs.objection_decide": _("Answered an objection to a 公示 list"),
    "programs.material": _("Uploaded a material of a programme application"),
    "programs.anonymised_check": _("Checked a blind call's anonymised materials at the formal check"),
    "programs.material_read": _("A reviewer downloaded a material of their seat"),
}

AUDIT_OBJECTS = {
    "programme_application": ObjectKind(_("Programme application"), names=_application_names),
    "programme_call": ObjectKind(_("Programme call"), names=_call_names),
    "expert": ObjectKind(_("Expert"), names=_expert_names),
}
