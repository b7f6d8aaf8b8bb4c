"""认定: a talent's certification history, the classification rules (分类标准) and their proposals.

The talent's ``grade`` and ``tier`` columns hold the current certification's; only ``services.project``
writes them (ADR 0021)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talentcloud.talents.enums import CertificationGrade, ProgrammeTier

from .enums import Basis, CertificationStatus, ProposalStatus

TALENT_SCOPE_UNITS = ("talent__employer_park", "talent__employer_street", "talent__residence_street")
TALENT_SCOPE_SELF = ("talent__account", "talent__liaison")


class ClassificationRule(models.Model):
    """分类标准: a grade (and optionally a tier) and the rule, in the one rule language, that earns it."""

    grade = models.CharField(_("certification grade"), max_length=1, choices=CertificationGrade.choices)
    tier = models.CharField(_("programme tier"), max_length=20, choices=ProgrammeTier.choices, blank=True)
    label = models.CharField(_("label"), max_length=200)
    rule = models.JSONField(_("rule"))
    issuer = models.CharField(_("issuer"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["grade", "-version"]
        verbose_name = _("classification rule")

    def __str__(self) -> str:
        return f"{self.grade} {self.label} v{self.version}"


class Certification(models.Model):
    """One certification of a talent: grade, tier, basis, validity, document, who decided and why."""

    scope_unit_paths = TALENT_SCOPE_UNITS
    scope_self_paths = TALENT_SCOPE_SELF

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("talent"), on_delete=models.CASCADE, related_name="certifications"
    )
    grade = models.CharField(
        _("certification grade"), max_length=1, choices=CertificationGrade.choices, blank=True
    )
    tier = models.CharField(_("programme tier"), max_length=20, choices=ProgrammeTier.choices, blank=True)
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)  # the last valid day
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CertificationStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "servicehall.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="certifications"
    )
    rule = models.ForeignKey(
        ClassificationRule, null=True, blank=True, on_delete=models.PROTECT, related_name="certifications"
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_from", "-created_at"]
        verbose_name = _("certification")
        indexes = [
            models.Index(fields=["talent", "-effective_from"], name="cert_talent_idx"),
            models.Index(fields=["status", "effective_to"], name="cert_status_to_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.talent_id} {self.grade}/{self.tier} {self.status}"


class Proposal(models.Model):
    """A grade a classification run proposes for a talent; nothing changes until staff confirm it."""

    scope_unit_paths = TALENT_SCOPE_UNITS
    scope_self_paths = TALENT_SCOPE_SELF

    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("talent"), on_delete=models.CASCADE, related_name="grade_proposals"
    )
    rule = models.ForeignKey(ClassificationRule, on_delete=models.PROTECT, related_name="proposals")
    grade = models.CharField(_("proposed grade"), max_length=1, choices=CertificationGrade.choices)
    current_grade = models.CharField(
        _("current grade"), max_length=1, choices=CertificationGrade.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    run_on = models.DateField(_("proposed on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    certification = models.ForeignKey(
        Certification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["talent_id", "-id"]
        verbose_name = _("grade proposal")
        constraints = [
            models.UniqueConstraint(
                fields=["talent"],
                condition=models.Q(status="pending"),
                name="proposal_one_pending_per_talent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.talent_id} → {self.grade} ({self.status})"
