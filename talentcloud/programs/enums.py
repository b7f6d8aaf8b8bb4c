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


class Stage(models.TextChoices):
    """The stages of a call's review, in this order; a call lists the ones it has (``Call.stages``): formal
    check and written review always, 答辩/路演 and site visit when the office chooses them (ADR 0027)."""

    FORMAL_CHECK = "formal_check", _("Formal check")
    WRITTEN_REVIEW = "written_review", _("Written review")
    DEFENSE = "defense", _("Defence or roadshow (答辩/路演)")
    SITE_VISIT = "site_visit", _("Site visit")


STAGE_ORDER = [Stage.FORMAL_CHECK, Stage.WRITTEN_REVIEW, Stage.DEFENSE, Stage.SITE_VISIT]
# The stages where the panel scores per criterion; the ranking uses the call's last one.
SCORING_STAGES = (Stage.WRITTEN_REVIEW, Stage.DEFENSE)
DEFAULT_STAGES = [Stage.FORMAL_CHECK.value, Stage.WRITTEN_REVIEW.value]


def default_stages() -> list[str]:
    return list(DEFAULT_STAGES)
