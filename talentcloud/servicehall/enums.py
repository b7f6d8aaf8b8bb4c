from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LimitKind(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days")
    CALENDAR_DAYS = "calendar_days", _("Calendar days")
    FIXED_DATE = "fixed_date", _("A fixed date or round")


class FieldType(models.TextChoices):
    TEXT = "text", _("Short text")
    TEXTAREA = "textarea", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("One of a list")
    YES_NO = "yes_no", _("Yes or no")


class JointMode(models.TextChoices):
    PARALLEL = "parallel", _("In parallel")
    SEQUENCE = "sequence", _("In sequence")


class CaseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for acceptance")
    RETURNED = "returned", _("Materials requested (before acceptance)")
    IN_PROGRESS = "in_progress", _("Being handled")
    PAUSED = "paused", _("Materials requested (clock paused)")
    CONCLUDED = "concluded", _("Concluded")
    ANSWERED = "answered", _("Answered")
    RATED = "rated", _("Rated")
    CLOSED = "closed", _("Closed")
    REFUSED = "refused", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = (CaseState.SUBMITTED, CaseState.RETURNED, CaseState.IN_PROGRESS, CaseState.PAUSED)


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class PartStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACTIVE = "active", _("Handling")
    DONE = "done", _("Done")


class Colour(models.TextChoices):
    GREEN = "green", _("On time")
    YELLOW = "yellow", _("Due soon")
    RED = "red", _("Overdue")


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied (非常满意)")
    SATISFIED = 4, _("Satisfied (满意)")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied (基本满意)")
    DISSATISFIED = 2, _("Dissatisfied (不满意)")
    VERY_DISSATISFIED = 1, _("Very dissatisfied (非常不满意)")


POOR_LEVELS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)


class RectificationStep(models.TextChoices):
    VERIFY = "verify", _("Verify")
    RECTIFY = "rectify", _("Rectify")
    REPORT = "report", _("Report back")
    CALLBACK = "callback", _("Call back")
    CLOSED = "closed", _("Closed")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the office")
    UPHELD = "upheld", _("Upheld: the rating does not count")
    REJECTED = "rejected", _("Rejected: the rating stands")


class QuotaStatus(models.TextChoices):
    HELD = "held", _("Held")
    CONFIRMED = "confirmed", _("Confirmed")
    RELEASED = "released", _("Released")


class UnratedRule(models.TextChoices):
    NOT_COUNTED = "not_counted", _("Not counted")
    SATISFIED = "satisfied", _("Counted as satisfied")


class Theme(models.TextChoices):
    """The themes the public service guide (办事指南) groups services by."""

    HOUSING = "housing", pgettext_lazy("service theme", "Housing")
    MEDICAL = "medical", pgettext_lazy("service theme", "Medical care")
    SCHOOLING = "schooling", pgettext_lazy("service theme", "School places")
    STARTUP = "startup", pgettext_lazy("service theme", "Start-ups and finance")
    CERTIFICATION = "certification", pgettext_lazy("service theme", "Talent certification")
    EMPLOYMENT = "employment", pgettext_lazy("service theme", "Jobs and residence")
    LIFE = "life", pgettext_lazy("service theme", "Daily life")
    GENERAL = "general", pgettext_lazy("service theme", "General services")
