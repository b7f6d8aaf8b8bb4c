"""No second way to become grade B (#21): a talent's ``grade`` and ``tier`` change only through the
certification service. Every page form and every API write schema of the project is enumerated and none but
the certification app's own has a grade or tier field; the archive's services, the clash merge and the Excel
import refuse or ignore them; and, as a second line, the code is read for writes of those columns."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import get_resolver
from django.utils.module_loading import autodiscover_modules

from talentcloud.api.tests.test_write_scope import all_subclasses, schema_properties
from talentcloud.common.errors import ValidationFailed
from talentcloud.conftest import verify_session
from talentcloud.infra.sheets import importers
from talentcloud.talents.clashes import MERGE_FIELDS
from talentcloud.talents.models import Talent
from talentcloud.talents.services import archive
from talentcloud.talents.values import STAFF_FIELDS

pytestmark = pytest.mark.django_db

COLUMNS = {"grade", "tier"}
ROOT = Path(__file__).resolve().parents[2]  # talentcloud/


def project_forms() -> Iterator[type[forms.BaseForm]]:
    get_resolver().url_patterns  # noqa: B018 (imports every view, and so every form)
    autodiscover_modules("forms")
    for form_class in set(all_subclasses(forms.BaseForm)):
        module = form_class.__module__
        if module.startswith("talentcloud.") and ".tests" not in module:
            yield form_class


# The office's form to open a programme call names the grade and tier the call's approvals certify (through
# the certification service): the call's own columns, never a talent's.
CALL_FORMS = {"talentcloud.programs.forms.CallForm"}


def test_no_form_but_the_certification_form_has_a_grade_or_tier():
    offenders = []
    seen = 0
    for form_class in project_forms():
        seen += 1
        fields = set(getattr(form_class, "base_fields", {}))
        meta = getattr(form_class, "_meta", None)
        model = getattr(meta, "model", None)
        if form_class.__module__.startswith("talentcloud.certification."):
            continue
        if f"{form_class.__module__}.{form_class.__qualname__}" in CALL_FORMS:
            continue
        if fields & COLUMNS or (model is Talent and set(meta.fields or []) & COLUMNS):  # type: ignore[union-attr]
            offenders.append(f"{form_class.__module__}.{form_class.__qualname__}")
    assert seen > 20  # the discovery found the project's forms
    assert offenders == []


# A programme call names the grade and tier its approval certifies (through the certification service):
# the call's own columns, never a talent's.
CALLS = {"/api/v1/programs/calls"}


def test_no_api_write_but_the_certification_api_takes_a_grade_or_tier():
    schema = Client().get("/api/v1/openapi.json").json()
    offenders, writes = [], 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                writes += 1
                names = {prop.rsplit(".", 1)[-1] for prop in schema_properties(schema, content["schema"])}
                if names & COLUMNS and not path.startswith("/api/v1/certification/") and path not in CALLS:
                    offenders.append(f"{method.upper()} {path}")
    assert writes > 10
    assert offenders == []


def test_the_archive_services_merge_and_import_refuse_or_ignore_them(make_user, kfq_firm):
    assert not COLUMNS & set(STAFF_FIELDS)
    assert not COLUMNS & set(MERGE_FIELDS)
    for importer in importers().values():
        assert not COLUMNS & {column.key for column in importer.columns}, importer.kind
    assert Talent._meta.get_field("grade").editable is False
    assert Talent._meta.get_field("tier").editable is False

    user = make_user("talent", None)
    talent = Talent.objects.create(
        name="钱等级",
        gender="M",
        birth_date=dt.date(1990, 1, 1),
        highest_degree="master",
        category="young",
        employer=kfq_firm,
        account=user,
    )
    office = make_user("talent-office", "320115-ZZB")
    for name, value in (("grade", "B"), ("tier", "peak")):
        with pytest.raises(ValidationFailed) as refused:
            archive.talent_update(actor=office, talent=talent, changes={name: value})
        assert name in refused.value.fields
        with pytest.raises(ValidationFailed):
            archive.talent_self_update(actor=user, talent=talent, changes={name: value})
    talent.refresh_from_db()
    assert (talent.grade, talent.tier) == ("", "")


def test_the_archive_api_refuses_them(make_user, kfq_firm):
    office = make_user("talent-office", "320115-ZZB")
    talent = Talent.objects.create(
        name="孙接口", gender="F", birth_date=dt.date(1991, 1, 1), highest_degree="master", category="young"
    )
    client = Client()
    client.force_login(office)
    verify_session(client, office)
    answer = client.patch(f"/api/v1/talents/{talent.pk}", {"grade": "A"}, content_type="application/json")
    assert answer.status_code == 422
    talent.refresh_from_db()
    assert talent.grade == ""


# -- the second line: the code ----------------------------------------------------------------------------

# Where a call may name ``grade``/``tier`` as keywords, and why: none of them is the talent's column.
ALLOWED = {
    "certification/services.py": "the one service (it writes the columns in ``project``)",
    "certification/classification.py": "proposals and rules of its own tables",
    "certification/views.py": "the certify form's values handed to the service",
    "certification/workflow_effects.py": "the hall's case handed to the service",
    "servicehall/effects.py": "a care service's quota pool per grade (QuotaPool.grade)",
    "demo/seed.py": "synthetic talents created with the grade their demo certification history records",
    "programs/services.py": "a call's grade and tier: what its approval certifies through the service",
}
WRITERS = {"update", "create", "bulk_create", "update_or_create", "get_or_create", "bulk_update", "filter"}
SQL = re.compile(r"UPDATE\s+talents_talent\b[^;]*\b(grade|tier)\b", re.IGNORECASE | re.DOTALL)


def _writes(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in COLUMNS:
                    yield node.lineno, f".{target.attr} ="
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "setattr" and len(node.args) > 1:
                arg: Any = node.args[1]
                if isinstance(arg, ast.Constant) and arg.value in COLUMNS:
                    yield node.lineno, "setattr"
            if name in WRITERS - {"filter"} and any(k.arg in COLUMNS for k in node.keywords):
                yield node.lineno, f"{name}({'/'.join(k.arg for k in node.keywords if k.arg in COLUMNS)}=)"


def test_nothing_else_in_the_code_writes_grade_or_tier():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative in ALLOWED:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{relative}:{line} {what}" for line, what in _writes(ast.parse(text))]
        offenders += [f"{relative}: SQL" for _m in SQL.finditer(text)]
    assert offenders == [], offenders
