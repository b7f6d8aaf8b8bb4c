from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApplicationState(models.TextChoices):
    """Where an application stands (the table in ``workflow.py``)."""

    DRAFT = "draft", pgettext_lazy("programme application", "Draft")
    SUBMITTED = "submitted", _("Waiting for the employer's nomination")
    NOMINATED = "nominated", _("Nominated, waiting for the park or street (属地推荐)")
    RECOMMENDED = "recommended", _("Recommended, in the office's formal check")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Passed the formal check, in review")
    REJECTED = "rejected", pgettext_lazy("programme application", "Rejected")
    NOT_NOMINATED = "not_nominated", _("Not nominated")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")
    APPROVED = "approved", pgettext_lazy("programme application", "Approved")
    NOT_APPROVED = "not_approved", _("Not approved")
    WITHDRAWN = "withdrawn", pgettext_lazy("programme application", "Withdrawn")


class TieKind(models.TextChoices):
    """Why an expert may not review someone: declared ties and recorded histories."""

    FAMILY = "family", _("Family")
    ADVISOR = "advisor", _("Advisor or student")
    PARTNER = "partner", _("Business partner")
    CO_APPLICANT = "co_applicant", _("Co-applicant")
    COLLABORATOR = "collaborator", _("Collaborator")


class SeatStatus(models.TextChoices):
    SEATED = "seated", _("On the panel")
    DECLINED = "declined", _("Declined")
    CONFLICT = "conflict", _("Struck: conflict found after the draw")
