"""Excel imports of the recruitment app (``infra.sheets`` reads, checks all rows, saves all or nothing):
an enterprise's demand, and the office's taxonomies — posts, majors, the skills dictionary — and expected
graduates by major."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from talentcloud.audit.services import audit_record
from talentcloud.enterprises.models import IndustryChain
from talentcloud.infra.sheets import (
    Column,
    ImportResult,
    Row,
    RowError,
    SheetImporter,
    choice_lookup,
    choice_parse,
    date_parse,
)
from talentcloud.talents.enums import Degree

from .dictionary import skills_changed
from .enums import DemandState, SalaryKind
from .models import Demand, GraduateSupply, Major, Post, Skill
from .selectors import own_enterprise
from .services import DemandInput, _apply, demand_errors

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

EDITABLE = (DemandState.SUBMITTED, DemandState.RETURNED)


def _split(text: str) -> list[str]:
    for sep in ("，", ",", "；", ";", " "):
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def _whole(raw: Any, low: int, high: int) -> int:
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise ValidationError(_("Not a number.")) from None
    if value != int(value) or not low <= value <= high:
        raise ValidationError(_("A whole number from %(low)d to %(high)d.") % {"low": low, "high": high})
    return int(value)


def _text(raw: Any, most: int) -> str:
    text = str(raw).strip()
    if len(text) > most:
        raise ValidationError(_("At most %(n)d characters.") % {"n": most})
    return text


DEMAND_COLUMNS: tuple[Column, ...] = (
    Column(
        "ref",
        pgettext_lazy("import column", "Demand number"),
        example="2026-001",
        text=True,
        help=gettext_lazy(
            "Your own number for the demand; importing it again updates the demand while it awaits review."
        ),
    ),
    Column(
        "post",
        pgettext_lazy("import column", "Post code"),
        example="2-02-09-01",
        text=True,
        help=gettext_lazy("The post's code in the office's list of posts."),
    ),
    Column("title", pgettext_lazy("import column", "Job title"), required=False, example="芯片设计工程师"),
    Column("headcount", pgettext_lazy("import column", "Headcount"), example=3),
    Column("degree", pgettext_lazy("import column", "Minimum degree"), example="硕士", choices=Degree),
    Column(
        "majors",
        pgettext_lazy("import column", "Major codes"),
        required=False,
        example="080902",
        help=gettext_lazy("Codes of the discipline catalogue, separated by 、"),
    ),
    Column(
        "skills",
        pgettext_lazy("import column", "Skills"),
        required=False,
        example="集成电路设计、Verilog",
        help=gettext_lazy("Terms of the skills dictionary, separated by 、"),
    ),
    Column(
        "experience_years", pgettext_lazy("import column", "Years of experience"), required=False, example=3
    ),
    Column(
        "salary_kind", pgettext_lazy("import column", "Salary given as"), example="月薪", choices=SalaryKind
    ),
    Column("salary_min", pgettext_lazy("import column", "Salary from (yuan)"), required=False, example=20000),
    Column("salary_max", pgettext_lazy("import column", "Salary to (yuan)"), required=False, example=30000),
    Column("chain", pgettext_lazy("import column", "Industry chain"), required=False, example=""),
    Column("location", pgettext_lazy("import column", "Work location"), required=False, example="江宁开发区"),
    Column("deadline", pgettext_lazy("import column", "Deadline"), example="2026-12-31", date=True),
)
DEMAND_FIELD_COLUMN = {
    "post": "post",
    "headcount": "headcount",
    "degree": "degree",
    "experience_years": "experience_years",
    "salary_kind": "salary_kind",
    "salary_min": "salary_min",
    "salary_max": "salary_max",
    "deadline": "deadline",
}


class DemandImporter(SheetImporter):
    """An enterprise's demand, one post per row, matched by the enterprise's demand number."""

    kind = "demand_import"
    sheet_title = "demand"
    columns = DEMAND_COLUMNS
    natural_key = "ref"
    duplicate_message = gettext_lazy("The same demand number is already in row %(row)d.")
    title = gettext_lazy("Import demand")
    back = "recruitment:demand_list"
    problems = gettext_lazy("Demand import problems")

    def choice_labels(self, column: Column) -> list[str]:
        if column.key == "chain":
            return [chain.name for chain in IndustryChain.objects.order_by("code")]
        return super().choice_labels(column)

    def prepare(self, mapping: dict[str, int], body: list[Row]) -> None:
        self.posts = {p.code: p for p in Post.objects.all()}
        self.majors = {m.code: m for m in Major.objects.all()}
        self.skills = {s.term.lower(): s for s in Skill.objects.filter(active=True)}
        self.chains: dict[str, IndustryChain] = {}
        for chain in IndustryChain.objects.all():
            for key in (chain.code, chain.name, chain.name_en):
                if key:
                    self.chains[key.lower()] = chain
        self.degrees, self.salaries = choice_lookup(Degree), choice_lookup(SalaryKind)
        self.salaries.update({"月薪": SalaryKind.MONTHLY, "年薪": SalaryKind.ANNUAL})
        self.enterprise = own_enterprise(self.checked_for())
        self.existing = (
            {d.ref: d for d in Demand.objects.filter(enterprise=self.enterprise).exclude(ref="")}
            if self.enterprise
            else {}
        )

    def parse(self, key: str, raw: Any) -> Any:
        text = str(raw).strip()
        if key == "ref":
            return _text(raw, 40)
        if key == "post":
            post = self.posts.get(text)
            if post is None or not post.active:
                raise ValidationError(_("Not a post in the office's list: %(code)s.") % {"code": text})
            return post
        if key in ("title", "location"):
            return _text(raw, 100)
        if key == "headcount":
            return _whole(raw, 1, 10_000)
        if key == "experience_years":
            return _whole(raw, 0, 50)
        if key in ("salary_min", "salary_max"):
            return _whole(raw, 0, 100_000_000)
        if key == "degree":
            return choice_parse(self.degrees, text)
        if key == "salary_kind":
            return choice_parse(self.salaries, text)
        if key == "majors":
            codes = _split(text)
            unknown = [c for c in codes if c not in self.majors]
            if unknown:
                raise ValidationError(
                    _("Not in the discipline catalogue: %(codes)s.") % {"codes": "、".join(unknown)}
                )
            return [self.majors[c] for c in codes]
        if key == "skills":
            terms = _split(text)
            unknown = [t for t in terms if t.lower() not in self.skills]
            if unknown:
                raise ValidationError(
                    _("Not in the skills dictionary: %(terms)s.") % {"terms": "、".join(unknown)}
                )
            return [self.skills[t.lower()] for t in terms]
        if key == "chain":
            chain = self.chains.get(text.lower())
            if chain is None:
                raise ValidationError(
                    _("Not one of: %(labels)s.")
                    % {"labels": "、".join(c.name for c in IndustryChain.objects.all())}
                )
            return chain
        if key == "deadline":
            return date_parse(raw)
        raise KeyError(key)

    def to_input(self, cleaned: dict[str, Any]) -> DemandInput:
        return DemandInput(
            post=cleaned.get("post"),
            ref=cleaned.get("ref", ""),
            title=cleaned.get("title", ""),
            headcount=cleaned.get("headcount"),
            degree=cleaned.get("degree", ""),
            majors=cleaned.get("majors", []),
            skills=cleaned.get("skills", []),
            experience_years=cleaned.get("experience_years", 0),
            salary_kind=cleaned.get("salary_kind", ""),
            salary_min=cleaned.get("salary_min"),
            salary_max=cleaned.get("salary_max"),
            chain=cleaned.get("chain"),
            location=cleaned.get("location", ""),
            deadline=cleaned.get("deadline"),
        )

    def row_checks(self, number: int, cleaned: dict[str, Any]) -> list[RowError]:
        errors: list[RowError] = []
        if self.enterprise is None:
            return [
                RowError(number, str(self.column("ref").header), _("Your account acts for no enterprise."))
            ]
        for name, messages in demand_errors(self.to_input(cleaned)).items():
            column = self.column(DEMAND_FIELD_COLUMN.get(name, "ref"))
            if column.required and column.key not in cleaned:
                continue  # the cell's own problem (empty or unreadable) is named already
            errors.append(RowError(number, str(column.header), " ".join(map(str, messages))))
        existing = self.existing.get(cleaned.get("ref", ""))
        if existing is not None and existing.state not in EDITABLE:
            errors.append(
                RowError(
                    number,
                    str(self.column("ref").header),
                    _("This demand was already reviewed; it no longer changes."),
                )
            )
        return errors

    def save(self, rows: list[dict[str, Any]], *, actor: User, result: ImportResult, digest: str) -> None:
        assert self.enterprise is not None
        year = timezone.localdate().year
        for done, row in enumerate(rows, start=1):
            data = self.to_input(row)
            demand = self.existing.get(data.ref)
            if demand is None:
                demand = Demand(enterprise=self.enterprise, posted_by=actor, year=year)
                result.created += 1
            else:
                demand.revision += 1
                result.updated += 1
            _apply(demand, data)
            demand.save()
            demand.majors.set(data.majors)
            demand.skills.set(data.skills)
            self.saving(done)
        audit_record(
            actor=actor,
            action="demand.import",
            object_type="demand",
            details={
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "sm3": digest,
            },
        )


class PostImporter(SheetImporter):
    """The office's list of posts (national occupation codes or its own), with their related majors."""

    kind = "post_import"
    sheet_title = "posts"
    columns = (
        Column("code", pgettext_lazy("import column", "Post code"), example="2-02-09-01", text=True),
        Column("name", pgettext_lazy("import column", "Post name"), example="集成电路工程技术人员"),
        Column(
            "category", pgettext_lazy("import column", "Category"), required=False, example="专业技术人员"
        ),
        Column(
            "majors",
            pgettext_lazy("import column", "Major codes"),
            required=False,
            example="080902",
            help=gettext_lazy("Majors whose graduates can fill the post (supply), separated by 、"),
        ),
    )
    natural_key = "code"
    duplicate_message = gettext_lazy("The same post code is already in row %(row)d.")
    title = gettext_lazy("Import posts")
    back = "recruitment:taxonomy"
    problems = gettext_lazy("Post import problems")

    def prepare(self, mapping: dict[str, int], body: list[Row]) -> None:
        self.majors = {m.code: m for m in Major.objects.all()}

    def parse(self, key: str, raw: Any) -> Any:
        if key == "code":
            return _text(raw, 32)
        if key in ("name", "category"):
            return _text(raw, 100)
        if key == "majors":
            codes = _split(str(raw))
            unknown = [c for c in codes if c not in self.majors]
            if unknown:
                raise ValidationError(
                    _("Not in the discipline catalogue: %(codes)s.") % {"codes": "、".join(unknown)}
                )
            return [self.majors[c] for c in codes]
        raise KeyError(key)

    def save(self, rows: list[dict[str, Any]], *, actor: User, result: ImportResult, digest: str) -> None:
        existing = {p.code: p for p in Post.objects.filter(code__in=[r["code"] for r in rows])}
        for done, row in enumerate(rows, start=1):
            post = existing.get(row["code"])
            wanted = {"name": row["name"], "category": row.get("category", ""), "active": True}
            majors = {m.pk for m in row.get("majors", [])}
            if post is None:
                post = Post.objects.create(code=row["code"], **wanted)
                result.created += 1
            elif (
                any(getattr(post, k) != v for k, v in wanted.items())
                or set(post.majors.values_list("pk", flat=True)) != majors
            ):
                Post.objects.filter(pk=post.pk).update(**wanted)
                result.updated += 1
            else:
                result.unchanged += 1
                continue
            post.majors.set(majors)
            self.saving(done)
        audit_record(
            actor=actor,
            action="taxonomy.import",
            object_type="post",
            details={**result.summary(), "sm3": digest},
        )


class MajorImporter(SheetImporter):
    """The national discipline catalogue (专业目录)."""

    kind = "major_import"
    sheet_title = "majors"
    columns = (
        Column("code", pgettext_lazy("import column", "Major code"), example="080902", text=True),
        Column("name", pgettext_lazy("import column", "Major name"), example="软件工程"),
        Column("discipline", pgettext_lazy("import column", "Discipline"), required=False, example="工学"),
    )
    natural_key = "code"
    duplicate_message = gettext_lazy("The same major code is already in row %(row)d.")
    title = gettext_lazy("Import majors")
    back = "recruitment:taxonomy"
    problems = gettext_lazy("Major import problems")

    def parse(self, key: str, raw: Any) -> Any:
        return _text(raw, 16 if key == "code" else 100)

    def save(self, rows: list[dict[str, Any]], *, actor: User, result: ImportResult, digest: str) -> None:
        existing = {m.code: m for m in Major.objects.filter(code__in=[r["code"] for r in rows])}
        for row in rows:
            wanted = {"name": row["name"], "discipline": row.get("discipline", "")}
            major = existing.get(row["code"])
            if major is None:
                Major.objects.create(code=row["code"], **wanted)
                result.created += 1
            elif any(getattr(major, k) != v for k, v in wanted.items()):
                Major.objects.filter(pk=major.pk).update(**wanted)
                result.updated += 1
            else:
                result.unchanged += 1
        audit_record(
            actor=actor,
            action="taxonomy.import",
            object_type="major",
            details={**result.summary(), "sm3": digest},
        )


class SkillImporter(SheetImporter):
    """The skills dictionary: one term per row; 停用 (no) takes a term out of use."""

    kind = "skill_import"
    sheet_title = "skills"
    columns = (
        Column("term", pgettext_lazy("import column", "Skill"), example="集成电路设计"),
        Column(
            "active",
            pgettext_lazy("import column", "In use"),
            required=False,
            example="是",
            help=gettext_lazy("是 / 否 (yes / no); empty is yes."),
        ),
    )
    natural_key = "term"
    duplicate_message = gettext_lazy("The same skill is already in row %(row)d.")
    title = gettext_lazy("Import the skills dictionary")
    back = "recruitment:taxonomy"
    problems = gettext_lazy("Skill import problems")

    def parse(self, key: str, raw: Any) -> Any:
        text = str(raw).strip()
        if key == "term":
            if any(ch.isspace() for ch in text):
                raise ValidationError(_("One term, without spaces."))
            return _text(raw, 50)
        if key == "active":
            if text.lower() in ("是", "yes", "y", "1", "true"):
                return True
            if text.lower() in ("否", "no", "n", "0", "false"):
                return False
            raise ValidationError(_("是 or 否 (yes or no)."))
        raise KeyError(key)

    def save(self, rows: list[dict[str, Any]], *, actor: User, result: ImportResult, digest: str) -> None:
        existing = {s.term: s for s in Skill.objects.filter(term__in=[r["term"] for r in rows])}
        changed: list[str] = []
        for row in rows:
            active = row.get("active", True)
            skill = existing.get(row["term"])
            if skill is None:
                Skill.objects.create(term=row["term"], active=active)
                result.created += 1
                changed.append(row["term"])
            elif skill.active != active:
                Skill.objects.filter(pk=skill.pk).update(active=active)
                result.updated += 1
                changed.append(row["term"])
            else:
                result.unchanged += 1
        if changed:
            skills_changed(changed)
        audit_record(
            actor=actor,
            action="taxonomy.import",
            object_type="skill",
            details={**result.summary(), "sm3": digest},
        )


class GraduateImporter(SheetImporter):
    """Expected graduates of the district's universities by year, major and degree (supply)."""

    kind = "graduate_import"
    sheet_title = "graduates"
    columns = (
        Column("year", pgettext_lazy("import column", "Graduation year"), example=2026),
        Column("university", pgettext_lazy("import column", "University"), example="东南大学"),
        Column("major", pgettext_lazy("import column", "Major code"), example="080902", text=True),
        Column("degree", pgettext_lazy("import column", "Degree"), example="硕士", choices=Degree),
        Column("count", pgettext_lazy("import column", "Expected graduates"), example=120),
    )
    natural_key = "year"
    duplicate_message = gettext_lazy(
        "The same year, university, major and degree are already in row %(row)d."
    )
    title = gettext_lazy("Import expected graduates")
    back = "recruitment:taxonomy"
    problems = gettext_lazy("Graduate import problems")

    def identity(self, cleaned: dict[str, Any]) -> tuple[str, Any]:
        keys = ("year", "university", "major", "degree")
        if not all(k in cleaned for k in keys):
            return "year", None
        return "year", tuple(str(cleaned[k]) for k in keys)

    def prepare(self, mapping: dict[str, int], body: list[Row]) -> None:
        self.majors = {m.code: m for m in Major.objects.all()}
        self.degrees = choice_lookup(Degree)

    def parse(self, key: str, raw: Any) -> Any:
        text = str(raw).strip()
        if key == "year":
            return _whole(raw, 2000, 2100)
        if key == "university":
            return _text(raw, 100)
        if key == "major":
            major = self.majors.get(text)
            if major is None:
                raise ValidationError(_("Not in the discipline catalogue: %(codes)s.") % {"codes": text})
            return major
        if key == "degree":
            return choice_parse(self.degrees, text)
        if key == "count":
            return _whole(raw, 0, 100_000)
        raise KeyError(key)

    def save(self, rows: list[dict[str, Any]], *, actor: User, result: ImportResult, digest: str) -> None:
        for row in rows:
            _obj, created = GraduateSupply.objects.update_or_create(
                year=row["year"],
                university=row["university"],
                major=row["major"],
                degree=row["degree"],
                defaults={"count": row["count"]},
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
        audit_record(
            actor=actor,
            action="taxonomy.import",
            object_type="graduates",
            details={**result.summary(), "sm3": digest},
        )
