"""Talents (一人一档). This holds the fields the platform needs today; the archive proper (education
history, titles, family, documents, history of every change) and the encrypted personal fields are
added by the archive and trust-layer work."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.models import OrgUnit
from talentcloud.common.models import TimeStampedModel
from talentcloud.enterprises.models import ClashStatus, ClashVia, Enterprise, IndustryChain
from talentcloud.privacy.fields import BlindIndexField, EncryptedTextField
from talentcloud.privacy.storage import private_storage

from .enums import (
    CertificationGrade,
    ContactKind,
    Degree,
    DeletionOutcome,
    DocumentKind,
    FactSource,
    FactStatus,
    Gender,
    NeedStatus,
    ProgrammeLevel,
    ProgrammeTier,
    PyramidCategory,
    QualificationKind,
    Relation,
    RightsRequestKind,
    RightsRequestStatus,
)
from .search import talent_tokens


class SearchTokensField(models.TextField):
    """The talent's search tokens, recomputed whenever the row is saved (bulk inserts included)."""

    def pre_save(self, model_instance: models.Model, add: bool) -> str:

        value = talent_tokens(model_instance)  # type: ignore[arg-type]
        setattr(model_instance, self.attname, value)
        return value


class EmployerPlaceField(models.ForeignKey):
    """The employer's park or street (``place``) copied onto the talent's row: a scope key, so that no scope
    predicate joins the enterprise table and each key is indexed with the list's sort key (ADR 0015). Set
    from the employer whenever the row is saved (bulk inserts included). Whatever moves talents or their
    employer without ``save()`` sets it itself: ``bulk_update`` and ``update()`` callers, and an enterprise
    whose park or street changes moves its talents in one UPDATE (``talents/enterprise_changes.py``)."""

    def __init__(self, *args: Any, place: str, **kwargs: Any) -> None:
        self.place = place
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("related_name", "+")
        kwargs.setdefault("db_index", False)  # it leads an index with the list's sort key (``Talent.Meta``)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["place"] = self.place
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = employer_place(model_instance, self.place)  # type: ignore[arg-type]
        setattr(model_instance, self.attname, value)
        return value


def employer_place(talent: Talent, place: str) -> Any:
    """The id of the talent's employer's ``place`` (park or street), or None."""
    if talent.employer_id is None:
        return None
    return getattr(talent.employer, f"{place}_id")


_SCOPE_KEYS = ("employer_park", "employer_street", "residence_street", "restricted")


class Talent(TimeStampedModel):
    # A talent is seen by the park and street of the employer (copied onto the row: ``employer_park``,
    # ``employer_street``), by the street they live in, and by themselves and their liaison cadre.
    scope_unit_paths = ("employer_park", "employer_street", "residence_street")
    # The kind of org unit each path points to: a viewer's units of another kind are never compared with it,
    # so a park's staff filter on one indexed column, not an OR of three (``accounts.scope``).
    scope_unit_kinds = {"employer_park": "park", "employer_street": "street", "residence_street": "street"}
    scope_self_paths = ("account", "liaison")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    highest_degree = models.CharField(_("highest degree"), max_length=20, choices=Degree.choices)
    category = models.CharField(_("pyramid category"), max_length=20, choices=PyramidCategory.choices)
    # The current certification's grade and tier: written only by ``certification.services`` (ADR 0021),
    # never by a form (not editable).
    tier = models.CharField(
        _("programme tier"), max_length=20, choices=ProgrammeTier.choices, blank=True, editable=False
    )
    grade = models.CharField(
        _("certification grade"), max_length=1, choices=CertificationGrade.choices, blank=True, editable=False
    )
    employer = models.ForeignKey(
        Enterprise,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talents",
    )
    employer_park = EmployerPlaceField(OrgUnit, on_delete=models.PROTECT, place="park")
    employer_street = EmployerPlaceField(OrgUnit, on_delete=models.PROTECT, place="street")
    post = models.CharField(_("post"), max_length=100, blank=True)
    chain = models.ForeignKey(
        IndustryChain,
        verbose_name=_("industry chain"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # it leads the (chain, name, id) index
    )
    residence_street = models.ForeignKey(
        OrgUnit,
        verbose_name=_("street of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # it leads the (residence_street, name, id) index
    )
    arrived_on = models.DateField(_("arrival in the district"), null=True, blank=True)
    # Personal data: encrypted at rest (SM4-GCM), found by blind index, masked on screen.
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedTextField(_("mobile number"), blank=True)
    phone_index = BlindIndexField(source="phone")
    email = EncryptedTextField(_("e-mail"), blank=True)
    # Facts that policies read; each value's provenance is in FactRecord.
    graduated_on = models.DateField(_("graduation date (highest degree)"), null=True, blank=True)
    social_insurance_since = models.DateField(
        _("social insurance in the district since"), null=True, blank=True
    )
    owns_home_in_city = models.BooleanField(_("owns a home in the city"), null=True, blank=True)
    contract_term_months = models.PositiveSmallIntegerField(
        _("employment contract term (months)"), null=True, blank=True
    )
    # How often the liaison cadre should be in touch (一人一档 contact cadence); blank: no fixed cadence.
    contact_every_days = models.PositiveIntegerField(_("contact every (days)"), null=True, blank=True)
    # PIPL art. 47: a record a law requires keeping is kept for storage only and leaves every list.
    restricted = models.BooleanField(_("restricted to storage"), default=False)
    search_tokens = SearchTokensField(blank=True, default="", editable=False)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent",
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison cadre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_talents",
    )
    # Written with an ID number that already belongs to a talent outside the writer's scope: kept like any
    # record, without claiming the number's index, until the office merges it or keeps it apart
    # (``TalentClash``).
    pending_merge = models.BooleanField(_("pending the office's merge"), default=False, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("talent")
        # The list's sort key behind each scope key and each selective filter, so a page or a capped count
        # reads a bounded range of one index (ADR 0015). PostgreSQL keeps the scope keys (and ``restricted``)
        # in the filters' indexes as well, so a count in a park's or street's scope reads only the index.
        indexes = [
            models.Index(fields=["name", "id"], name="talent_name_id_idx", include=[*_SCOPE_KEYS]),
            models.Index(
                fields=["employer_park", "name", "id"], name="talent_park_name_idx", include=["restricted"]
            ),
            models.Index(
                fields=["employer_street", "name", "id"],
                name="talent_street_name_idx",
                include=["restricted"],
            ),
            models.Index(
                fields=["residence_street", "name", "id"], name="talent_home_name_idx", include=["restricted"]
            ),
            *(
                models.Index(
                    fields=[field, "name", "id"], name=f"talent_{label}_name_idx", include=[*_SCOPE_KEYS]
                )
                for field, label in (
                    ("category", "category"),
                    ("chain", "chain"),
                    ("grade", "grade"),
                    ("tier", "tier"),
                )
            ),
        ]
        # No unique constraint on the ID number's index: generated and legacy data may repeat a number, so
        # uniqueness among non-pending records is the services' check (ADR 0010).

    def __str__(self) -> str:
        return self.name


class RightsRequest(TimeStampedModel):
    """A personal-data request (个人信息权利请求): copy, correction or deletion, tracked to its answer."""

    scope_unit_paths = ("talent__employer_park", "talent__employer_street", "talent__residence_street")
    scope_self_paths = ("talent__account",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), on_delete=models.PROTECT, related_name="rights_requests"
    )
    kind = models.CharField(_("request"), max_length=10, choices=RightsRequestKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RightsRequestStatus.choices, default=RightsRequestStatus.RECEIVED
    )
    # What the person asked for may itself hold personal data.
    details = EncryptedTextField(_("what was asked"), blank=True)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due by"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    deletion_outcome = models.CharField(
        _("deletion outcome"), max_length=12, choices=DeletionOutcome.choices, blank=True
    )
    answer = models.TextField(_("answer to the person"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("personal-data request")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.received_on:%Y-%m-%d}"


class Contact(TimeStampedModel):
    """A visit, call or meeting of a liaison cadre with a talent."""

    scope_unit_paths = ("talent__employer_park", "talent__employer_street", "talent__residence_street")
    scope_self_paths = ("talent__liaison", "cadre")

    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), on_delete=models.PROTECT, related_name="contacts"
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    happened_on = models.DateField(_("date"))
    # Notes of a conversation may hold personal matters: encrypted.
    summary = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("contact")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on:%Y-%m-%d}"


class Need(TimeStampedModel):
    """A need (诉求) a talent raised, tracked to a reply by the department that owns it."""

    scope_unit_paths = (
        "owner_department",
        "talent__employer_park",
        "talent__employer_street",
        "talent__residence_street",
    )
    scope_self_paths = ("talent__liaison", "talent__account", "raised_by")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), on_delete=models.PROTECT, related_name="needs"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("raised during"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("need"), max_length=200)
    details = EncryptedTextField(_("details"), blank=True)
    owner_department = models.ForeignKey(
        OrgUnit, verbose_name=_("department in charge"), on_delete=models.PROTECT, related_name="needs"
    )
    raised_on = models.DateField(_("raised on"))
    due_on = models.DateField(_("reply due by"))
    status = models.CharField(_("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    reply = models.TextField(_("reply to the talent"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("need")
        indexes = [models.Index(fields=["status", "due_on"], name="need_status_due_idx")]

    def __str__(self) -> str:
        return self.title


# The grade and tier are written only by the certification service, always verified (ADR 0021).
FACT_FIELDS = (
    "highest_degree",
    "graduated_on",
    "social_insurance_since",
    "owns_home_in_city",
    "employer",
    "grade",
    "tier",
)


class VerifiedFacts(models.Model):
    """Which of a talent's facts with provenance are verified now: bit i of ``mask`` for ``FACT_FIELDS[i]``
    (append only), set when the newest record of that fact that is neither pending nor rejected is verified.
    Kept current by ``talents.changes.facts_changed`` whenever a ``FactRecord`` is written, accepted or
    rejected, so the 免申即享 sweep reads one integer per talent instead of ranking every record (ADR 0018).
    A table of its own: saving a talent never touches it."""

    talent = models.OneToOneField(
        Talent, on_delete=models.CASCADE, primary_key=True, related_name="verified_facts"
    )
    mask = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.talent_id} {self.mask:b}"

    @staticmethod
    def bit(key: str) -> int:
        return 1 << FACT_FIELDS.index(key)


class FactRecord(models.Model):
    """One value of one fact about a talent, with where it came from and whether it is verified.

    A self-declared change to a verified fact waits here (``pending``) until staff accept it; only then
    does the talent's field change. Benefits are never granted on self-declared facts (the policy engine
    reads ``verified``).
    """

    scope_unit_paths = ("talent__employer_park", "talent__employer_street", "talent__residence_street")
    scope_self_paths = ("talent__account", "talent__liaison")

    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), on_delete=models.CASCADE, related_name="facts"
    )
    key = models.CharField(_("fact"), max_length=40)
    value = models.JSONField(_("value"), null=True)
    source = models.CharField(_("source"), max_length=10, choices=FactSource.choices)
    as_of = models.DateField(_("as of"))
    verified = models.BooleanField(_("verified"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=FactStatus.choices, default=FactStatus.ACCEPTED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["talent", "key", "-created_at"], name="fact_talent_key_idx")]

    def __str__(self) -> str:
        return f"{self.key}={self.value} ({self.source})"


class TalentChange(models.Model):
    """Every change to a talent's record (一人一档 history): who, when, which field, before and after.

    Personal fields are stored masked here; the record itself holds the clear values.
    """

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=60)
    field = models.CharField(max_length=40)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.before} → {self.after}"


class Education(models.Model):
    """One stage of a talent's education (专科/本科/硕士/博士), school, major, graduation."""

    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), on_delete=models.CASCADE, related_name="education"
    )
    degree = models.CharField(_("degree"), max_length=20, choices=Degree.choices)
    school = models.CharField(_("school"), max_length=100)
    major = models.CharField(_("major"), max_length=100, blank=True)
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True)
    full_time = models.BooleanField(_("full-time"), null=True, blank=True)  # 全日制; blank: not known
    source = models.CharField(
        _("source"), max_length=10, choices=FactSource.choices, default=FactSource.STAFF
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-graduated_on", "-id"]
        verbose_name = _("education")

    def __str__(self) -> str:
        return f"{self.get_degree_display()} {self.school}"


class TalentProgramme(models.Model):
    """A talent programme whose title a talent may hold (国家、省、市、区人才计划): the registry the facts
    ``programme_titles`` and ``programme_level`` read, kept by the talent office (``talents.programmes``).
    A programme no longer active keeps the titles given under it; no new title names it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=ProgrammeLevel.choices)
    issuer = models.CharField(_("run by"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("talent programme")

    def __str__(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Qualification(models.Model):
    """A professional title (职称), an award/honour (奖项荣誉) or a talent programme's title (入选人才计划:
    ``programme`` names the programme of the registry, ``year`` the year of selection)."""

    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=QualificationKind.choices)
    programme = models.ForeignKey(
        TalentProgramme,
        verbose_name=_("talent programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="titles",
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level or issuer"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-year", "-id"]
        verbose_name = _("title or award")

    def __str__(self) -> str:
        return self.name


class Consent(models.Model):
    """A talent's consent to a purpose of processing (PIPL art. 14): given or withdrawn, when and how."""

    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=40)
    granted = models.BooleanField(_("granted"))
    at = models.DateTimeField(_("time"), auto_now_add=True)
    channel = models.CharField(_("channel"), max_length=20)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("consent")

    def __str__(self) -> str:
        return f"{self.purpose}: {self.granted}"


class FamilyMember(models.Model):
    """A family member (spouse, child, parent). Sensitive: names, ID numbers and birth dates are encrypted,
    and only holders of the family permission (and the talent) see them. Children's data is what
    school-place policies read."""

    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), on_delete=models.CASCADE, related_name="family"
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    name = EncryptedTextField(_("name"))
    id_number = EncryptedTextField(_("ID number"), blank=True)
    birth_date = EncryptedTextField(_("birth date"), blank=True)  # ISO date, encrypted like the rest
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["relation", "id"]
        verbose_name = _("family member")

    def __str__(self) -> str:
        return self.get_relation_display()

    @property
    def age(self) -> int | None:

        if not self.birth_date:
            return None
        born = date.fromisoformat(self.birth_date)
        today = date.today()
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class TalentDocument(models.Model):
    """A document in the archive (certificates, contracts, records). The file is kept encrypted under a
    generated name; reading it is an audit event."""

    scope_unit_paths = ("talent__employer_park", "talent__employer_street", "talent__residence_street")
    scope_self_paths = ("talent__account", "talent__liaison")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=100, blank=True)
    file = models.FileField(storage=private_storage, max_length=200)
    display_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sm3 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "id"]
        verbose_name = _("document")

    def __str__(self) -> str:
        return self.title or self.display_name


class TalentClash(models.Model):
    """An ID number written to a record that already belongs to a talent outside the writer's scope. The new
    record is kept (``pending_merge``) and the office merges it into the existing one or keeps the two apart.
    Only the office sees these rows; nothing of the existing record reaches the writer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    new = models.ForeignKey(
        Talent, null=True, blank=True, on_delete=models.SET_NULL, related_name="clashes_raised"
    )
    existing = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="clashes_against")
    via = models.CharField(_("how"), max_length=10, choices=ClashVia.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ClashStatus.choices, default=ClashStatus.OPEN
    )
    taken = models.JSONField(default=list, blank=True)  # fields whose new value the merge took
    note = models.CharField(_("note"), max_length=200, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = _("duplicate ID number")
        constraints = [
            models.UniqueConstraint(
                fields=["new"], condition=models.Q(status="open"), name="talent_clash_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.new_id}→{self.existing_id} {self.status}"


def month_index(day: date) -> int:
    """A calendar month as a number (year × 12 + month − 1): social insurance is paid by the month."""
    return day.year * 12 + day.month - 1


def month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class ContributionPeriod(models.Model):
    """An unbroken run of months of social insurance paid in the district, first and last month included (the
    last blank: still paid). Runs of one talent never overlap nor touch: the service that records them merges
    them (``talents.services.insurance``), so "连续缴纳满 N 个月" reads one row."""

    scope_unit_paths = ("talent__employer_park", "talent__employer_street", "talent__residence_street")

    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), on_delete=models.CASCADE, related_name="contributions"
    )
    first_month = models.PositiveIntegerField(_("first month"))
    last_month = models.PositiveIntegerField(_("last month"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=FactSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["talent", "-first_month"]
        verbose_name = _("social insurance contribution period")
        indexes = [models.Index(fields=["talent", "first_month"], name="contribution_talent_idx")]

    def __str__(self) -> str:
        last = month_text(self.last_month) if self.last_month is not None else "…"
        return f"{month_text(self.first_month)} – {last}"


class ChildBirth(models.Model):
    """A child's birth date and nothing else (no name, no ID number): derived from the encrypted family record
    and kept with it (created and deleted with it), so that "子女未满 3 周岁" can be asked of everyone at once
    (ADR 0019: who reads it; never exported)."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="child_births")
    member = models.OneToOneField(FamilyMember, on_delete=models.CASCADE, related_name="+")
    birth_date = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["talent", "birth_date"], name="child_birth_talent_idx")]

    def __str__(self) -> str:
        return str(self.pk)
