"""The audit actions the stations and events record, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "station.save": _("Registered or changed a workstation"),
    "station_lead.create": _("Recorded a workstation lead"),
    "station_lead.consent": _("Recorded a lead's cross-border consent"),
    "station_lead.verify": _("Verified a workstation's contact"),
    "station_lead.link": _("Linked a lead to its archive record"),
    "station_lead.activity": _("Added an activity to a lead"),
    "station_lead.interest": _("A lead became interested"),
    "station_lead.visit": _("A lead visited the district"),
    "station_lead.sign": _("A lead signed"),
    "station_lead.land": _("A lead landed"),
    "station_lead.drop": _("A lead was dropped"),
    "station_reward.make": _("Made a workstation's landing reward"),
    "station_reward.rate": _("Set a workstation reward rate"),
    "station_event.save": _("Created or changed a talent event"),
    "station_event.register": _("Registered for a talent event"),
    "station_event.check_in": _("Checked an attendee in"),
    "station_event.leads": _("Turned event attendees into leads"),
    "station.export": _("Exported workstation scorecards or leads"),
}
