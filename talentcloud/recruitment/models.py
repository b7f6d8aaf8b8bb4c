"""引才: the office's taxonomies (posts, majors, skills), enterprises' demand, supply (job-seeker profiles,
expected graduates) and the yearly demand catalogue (重点产业人才需求目录) with its 紧缺指数 (ADR 0026).

Demand carries its enterprise's park and street as columns (ADR 0015), so a park's staff read their own
enterprises' demand with one index range. A catalogue is a version per year; once frozen its entries hold the
scores and stars as computed then, and once published its files and their SM3 digests: nothing recomputes
them afterwards."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talentcloud.talents.enums import Degree

from .enums import CatalogueState, CutoffMode, DemandState, SalaryKind


class Major(models.Model):
    """A major (专业) of the national discipline catalogue."""

    code = models.CharField(_("major code"), max_length=16, unique=True)
    name = models.CharField(_("major name"), max_length=100)
    discipline = models.CharField(_("discipline"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("major")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Post(models.Model):
    """A post (岗位) of the occupation classification the office keeps (national codes or its own list)."""

    code = models.CharField(_("post code"), max_length=32, unique=True)
    name = models.CharField(_("post name"), max_length=100)
    category = models.CharField(_("category"), max_length=100, blank=True)
    majors = models.ManyToManyField(Major, verbose_name=_("related majors"), blank=True, related_name="posts")
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("post")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Skill(models.Model):
    """A term of the skills dictionary (技能词典); the Chinese tokenizer keeps each one whole."""

    term = models.CharField(_("skill"), max_length=50, unique=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("skill")

    def __str__(self) -> str:
        return self.term


class Demand(models.Model):
    """An enterprise's demand for a post. The salary as entered (monthly, annual, or 面议) is kept beside its
    annual band (``annual_min`` … ``annual_max``, yuan), which the catalogue reads."""

    scope_unit_paths = ("park", "street")
    scope_unit_kinds = {"park": "park", "street": "street"}
    scope_self_paths = ("enterprise__members__user",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    park = models.ForeignKey(
        "accounts.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    street = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="demands")
    title = models.CharField(_("job title"), max_length=100, blank=True)
    # The enterprise's own number for the demand (岗位编号): an Excel import matches its rows by it.
    ref = models.CharField(_("demand number"), max_length=40, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"))
    degree = models.CharField(_("minimum degree"), max_length=20, choices=Degree.choices)
    majors = models.ManyToManyField(Major, verbose_name=_("majors"), blank=True, related_name="+")
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="+")
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    salary_kind = models.CharField(_("salary given as"), max_length=12, choices=SalaryKind.choices)
    salary_min = models.PositiveIntegerField(_("salary from (yuan)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary to (yuan)"), null=True, blank=True)
    annual_min = models.PositiveIntegerField(_("annual salary from (yuan)"), null=True, blank=True)
    annual_max = models.PositiveIntegerField(_("annual salary to (yuan)"), null=True, blank=True)
    chain = models.ForeignKey(
        "enterprises.IndustryChain",
        verbose_name=_("industry chain"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField(_("work location"), max_length=100, blank=True)
    deadline = models.DateField(_("deadline"))
    year = models.PositiveSmallIntegerField(_("catalogue year"))
    state = models.CharField(
        _("state"), max_length=12, choices=DemandState.choices, default=DemandState.SUBMITTED
    )
    revision = models.PositiveIntegerField(default=0)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("demand")
        indexes = [
            models.Index(fields=["park", "-created_at"], name="demand_park_idx"),
            models.Index(fields=["street", "-created_at"], name="demand_street_idx"),
            models.Index(fields=["year", "state", "post"], name="demand_year_idx"),
            models.Index(fields=["state", "deadline"], name="demand_deadline_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "ref"], condition=~models.Q(ref=""), name="demand_ref_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id} × {self.headcount}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.enterprise_id is not None:  # the scope keys follow the enterprise (ADR 0015)
            self.park_id = self.enterprise.park_id
            self.street_id = self.enterprise.street_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class DemandEvent(models.Model):
    """A move of a demand on its review table (the workflow engine's timeline)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.action}"


class JobSeekerProfile(models.Model):
    """A talent's job-seeker profile (求职意向); counts as supply only while ``open`` (their opt-in)."""

    scope_unit_paths: tuple[str, ...] = ()
    scope_self_paths = ("account",)

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_seeker_profile"
    )
    post = models.ForeignKey(Post, verbose_name=_("post sought"), on_delete=models.PROTECT, related_name="+")
    degree = models.CharField(_("highest degree"), max_length=20, choices=Degree.choices)
    major = models.ForeignKey(
        Major, verbose_name=_("major"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    open = models.BooleanField(_("count me as looking for work in the district"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("job-seeker profile")

    def __str__(self) -> str:
        return f"{self.account_id} → {self.post_id}"


class GraduateSupply(models.Model):
    """Expected graduates of a district university in a year, by major and degree (imported)."""

    year = models.PositiveSmallIntegerField(_("graduation year"))
    university = models.CharField(_("university"), max_length=100)
    major = models.ForeignKey(Major, verbose_name=_("major"), on_delete=models.PROTECT, related_name="+")
    degree = models.CharField(_("degree"), max_length=20, choices=Degree.choices)
    count = models.PositiveIntegerField(_("expected graduates"))

    class Meta:
        ordering = ["year", "university", "major"]
        verbose_name = _("expected graduates")
        constraints = [
            models.UniqueConstraint(fields=["year", "university", "major", "degree"], name="graduates_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.university} {self.major_id} {self.degree}"


def default_weights() -> dict[str, int]:
    from .shortage import DEFAULT_WEIGHTS  # noqa: PLC0415 (a migration's callable default)

    return dict(DEFAULT_WEIGHTS)


def default_cutoffs() -> list[float]:
    from .shortage import DEFAULT_SHARES  # noqa: PLC0415 (a migration's callable default)

    return list(DEFAULT_SHARES)


class Catalogue(models.Model):
    """One year's demand catalogue. Weights and star cut-offs are the office's; a draft's entries are
    computed from the year's demand and supply when read; freezing stores them; publishing stores the
    files and their digests. A published catalogue never changes."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=CatalogueState.choices, default=CatalogueState.DRAFT
    )
    weights = models.JSONField(_("weights"), default=default_weights)
    cutoff_mode = models.CharField(
        _("star cut-offs"), max_length=10, choices=CutoffMode.choices, default=CutoffMode.QUANTILE
    )
    # fixed: the least index for 5, 4, 3, 2 stars; quantile: the shares of posts at 5, 4, 3, 2, 1 stars
    cutoffs = models.JSONField(_("cut-offs"), default=default_cutoffs)
    frozen_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    xlsx = models.BinaryField(default=b"", editable=False)
    xlsx_sm3 = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField(default=b"", editable=False)
    pdf_sm3 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("demand catalogue")

    def __str__(self) -> str:
        return str(self.year)


class CatalogueAdjustment(models.Model):
    """The office adds a post to a draft catalogue, or removes one, with the reason."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="adjustments")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    include = models.BooleanField()
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "post"], name="adjustment_one_per_post")]

    def __str__(self) -> str:
        return f"{self.catalogue_id} {'+' if self.include else '-'}{self.post_id}"


class CatalogueEntry(models.Model):
    """A post of a frozen catalogue: its figures, 紧缺指数, stars and breakdown as computed at the freeze."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="entries")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    post_code = models.CharField(max_length=32)
    post_name = models.CharField(max_length=100)
    demand = models.PositiveIntegerField()
    supply = models.PositiveIntegerField()
    index = models.DecimalField(max_digits=6, decimal_places=2)
    stars = models.PositiveSmallIntegerField()
    breakdown = models.JSONField()
    previous_stars = models.PositiveSmallIntegerField(null=True, blank=True)
    added_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-index", "post_code"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "post"], name="entry_one_per_post")]

    def __str__(self) -> str:
        return f"{self.catalogue_id} {self.post_code} {self.stars}"

    @property
    def first_five_star(self) -> bool:
        """首次进入五星: five stars this year and not last year."""
        return self.stars == 5 and self.previous_stars != 5
