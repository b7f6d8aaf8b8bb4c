"""The audit actions this app records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.registry import ObjectKind

AUDIT_ACTIONS = {
    "demand.post": _("Posted demand for talent"),
    "demand.edit": _("Changed demand for talent"),
    "demand.import": _("Imported demand for talent"),
    "demand.import_start": _("Started an import of demand"),
    "demand.export": _("Exported demand for talent"),
    "demand.approve": _("Approved demand for talent"),
    "demand.return": _("Returned demand for talent for changes"),
    "demand.resubmit": _("Submitted demand for talent again"),
    "demand.withdraw": _("Withdrew demand for talent"),
    "demand.fill": _("Marked demand for talent as filled"),
    "demand.expire_sweep": _("Expired demand past its deadline"),
    "job_seeker.save": _("Saved a job-seeker profile"),
    "taxonomy.import": _("Imported posts, majors, skills or graduates"),
    "post.import_start": _("Started an import of posts"),
    "major.import_start": _("Started an import of majors"),
    "skill.import_start": _("Started an import of the skills dictionary"),
    "graduate.import_start": _("Started an import of expected graduates"),
    "catalogue.open": _("Opened a year's demand catalogue"),
    "catalogue.settings": _("Set the catalogue's weights and star cut-offs"),
    "catalogue.add_post": _("Added a post to the catalogue"),
    "catalogue.remove_post": _("Removed a post from the catalogue"),
    "catalogue.freeze": _("Froze the demand catalogue"),
    "catalogue.publish": _("Published the demand catalogue"),
}

AUDIT_OBJECTS = {
    "demand": ObjectKind(_("Demand for talent")),
    "catalogue": ObjectKind(_("Demand catalogue")),
}
