"""Talent programmes (育才): calls (批次) of a programme of the register (``talents.TalentProgramme``), the
applications and their way through employer, park or street and office, the expert pool with its histories
and ties, the replayable panel draws, the scores and the approvals (ADR 0027)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.models import OrgUnit
from talentcloud.privacy.fields import EncryptedTextField
from talentcloud.privacy.storage import private_storage
from talentcloud.talents.enums import CertificationGrade, ProgrammeTier

from .enums import ApplicationState, SeatStatus, Stage, TieKind, default_stages


class Call(models.Model):
    """批次: a round of applications to a programme, with its eligibility rule (the one rule language), its
    places and budget, its panel size and conflict window, and what an approval certifies."""

    programme = models.ForeignKey(
        "talents.TalentProgramme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="calls"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    rule = models.JSONField(_("eligibility rule"))
    blind = models.BooleanField(_("blind review"), default=False)
    panel_size = models.PositiveSmallIntegerField(_("panel size"), default=5)
    conflict_years = models.PositiveSmallIntegerField(_("conflict window (years)"), default=3)
    places = models.PositiveIntegerField(_("places"))
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2)
    award_amount = models.DecimalField(_("amount per award"), max_digits=12, decimal_places=2)
    # [{"share": 50, "milestone": "…"}, …]: the instalments of an award, shares in percent adding to 100
    instalments = models.JSONField(_("instalments"), default=list)
    obligation_years = models.PositiveSmallIntegerField(_("service obligation (years)"), default=5)
    grade = models.CharField(_("certification grade"), max_length=1, choices=CertificationGrade.choices)
    tier = models.CharField(_("programme tier"), max_length=20, choices=ProgrammeTier.choices, blank=True)
    check_days = models.PositiveSmallIntegerField(_("formal check (working days)"), default=10)
    # The ledger's budget line the awards commit on (``payouts.BudgetLine.policy_code``; blank: the call's
    # code), and the exclusion group across programmes and policies (同一项目不重复支持, ADR 0030).
    # [{"key": "plan", "label": "项目计划书"}, …]: the materials an application carries; in a blind call each
    # also in an anonymised version, the only one reviewers receive.
    materials = models.JSONField(_("materials"), default=list, blank=True)
    budget_code = models.SlugField(_("budget line code"), max_length=60, blank=True)
    exclusion_group = models.SlugField(_("exclusion group"), max_length=60, blank=True)
    # The review's stages in order (``enums.STAGE_ORDER``): formal check and written review, and the
    # optional 答辩/路演 and site visit the office chose when opening the call.
    stages = models.JSONField(_("stages"), default=default_stages)

    class Meta:
        ordering = ["-opens_on", "code"]
        verbose_name = _("programme call")

    def __str__(self) -> str:
        return self.title

    @property
    def budget_line_code(self) -> str:
        return self.budget_code or self.code


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call_id", "order", "pk"]
        verbose_name = _("review criterion")

    def __str__(self) -> str:
        return f"{self.name} ×{self.weight}"


class Quota(models.Model):
    """推荐名额: how many applications one enterprise may nominate, or one park or street recommend."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="quotas")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    places = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("nomination quota")
        constraints = [
            models.UniqueConstraint(fields=["call", "enterprise"], name="programs_quota_enterprise"),
            models.UniqueConstraint(fields=["call", "unit"], name="programs_quota_unit"),
            models.CheckConstraint(
                condition=models.Q(enterprise__isnull=True) ^ models.Q(unit__isnull=True),
                name="programs_quota_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.enterprise_id or self.unit_id}: {self.places}"


class Application(models.Model):
    """One application to a call; its state moves on the shared workflow engine (``workflow.APPLICATIONS``).
    The employer's park and street are copied onto the row: a park's staff see their own (ADR 0015)."""

    scope_unit_paths = ("employer_park", "employer_street")
    scope_unit_kinds = {"employer_park": "park", "employer_street": "street"}
    scope_self_paths = ("talent__account", "employer__members__user")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    number = models.CharField(_("number"), max_length=40, unique=True)
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    employer_park = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    employer_street = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("project title"), max_length=200)
    field = models.CharField(_("field"), max_length=20)
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    revision = models.PositiveIntegerField(default=0)
    # Where the application stands in its call's stages once past the formal check (``workflow.STAGES``).
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.FORMAL_CHECK)
    pledged_at = models.DateTimeField(_("integrity pledge signed"), null=True, blank=True)
    # Where an award is paid (the applicant's bank account, encrypted; shown masked).
    payee_account = EncryptedTextField(_("bank account for the award"), blank=True)
    recommended_on = models.DateField(_("recommended on"), null=True, blank=True)
    # The office checked at the formal check that the anonymised materials show no name, employer or ID.
    anonymised_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call_id", "number"]
        verbose_name = _("programme application")
        indexes = [
            models.Index(fields=["employer_park", "number"], name="programs_app_park_idx"),
            models.Index(fields=["employer_street", "number"], name="programs_app_street_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "talent"],
                condition=~models.Q(state="withdrawn"),
                name="programs_one_application_per_call",
            )
        ]

    def __str__(self) -> str:
        return self.number


class Member(models.Model):
    """A team member: a talent of the archive, or a name and institution until they claim a record."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    talent = models.ForeignKey(
        "talents.Talent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    institution = models.CharField(_("institution"), max_length=200)

    class Meta:
        ordering = ["application_id", "pk"]
        verbose_name = _("team member")

    def __str__(self) -> str:
        return self.name


class ApplicationEvent(models.Model):
    """One step of an application, as the applicant sees it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["application_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


class Pause(models.Model):
    """补正: the formal check's clock stands still from ``start`` until the applicant resubmits."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pauses")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "start"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.start}–{self.end or ''}"


class Expert(models.Model):
    """A reviewer of the pool. ``code`` is the public pseudonym the published draws list."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="expert"
    )
    fields = models.JSONField(_("field codes"), default=list)
    cap = models.PositiveSmallIntegerField(_("reviews per call at most"), default=10)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("expert")

    def __str__(self) -> str:
        return self.code


class Affiliation(models.Model):
    """Where an expert worked, from and to (open: still there)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="affiliations")
    institution = models.CharField(_("institution"), max_length=200)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["expert_id", "start"]
        verbose_name = _("institution history")

    def __str__(self) -> str:
        return f"{self.expert_id} {self.institution}"


class Tie(models.Model):
    """A declared tie (family, advisor, business partner) or a recorded history (co-application,
    collaboration on ``on``) between an expert and a person: a talent of the archive or a named person."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="ties")
    kind = models.CharField(_("kind"), max_length=20, choices=TieKind.choices)
    talent = models.ForeignKey(
        "talents.Talent", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person_name = models.CharField(_("name"), max_length=100, blank=True)
    on = models.DateField(_("on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expert_id", "pk"]
        verbose_name = _("tie")

    def __str__(self) -> str:
        return f"{self.expert_id} {self.kind}"


class Ceremony(models.Model):
    """The recorded ceremony where the digits of a call's draws were entered (in public, with witnesses)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="ceremonies")
    digits = models.CharField(_("digits"), max_length=40)
    witnesses = models.CharField(_("witnesses"), max_length=300)
    held_at = models.DateTimeField(_("held at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["call_id", "held_at"]
        verbose_name = _("draw ceremony")

    def __str__(self) -> str:
        return f"{self.call_id} {self.held_at:%Y-%m-%d}"


class Draw(models.Model):
    """One attempt to draw an application's panel: the frozen pool, its digest, the ceremony, and why a
    second attempt was needed. Only the newest attempt of an application is ``active``."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="draws")
    attempt = models.PositiveSmallIntegerField()
    ceremony = models.ForeignKey(Ceremony, on_delete=models.PROTECT, related_name="draws")
    pool = models.JSONField()  # the experts' codes, sorted
    digest = models.CharField(max_length=64)
    size = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["application", "attempt"], name="programs_draw_attempt"),
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(active=True), name="programs_one_active_draw"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.attempt}"


class Seat(models.Model):
    """An expert drawn for a panel, in the order of the stream; struck seats stay, with why."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="seats")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="seats")
    position = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=SeatStatus.choices, default=SeatStatus.SEATED)
    reason = models.TextField(blank=True)
    struck_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draw_id", "position"]
        constraints = [models.UniqueConstraint(fields=["draw", "expert"], name="programs_seat_once")]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.position} {self.status}"


class Score(models.Model):
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    # The scoring stage the sheet belongs to (written review, or 答辩/路演).
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.WRITTEN_REVIEW)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "criterion", "stage"], name="programs_score_once_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.seat_id} {self.criterion_id} {self.value}"


class Award(models.Model):
    """An approval: the amount, the service obligation and the instalments, kept here until the payout
    ledger takes them over (ADR 0027), and the certification it recorded."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    obligation_years = models.PositiveSmallIntegerField(_("service obligation (years)"))
    certification = models.ForeignKey(
        "certification.Certification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The ledger's award (ADR 0030): its lines are the instalments, the first due on approval.
    ledger = models.OneToOneField(
        "payouts.Award", null=True, blank=True, on_delete=models.PROTECT, related_name="programme_award"
    )
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme award")

    def __str__(self) -> str:
        return f"{self.application_id} {self.amount}"


class Instalment(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="instalment_rows")
    seq = models.PositiveSmallIntegerField()
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    milestone = models.CharField(_("milestone"), max_length=200)

    class Meta:
        ordering = ["award_id", "seq"]

    def __str__(self) -> str:
        return f"{self.award_id} #{self.seq} {self.amount}"


class Publicity(models.Model):
    """公示: the list of applications proposed for approval, published for ``days`` working days."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="publicity")
    days = models.PositiveSmallIntegerField(_("working days"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("publicity")

    def __str__(self) -> str:
        return f"{self.call_id} {self.days}"


class PublicityEntry(models.Model):
    """One line of the list: masked fields only (never an ID or a phone), and its own window, which an
    upheld objection that changes the line starts again."""

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="publicity_entry")
    masked_name = models.CharField(_("name"), max_length=100)
    employer_name = models.CharField(_("employer"), max_length=200)
    programme = models.CharField(_("programme"), max_length=200)
    tier = models.CharField(_("programme tier"), max_length=40, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["publicity_id", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.starts_on}–{self.ends_on}"


class Objection(models.Model):
    """异议: from a signed-in person with a verified identity (handled), or anonymous (recorded, not
    handled). Who objected is visible to the office's handlers only."""

    entry = models.ForeignKey(PublicityEntry, on_delete=models.CASCADE, related_name="objections")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("objection"))
    status = models.CharField(max_length=10, default="pending")  # pending, upheld, dismissed, recorded
    reply = models.TextField(blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.status}"


class Material(models.Model):
    """A file of an application under a key the call names, encrypted at rest under a generated name;
    ``anonymised``: the version for a blind call's reviewers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    key = models.CharField(max_length=40)
    anonymised = models.BooleanField(default=False)
    file = models.FileField(storage=private_storage, max_length=200)
    display_name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sm3 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "key", "anonymised"], name="programs_material_once"
            )
        ]
        ordering = ["key", "anonymised"]

    def __str__(self) -> str:
        return self.display_name
