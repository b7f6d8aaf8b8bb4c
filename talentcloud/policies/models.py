"""Policies as data: versioned policies with an eligibility rule and a benefit, and dated parameters.

The database is authoritative; YAML files are how policies are written, reviewed and exchanged (``loader``).
Editing an effective policy makes a new version; every evaluation names the version it used.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Target(models.TextChoices):
    TALENT = "talent", _("Talents")
    ENTERPRISE = "enterprise", _("Enterprises")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Superseded")


class OnMatch(models.TextChoices):
    NOTIFY = "notify", _("Tell the person")
    CASE = "case", _("Open a pre-filled application in the service")


class Policy(models.Model):
    """One version of a policy. ``code`` names the policy across versions; one version is published."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=100)
    document_number = models.CharField(_("document number (文号)"), max_length=100, blank=True)
    source_url = models.URLField(_("source"), blank=True)
    target = models.CharField(_("target"), max_length=12, choices=Target.choices, default=Target.TALENT)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    rule = models.JSONField(_("eligibility rule"))
    benefit = models.JSONField(_("benefit"))
    exclusion_group = models.SlugField(_("exclusion group (就高不重复)"), max_length=60, blank=True)
    group_priority = models.PositiveSmallIntegerField(_("priority in the group"), default=0)
    # Policies this one is not granted together with, by code ("与人才购房补贴就高不重复"): each pair is a
    # group of two of its own, whichever of the two names the other (``decision.exclusion_sets``).
    excludes = models.JSONField(_("not granted together with (就高不重复)"), default=list, blank=True)
    yearly_budget = models.DecimalField(
        _("yearly budget (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    materials = models.JSONField(_("required materials"), default=list, blank=True)
    service = models.ForeignKey(
        "servicehall.Service",
        verbose_name=_("apply through"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policies",
    )
    on_match = models.CharField(
        _("when the sweep finds someone"),
        max_length=10,
        choices=OnMatch.choices,
        default=OnMatch.NOTIFY,
        help_text=_("A pre-filled application needs the service to apply through."),
    )
    tests = models.JSONField(_("test cases"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Whoever last changed the draft (None: written by the console's import). Publishing needs someone else.
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("drafted at"), null=True, blank=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("policy")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="policy_version_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="published"), name="policy_one_published"
            ),
            models.UniqueConstraint(fields=["code"], condition=Q(status="draft"), name="policy_one_draft"),
        ]

    def __str__(self) -> str:
        if self.title_en and (get_language() or "").startswith("en"):
            return self.title_en
        return self.title

    def effective_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


# Dated parameters in words (what pages show instead of the code a rule names). A parameter without a label
# here shows its code.
PARAMETER_LABELS: dict[str, Any] = {
    "young_max_age": _("highest age of a young talent"),
    "graduate_window_years": _("years after graduation a graduate is covered"),
}


def parameter_label(name: str) -> str:
    return str(PARAMETER_LABELS.get(name, name))


class Parameter(models.Model):
    """A named value with the date it takes effect and where it comes from (OpenFisca-style dated
    parameters): the value on a day is the newest one effective by then."""

    name = models.SlugField(_("name"), max_length=60)
    value = models.JSONField(_("value"))
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source (文号 or link)"), max_length=200, blank=True)

    class Meta:
        ordering = ["name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["name", "effective_from"], name="parameter_dated_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.effective_from}"


def parameters_on(day: date) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for parameter in Parameter.objects.filter(effective_from__lte=day).order_by("name", "-effective_from"):
        values.setdefault(parameter.name, parameter.value)
    return values


class SweepStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class SweepRun(models.Model):
    """One 免申即享 sweep: every published policy over everyone. The results for talents, then for
    enterprises, are stored in a transaction each and their codes noted in ``done``; a run stopped midway is
    resumed by the next sweep, which skips what is stored."""

    on = models.DateField(_("as of"))
    status = models.CharField(max_length=10, choices=SweepStatus.choices, default=SweepStatus.RUNNING)
    done = models.JSONField(default=list, blank=True)  # codes of the policies swept so far
    total = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.on} {self.status} {len(self.done)}/{self.total}"

    @property
    def percent(self) -> int:
        if self.status == SweepStatus.DONE:
            return 100
        return int(100 * len(self.done) / self.total) if self.total else 0


class EntitlementStatus(models.TextChoices):
    GRANTED = "granted", _("Granted without applying")
    VERIFY_FIRST = "verify_first", _("Matches on facts not yet verified")
    EXCLUDED = "excluded", _("A better one of its group applies")
    BUDGET_EXHAUSTED = "budget_exhausted", _("Budget exhausted")


# A sweep result holds one byte per person: 0 when the policy does not find them, else one of these.
STATE_CODES: dict[int, str] = {
    1: EntitlementStatus.GRANTED,
    2: EntitlementStatus.VERIFY_FIRST,
    3: EntitlementStatus.EXCLUDED,
    4: EntitlementStatus.BUDGET_EXHAUSTED,
}
GRANTED, VERIFY_FIRST, EXCLUDED, BUDGET_EXHAUSTED = 1, 2, 3, 4


class TalentNumber(models.Model):
    """A talent's place in the sweep's results: a dense number, given once (by the sweep to anyone who has
    none yet) and never reused. Kept beside the archive, not in it: saving a talent never touches it.

    The reference has no foreign-key constraint in the database (``db_constraint=False``): numbering a
    district inserts a row per subject from the subjects' own table, and PostgreSQL's per-row check of the
    constraint (a lookup and a row lock on each talent) took 21.6 of the 31.7 s that numbering a million
    talents took. Deleting a talent still deletes its number (Django's ``CASCADE``), and a sweep reaches a
    number through its subject, so a number left without its talent would only leave a gap."""

    number = models.AutoField(primary_key=True)
    talent = models.OneToOneField(
        "talents.Talent",
        on_delete=models.CASCADE,
        related_name="sweep_number",
        db_index=True,
        db_constraint=False,
    )

    def __str__(self) -> str:
        return f"{self.number} {self.talent_id}"


class EnterpriseNumber(models.Model):
    """An enterprise's place in the sweep's results (as ``TalentNumber``, without the database constraint
    for the same reason)."""

    number = models.AutoField(primary_key=True)
    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="sweep_number",
        db_index=True,
        db_constraint=False,
    )

    def __str__(self) -> str:
        return f"{self.number} {self.enterprise_id}"


class SweepResult(models.Model):
    """What one sweep found for one policy, over everyone at once (ADR 0009).

    ``state`` holds a byte per person number (``STATE_CODES``; 0: not found); ``since`` — kept for policies
    with a budget, whose grants go by eligibility date — two bytes per number (little-endian days since
    2000-01-01, 0: not found); ``amounts`` — kept for policies whose amount depends on the person — each
    claim's yearly amount (fen, eight bytes per number, compressed), so a person re-evaluated between sweeps
    is queued behind the run's claims without computing theirs again (ADR 0018) and the newly granted are
    told the amount the scan computed (ADR 0037). The counts
    are kept for good; the arrays of runs older than the last two are emptied (each run is read against the
    one before it)."""

    run = models.ForeignKey(SweepRun, on_delete=models.CASCADE, related_name="results")
    # Policy versions are never edited or deleted (a change is a new version).
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    policy_code = models.SlugField(max_length=60)
    target = models.CharField(max_length=12, choices=Target.choices)
    state = models.BinaryField(default=bytes)
    since = models.BinaryField(default=bytes)
    amounts = models.BinaryField(default=bytes)
    granted = models.PositiveIntegerField(default=0)
    verify_first = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)
    exhausted = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    lapsed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "policy_code"]
        constraints = [models.UniqueConstraint(fields=["run", "policy_code"], name="sweep_result_unique")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.policy_code}"


class SubjectChange(models.Model):
    """A talent (or an enterprise) whose facts changed and whose 免申即享 results await re-evaluation: a row
    per change, written in the changing transaction, taken and deleted by ``sweep.reevaluate_pending`` (a
    change noted while a re-evaluation runs stays for the next one, ADR 0018)."""

    target = models.CharField(max_length=12, choices=Target.choices)
    subject_id = models.CharField(max_length=40)
    noted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.target} {self.subject_id}"


class KeptColumn(models.Model):
    """One fact's coded column as the sweep last read it (ADR 0041): the value of every sweep number
    (``data``, ``dtype``), which numbers were read (``present``, a bit each) and when the read began
    (``read_at``). A sweep on the same day (``on``) reads again only the subjects whose facts changed
    since; ``key`` names the column by what it reads (its SQL, values and codes), not by its place in a
    plan."""

    target = models.CharField(max_length=12, choices=Target.choices)
    key = models.CharField(max_length=64)
    on = models.DateField()
    read_at = models.DateTimeField()
    dtype = models.CharField(max_length=8)
    data = models.BinaryField(default=bytes)
    present = models.BinaryField(default=bytes)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target", "key"], name="kept_column_unique")]

    def __str__(self) -> str:
        return f"{self.target} {self.key[:12]} {self.on}"


class SubjectResult(models.Model):
    """One person's 免申即享 results evaluated since the newest sweep (ADR 0018): they stand in for that
    person's bytes of the newest run's arrays (``SweepResult``) until a sweep that read facts as new as these
    ends. ``results``: per policy in force ``[policy id, code, state (STATE_CODES, 0: not found),
    eligibility day (days since 2000-01-01, 0: none or no budget)]``; ``read_at``: when the facts were
    read."""

    target = models.CharField(max_length=12, choices=Target.choices)
    number = models.PositiveIntegerField()
    on = models.DateField()
    results = models.JSONField(default=list)
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target", "number"], name="subject_result_unique")]

    def __str__(self) -> str:
        return f"{self.target} {self.number}"


class FactKind(models.TextChoices):
    YES_NO = "bool", _("Yes or no")
    NUMBER = "number", _("Number with a unit")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice from a list")
    RECOGNITION = "recognition", _("Recognition (a dated label)")


class Recorders(models.TextChoices):
    OFFICE = "office", _("The talent office")
    ARCHIVE = "archive", _("Whoever keeps the archive (park and street staff included, in their scope)")


class FactDefinition(models.Model):
    """A fact the office defines without code (ADR 0020): a value recorded about a talent or an enterprise, or
    a recognition (瞪羚企业, 国家高新技术企业 …: a dated label). Rules read it as soon as it is saved, on
    every process (``office_facts``: its SQL form is generated); one used by a published policy cannot be
    removed."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    label = models.CharField(_("name"), max_length=100)
    label_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=FactKind.choices)
    target = models.CharField(_("about"), max_length=12, choices=Target.choices, default=Target.TALENT)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    # A choice's values: [{"code": "national", "label": "国家级", "label_en": "national"}, …]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    recorders = models.CharField(
        _("who may record it"), max_length=10, choices=Recorders.choices, default=Recorders.OFFICE
    )
    must_verify = models.BooleanField(_("a value counts once verified"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["target", "key"]
        verbose_name = _("office-defined fact")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.label_en:
            return self.label_en
        return self.label


class ValueSource(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    IMPORT = "import", _("Imported from a file")
    AUTHORITY = "authority", _("Authoritative system")


class RecordedValue(models.Model):
    """One value of an office-defined fact for one talent or enterprise, with its provenance: who, from
    where (a file and its row), valid from when. A recognition's value is its validity (``valid_from`` …
    ``valid_until``, blank: open). The value on a day is the newest one valid from that day or before (a
    verified one, where the fact must be verified)."""

    scope_unit_paths = (
        "talent__employer_park",
        "talent__employer_street",
        "talent__residence_street",
        "enterprise__park",
        "enterprise__street",
    )

    definition = models.ForeignKey(FactDefinition, on_delete=models.PROTECT, related_name="values")
    talent = models.ForeignKey(
        "talents.Talent", null=True, blank=True, on_delete=models.CASCADE, related_name="office_values"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="office_values",
    )
    value_bool = models.BooleanField(null=True, blank=True)
    value_number = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    value_date = models.DateField(null=True, blank=True)
    value_choice = models.CharField(max_length=40, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=ValueSource.choices)
    provenance = models.CharField(_("provenance"), max_length=200, blank=True)  # "file.xlsx, row 7"
    verified = models.BooleanField(_("verified"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["definition", "-valid_from", "-id"]
        verbose_name = _("recorded value")
        indexes = [
            models.Index(fields=["definition", "talent", "valid_from"], name="value_def_talent_idx"),
            models.Index(fields=["definition", "enterprise", "valid_from"], name="value_def_ent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(talent__isnull=False, enterprise__isnull=True)
                | Q(talent__isnull=True, enterprise__isnull=False),
                name="value_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.definition_id} {self.valid_from}"
