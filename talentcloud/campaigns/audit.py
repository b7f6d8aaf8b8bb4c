"""The audit actions this app records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.registry import ObjectKind

AUDIT_ACTIONS = {
    "campaign.create": _("Drafted a campaign"),
    "campaign.edit": _("Changed a campaign"),
    "campaign.publish": _("Published a campaign"),
    "campaign.close": _("Closed a campaign"),
    "fair_session.create": _("Set up a job fair session"),
    "fair_session.register": _("Registered for a job fair session"),
    "job_application.apply": _("Applied to a post"),
    "job_application.invite": _("Invited an applicant to interview"),
    "job_application.pick": _("Chose an interview time"),
    "job_application.interviewed": _("Recorded an interview"),
    "job_application.offer": _("Made an offer"),
    "job_application.accept": _("Accepted an offer"),
    "job_application.decline": _("Declined an offer"),
    "job_application.reject": _("Did not take an applicant further"),
    "job_application.withdraw": _("Withdrew an application"),
    "job_application.export": _("Exported applicants"),
    "pipeline.export": _("Exported the campaigns' pipelines"),
}

AUDIT_OBJECTS = {
    "campaign": ObjectKind(_("Campaign")),
    "fair_session": ObjectKind(_("Job fair session")),
    "job_application": ObjectKind(_("Job application")),
}
