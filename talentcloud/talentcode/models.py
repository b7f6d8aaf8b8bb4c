"""The talent code (人才码, the 紫金山英才卡 on a phone): scenes and their rules, verifiers (external units
and the scenes they serve), the codes issued to talents and every verification of them (ADR 0025)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentcloud.common.models import TimeStampedModel
from talentcloud.privacy.fields import EncryptedTextField

from .enums import CodeStatus, IssueBasis, Result

CODE_ID_BYTES = 16


def new_code_id() -> str:
    """A random code id per issuance (never derived from the talent): 16 bytes, hex."""
    return secrets.token_hex(CODE_ID_BYTES)


class Scene(TimeStampedModel):
    """A service scene the card carries (就医绿色通道, 子女入学, …): who is entitled is a rule in the one rule
    language over the talent's facts (grade, tier, …), evaluated at each verification."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    rule = models.JSONField(_("who is entitled"), default=dict)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ("order", "code")
        verbose_name = _("talent code scene")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Verifier(TimeStampedModel):
    """An external unit (hospital, school, transport or culture partner) that verifies codes for its scenes;
    every active account of the unit verifies on its behalf."""

    unit = models.OneToOneField(
        "accounts.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="code_verifier"
    )
    scenes = models.ManyToManyField(Scene, verbose_name=_("scenes"), related_name="verifiers")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("talent code verifier")

    def __str__(self) -> str:
        return self.unit.display_name


class TalentCode(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("talent"), on_delete=models.CASCADE, related_name="talent_codes"
    )
    code_id = models.CharField(_("code id"), max_length=64, unique=True, default=new_code_id, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=CodeStatus.choices, default=CodeStatus.ACTIVE
    )
    basis = models.CharField(_("issued through"), max_length=20, choices=IssueBasis.choices)
    case = models.ForeignKey(
        "servicehall.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The photo the talent chose for the card (a small JPEG/PNG, base64 of the bytes), encrypted (SM4-GCM);
    # a verifier sees it only while ``show_photo`` is on.
    photo = EncryptedTextField(_("photo"), blank=True, default="")
    photo_type = models.CharField(max_length=20, blank=True, default="")
    show_photo = models.BooleanField(_("show my photo to verifiers"), default=False)

    class Meta:
        ordering = ("-issued_at",)
        verbose_name = _("talent code")
        constraints = [
            models.UniqueConstraint(
                fields=("talent",), condition=Q(status="active"), name="talentcode_one_active_per_talent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.talent_id}:{self.status}"


class Verification(models.Model):
    """One check of a code by a verifier, whatever it answered. ``code`` is empty when the token named no code
    of this platform (forged, unknown key)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A verification is written on every scan, so the table keeps only the indexes its reads use (a code's
    # history: ``talentcode_verif_code_at``; recent and unaudited rows: ``at``); the references are not
    # indexed on their own (ADR 0038): deleting a verifier, a scene or an account — which the product does
    # not do to one that has verified — would scan the table once. Nor does the database check them (ADR
    # 0039): the row's one statement names the code it has just read and the caller's verifier, scene and
    # account, and PostgreSQL's check of four references at each commit locked their rows, shared by every
    # scan of a hospital, for nothing; deleting a code, a verifier, a scene or an account still cascades,
    # is refused or empties the reference (Django's ``on_delete``; tested).
    code = models.ForeignKey(
        TalentCode,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="verifications",
        db_index=False,
        db_constraint=False,
    )
    verifier = models.ForeignKey(
        Verifier, on_delete=models.PROTECT, related_name="verifications", db_index=False, db_constraint=False
    )
    scene = models.ForeignKey(
        Scene, on_delete=models.PROTECT, related_name="verifications", db_index=False, db_constraint=False
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    reported_at = models.DateTimeField(_("reported as not recognised"), null=True, blank=True)
    report_note = models.CharField(_("note"), max_length=500, blank=True)
    # The verifier's address (what the audit event records) and whether the event is in the audit log yet:
    # a verification is one INSERT; ``services.verifications_audit`` appends the events in batches (ADR 0029).
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    audited = models.BooleanField(default=False)

    class Meta:
        ordering = ("-at",)
        verbose_name = _("talent code verification")
        indexes = [
            models.Index(fields=("code", "-at"), name="talentcode_verif_code_at"),
            models.Index(fields=("at",), condition=Q(audited=False), name="talentcode_verif_unaudited"),
        ]

    def __str__(self) -> str:
        return f"{self.code_id}:{self.result}"
