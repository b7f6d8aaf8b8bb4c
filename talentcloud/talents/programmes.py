"""The register of talent programmes (国家、省、市、区人才计划) whose titles talents hold: what the facts
``programme_titles`` ("入选国家'万人计划'") and ``programme_level`` ("入选省级及以上人才计划") read.

The talent office keeps it (``programme.manage``): adds a programme, renames it, marks it no longer active
(its titles stay; no new title names it). Every write is audited. A code never changes once given: rules name
programmes by code. ``SHIPPED`` is the register a new installation starts with (``programmes_install``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, ValidationFailed

from .changes import facts_changed
from .enums import ProgrammeLevel
from .models import TalentProgramme
from .permissions import TalentPerm

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

# code, name, English name, level, run by. Public programmes a Jiangning archive meets most; the office adds
# the rest on its page.
SHIPPED: list[tuple[str, str, str, str, str]] = [
    (
        "national-ten-thousand",
        "国家高层次人才特殊支持计划（万人计划）",
        "National Ten Thousand Talents Program",
        "national",
        "中共中央组织部",
    ),
    (
        "national-overseas-high-level",
        "国家海外高层次人才引进计划",
        "National Overseas High-level Talents Program",
        "national",
        "中共中央组织部",
    ),
    ("changjiang-scholars", "长江学者奖励计划", "Changjiang Scholars Program", "national", "教育部"),
    (
        "nsfc-distinguished-young",
        "国家杰出青年科学基金",
        "NSFC Distinguished Young Scholars",
        "national",
        "国家自然科学基金委员会",
    ),
    (
        "nsfc-excellent-young",
        "国家优秀青年科学基金",
        "NSFC Excellent Young Scholars",
        "national",
        "国家自然科学基金委员会",
    ),
    (
        "jiangsu-innovation-entrepreneurship",
        "江苏省“双创计划”",
        "Jiangsu Innovation and Entrepreneurship Program",
        "provincial",
        "中共江苏省委组织部",
    ),
    (
        "jiangsu-333",
        "江苏省“333高层次人才培养工程”",
        "Jiangsu 333 High-level Talents Project",
        "provincial",
        "江苏省人力资源和社会保障厅",
    ),
    (
        "jiangsu-distinguished-professor",
        "江苏特聘教授",
        "Jiangsu Distinguished Professor",
        "provincial",
        "江苏省教育厅",
    ),
    (
        "nanjing-321",
        "南京市“321引进计划”",
        "Nanjing 321 Talent Introduction Program",
        "city",
        "中共南京市委人才工作领导小组",
    ),
    (
        "nanjing-zijinshan",
        "南京市“紫金山英才计划”",
        "Nanjing Zijinshan Talent Program",
        "city",
        "中共南京市委人才工作领导小组",
    ),
    (
        "nanjing-innovative-entrepreneur",
        "南京市“创新型企业家培育计划”",
        "Nanjing Innovative Entrepreneurs Program",
        "city",
        "南京市科学技术局",
    ),
    (
        "jiangning-baijiahu",
        "江宁区“百家湖英才计划”",
        "Jiangning Baijiahu Talent Program",
        "district",
        "中共南京市江宁区委人才工作领导小组",
    ),
]


def programmes_install() -> int:
    """The shipped register, for a new installation or the demo: adds the programmes not held yet (by code),
    changes none the office kept. The number added."""
    held = set(TalentProgramme.objects.values_list("code", flat=True))
    new = [
        TalentProgramme(code=code, name=name, name_en=name_en, level=level, issuer=issuer)
        for code, name, name_en, level, issuer in SHIPPED
        if code not in held
    ]
    TalentProgramme.objects.bulk_create(new)
    return len(new)


LEVEL_ORDER = {level: n for n, level in enumerate(ProgrammeLevel.values)}  # national 0 … district 3


def level_rank(field: str = "level") -> Case:
    """A programme's level as its rank in SQL (national 0 … district 3), read from ``field``."""
    return Case(
        *[When(**{field: level}, then=Value(n)) for level, n in LEVEL_ORDER.items()],
        output_field=IntegerField(),
    )


def programmes(queryset: QuerySet[TalentProgramme] | None = None) -> QuerySet[TalentProgramme]:
    """The register, national programmes first, then provincial, city, district; by name within a level
    (anyone who may see talents may read it: it is public)."""
    found = TalentProgramme.objects.all() if queryset is None else queryset
    return found.annotate(level_rank=level_rank()).order_by("level_rank", "name")


def _checked(values: dict[str, Any], *, current: TalentProgramme | None) -> dict[str, Any]:
    cleaned = {
        "name": str(values.get("name") or "").strip(),
        "name_en": str(values.get("name_en") or "").strip(),
        "level": str(values.get("level") or ""),
        "issuer": str(values.get("issuer") or "").strip(),
        "active": bool(values.get("active", True)),
    }
    errors: dict[str, list[str | Promise]] = {}
    if not cleaned["name"]:
        errors["name"] = [_("Name the programme.")]
    elif (
        TalentProgramme.objects.filter(name=cleaned["name"]).exclude(pk=current.pk if current else 0).exists()
    ):
        errors["name"] = [_("The register already holds a programme of this name.")]
    if cleaned["level"] not in LEVEL_ORDER:
        errors["level"] = [_("Choose national, provincial, city or district.")]
    if errors:
        raise ValidationFailed(_("The programme was not saved."), fields=errors)
    return cleaned


def programme_add(*, actor: User, code: str, values: dict[str, Any]) -> TalentProgramme:
    """A new programme of the register; its code names it in rules and never changes."""
    require_perm(actor, TalentPerm.PROGRAMME_MANAGE)
    cleaned = _checked(values, current=None)
    with transaction.atomic():
        if TalentProgramme.objects.filter(code=code).exists():
            raise Conflict(
                _("A programme with this code exists."), fields={"code": [_("This code is taken.")]}
            )
        programme = TalentProgramme.objects.create(code=code, **cleaned)
        audit_record(
            actor=actor,
            action="programme.add",
            object_type="talent_programme",
            object_id=programme.pk,
            details={"code": code, "level": programme.level},
        )
    return programme


def programme_change(*, actor: User, programme: TalentProgramme, values: dict[str, Any]) -> TalentProgramme:
    """Rename a programme, correct its level or issuer, or mark it no longer active. A level changed moves
    the titles held under it: the talents holding one are re-evaluated (``facts_changed``)."""
    require_perm(actor, TalentPerm.PROGRAMME_MANAGE)
    cleaned = _checked(values, current=programme)
    with transaction.atomic():
        locked = TalentProgramme.objects.select_for_update().get(pk=programme.pk)
        changed = sorted(k for k, v in cleaned.items() if getattr(locked, k) != v)
        for key, value in cleaned.items():
            setattr(locked, key, value)
        locked.save()
        audit_record(
            actor=actor,
            action="programme.change",
            object_type="talent_programme",
            object_id=locked.pk,
            details={"code": locked.code, "changed": changed},
        )
        if "level" in changed:
            facts_changed(list(locked.titles.values_list("talent_id", flat=True).distinct()))
    return locked
