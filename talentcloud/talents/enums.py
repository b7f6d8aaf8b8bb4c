from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PyramidCategory(models.TextChoices):
    """金字塔 categories of domain.md."""

    TOP_EXPERT = "top_expert", _("Top expert")
    HIGH_END_TEAM = "high_end_team", _("High-end team")
    ENTREPRENEUR = "entrepreneur", _("Innovative entrepreneur")
    HIGH_LEVEL = "high_level", _("High-level innovation talent")
    YOUNG = "young", _("Young talent")


class ProgrammeTier(models.TextChoices):
    """Tiers of the city's 紫金山英才计划 (set by a certification: ``certification.services``)."""

    PEAK = "peak", _("Peak (高峰)")
    PIONEER = "pioneer", _("Pioneer (先锋)")
    GATHERING = "gathering", _("Gathering graduates (宁聚)")
    ELITE = "elite", _("Elite skills (菁英)")


class CertificationGrade(models.TextChoices):
    """人才认定 grades; a grade unlocks entitlements (housing, school places, medical care)."""

    A = "A", _("Grade A")
    B = "B", _("Grade B")
    C = "C", _("Grade C")
    D = "D", _("Grade D")
    E = "E", _("Grade E")
    F = "F", _("Grade F")


class Degree(models.TextChoices):
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctor")


class RightsRequestKind(models.TextChoices):
    """A person's requests under the Personal Information Protection Law (arts. 45, 46, 47)."""

    COPY = "copy", _("A copy of my data")
    CORRECT = "correct", _("Correct my data")
    DELETE = "delete", _("Delete my data")


class RightsRequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


class DeletionOutcome(models.TextChoices):
    DELETED = "deleted", _("Deleted (personal data anonymised)")
    RESTRICTED = "restricted", _("Kept by law, restricted to storage only")


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Phone call")
    MEETING = "meeting", _("Meeting or event")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class FactSource(models.TextChoices):
    """Where a fact policies read comes from (domain.md, Facts carry provenance)."""

    SELF = "self", _("Self-declared")
    STAFF = "staff", _("Verified by staff")
    AUTHORITY = "authority", _("Authoritative system")


class FactStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class QualificationKind(models.TextChoices):
    TITLE = "title", _("Professional title")
    AWARD = "award", _("Award or honour")
    PROGRAMME = "programme", _("Talent programme title")  # 入选人才计划: a programme of the registry


class ProgrammeLevel(models.TextChoices):
    """Who runs a talent programme (人才计划的层级), highest first."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", pgettext_lazy("programme level", "District")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")


class DocumentKind(models.TextChoices):
    ID_COPY = "id_copy", _("Identity document")
    DEGREE = "degree", _("Degree or diploma certificate")
    TITLE = "title", _("Professional title certificate")
    AWARD = "award", _("Award certificate")
    CONTRACT = "contract", _("Employment contract")
    SOCIAL_INSURANCE = "social_insurance", _("Social-insurance record")
    OTHER = "other", _("Other")
