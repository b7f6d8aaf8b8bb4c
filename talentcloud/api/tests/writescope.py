"""The write-scope meta-test's kit: the world (park A / park B, street A / street B, two departments), the
doors a probe goes through, and the case types. Each app declares the cases of its own reference-taking doors
in ``<app>/tests/write_scope.py`` as ``WRITE_SCOPE_CASES``; ``test_write_scope`` discovers them.

Meta-test: every write that takes a reference keeps to the writer's scope.

The test finds every reference-taking door by itself: the page forms' model-choice fields (and fields named
like references), the OpenAPI operations whose request bodies have reference fields (employer, park,
street, department, handler, unit, …), and the Excel importers' reference columns. Each one must have a
case below: either a probe (a park-A or street-A writer names a park-B / street-B object: the choice list
does not offer it, the page answers 400, the API 422 naming the field, the import names the row and
column, the service itself refuses it, and nothing changes) or an exemption saying why the reference is
not scoped data. A new reference-taking door without a case fails here.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.db.models import Model
from django.test import Client
from django.utils.translation import gettext
from openpyxl import load_workbook

from talentcloud.accounts.models import OrgUnit, Role, User
from talentcloud.audit.models import AuditEvent
from talentcloud.demo.seed import credit_code, resident_id
from talentcloud.enterprises.models import Enterprise, EnterpriseChange, IndustryChain
from talentcloud.infra.sheets import ImportResult, importers
from talentcloud.servicehall.models import Case, Service
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.models import FactRecord, Talent, TalentChange

pytestmark = pytest.mark.django_db

# A field is a reference when it is a model choice, or its name (less an _id or _code ending) is one of these.
REFERENCE_NAMES = frozenset(
    {
        "employer",
        "chain",
        "park",
        "street",
        "residence_street",
        "department",
        "owner_department",
        "co_departments",
        "handler",
        "unit",
        "parent",
        "service",
        "roles",
        "credit_code",
    }
)


def is_reference_name(name: str) -> bool:
    return name in REFERENCE_NAMES or re.sub(r"_(id|code)$", "", name) in REFERENCE_NAMES


# -- the world: park A / park B, street A / street B, two departments ---------------------------------


@dataclass
class World:
    units: dict[str, OrgUnit]
    ent_a: Enterprise
    ent_b: Enterprise
    talent_a: Talent
    case: Case
    writers: dict[str, User]  # pair → the writer of side A
    foreign: dict[str, dict[str, Any]]  # pair → target → side B's object
    clients: dict[str, Client] = field(default_factory=dict)


@pytest.fixture
def world(units, make_user, login) -> World:
    kfq, gxq, ml, ql = (units[c] for c in ("320115-P-KFQ", "320115-P-GXQ", "320115-S-ML", "320115-S-QL"))
    IndustryChain.objects.get_or_create(code="ai", defaults={"name": "人工智能"})
    ent_a = Enterprise.objects.create(
        name="甲园区公司", credit_code="91320115MA1AAAAA01", park=kfq, street=ml
    )
    ent_b = Enterprise.objects.create(
        name="乙园区秘密企业", credit_code="91320115MA1BBBBB02", park=gxq, street=ql
    )
    talent_a = Talent.objects.create(
        name="甲园区人才",
        gender="F",
        birth_date=dt.date(1990, 5, 1),
        highest_degree="master",
        category="young",
        employer=ent_a,
    )
    catalogue_install()
    service = Service.objects.get(code="policy-consultation")
    applicant = make_user("talent", None)
    case = Case.objects.create(
        service=service,
        version=service.versions.get(),
        applicant=applicant,
        applicant_name="申请人",
        department=units["320115-ZJJ"],
        state="submitted",
        number="320115-20260101-00001",
    )
    # Importing is the office's by default; a park's staff given it must still keep to their park.
    for code in ("park-staff", "street-staff"):
        role = Role.objects.get(code=code)
        role.permissions = [*role.permissions, "talent.import", "enterprise.import"]
        role.save()
    writers = {
        "park": make_user("park-staff", "320115-P-KFQ", username="parka-writer"),
        "street": make_user("street-staff", "320115-S-ML", username="streeta-writer"),
        "department": make_user("service-staff", "320115-ZJJ", username="zjj-writer"),
    }
    other_department = make_user("service-staff", "320115-RSJ", username="rsj-handler")
    foreign = {
        # A park's staff name their own park and any street (parks and streets cross).
        "park": {"enterprise": ent_b, "park": gxq},
        # A street's staff name their own street and any park.
        "street": {"enterprise": ent_b, "street": ql},
        # A case is handed over within its lead department only.
        "department": {"handler": other_department},
    }
    w = World(units, ent_a, ent_b, talent_a, case, writers, foreign)
    w.clients = {pair: login(user) for pair, user in writers.items()}
    return w


def snapshot() -> tuple[Any, ...]:
    """Everything a refused write could have touched."""
    return (
        list(Talent.objects.order_by("pk").values_list("pk", "employer_id", "residence_street_id", "name")),
        list(Enterprise.objects.order_by("pk").values_list("pk", "park_id", "street_id", "name")),
        list(Case.objects.order_by("pk").values_list("pk", "handler_id", "revision", "state")),
        TalentChange.objects.count(),
        EnterpriseChange.objects.count(),
        FactRecord.objects.count(),
        AuditEvent.objects.count(),
    )


# -- doors ------------------------------------------------------------------------------------------

SELECT = re.compile(r'<select name="([\w-]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"[^>]*>(.*?)</option>', re.S)


def select_options(html: str) -> dict[str, dict[str, str]]:
    """Each rendered <select>: option value → label."""
    return {name: dict(OPTION.findall(body)) for name, body in SELECT.findall(html)}


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    """What the page would post back unchanged (the form's current values)."""
    data: dict[str, Any] = {}
    for name, form_field in form.fields.items():
        value = form[name].value()
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        if isinstance(form_field, forms.NullBooleanField) and value is None:
            value = "unknown"
        data[name] = "" if value is None else value
    return data


@dataclass
class Outcome:
    kind: str  # "page", "api" or "import"
    before: tuple[Any, ...]  # the snapshot just before the write (after the page was read)
    status: int = 0
    fields: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()  # the option values the form offered for the field
    options_html: str = ""


def sent(value: Any) -> Any:
    """How a page or the API names an object: a user by username, anything else by id."""
    if isinstance(value, User):
        return value.username
    return value.pk if isinstance(value.pk, int) else str(value.pk)


def form_errors(response: Any) -> tuple[str, ...]:
    """The fields with errors in the forms the page rendered."""
    names: set[str] = set()
    for context in response.context or []:
        for item in context.flatten().values():
            candidates = item if isinstance(item, tuple | list) else (item,)
            for candidate in candidates:
                if isinstance(candidate, forms.BaseForm) and candidate.is_bound:
                    names |= set(candidate.errors)
    return tuple(sorted(names))


def page_door(get_url: Callable[[World], str], post_url: Callable[[World], str], base: Callable[..., dict]):
    def probe(w: World, pair: str, name: str, value: Any) -> Outcome:
        client = w.clients[pair]
        page = client.get(get_url(w))
        assert page.status_code == 200, f"GET {get_url(w)}: {page.status_code}"
        html = page.content.decode()
        selects = select_options(html)
        data = base(w, w.writers[pair])
        data[name] = sent(value)
        before = snapshot()
        response = client.post(post_url(w), data)
        return Outcome(
            "page",
            before,
            response.status_code,
            form_errors(response),
            tuple(selects.get(name, {})),
            "".join(selects_html for _n, selects_html in SELECT.findall(html)),
        )

    return probe


def api_door(method: str, url: Callable[[World], str], base: Callable[[World], dict] | None = None):
    def probe(w: World, pair: str, name: str, value: Any) -> Outcome:
        body = dict(base(w)) if base else {}
        body[name] = sent(value)
        before = snapshot()
        response = getattr(w.clients[pair], method)(url(w), body, content_type="application/json")
        fields = tuple(response.json().get("fields", {})) if response.status_code < 500 else ()
        return Outcome("api", before, response.status_code, fields)

    return probe


def import_door(kind: str, cell: Callable[[Any], str]):
    def probe(w: World, pair: str, column: str, value: Any) -> Outcome:
        importer = importers()[kind]
        book = load_workbook(io.BytesIO(importer.template()))
        sheet = book.active
        header = [str(c.value or "") for c in sheet[1]]
        titles = {
            str(c.header) + ("" if c.required else gettext(" (optional)")): c.key for c in importer.columns
        }
        position = {titles[h]: i for i, h in enumerate(header)}
        row = list(sheet[2])
        row[position[column]].value = cell(value)
        if kind == "talent_import":  # a valid ID number for the template's birth date
            row[position["id_number"]].value = resident_id(random.Random(1), dt.date(1988, 5, 17), "M")
        if kind == "enterprise_import":  # a valid code, of no enterprise yet
            row[position["credit_code"]].value = credit_code(random.Random(1))
        if kind == "enterprise_import" and column == "street":
            row[position["park"]].value = None  # a street's staff naming another street, no park
        buffer = io.BytesIO()
        book.save(buffer)
        before = snapshot()
        result: ImportResult = importer.run(data=buffer.getvalue(), actor=w.writers[pair])
        wrong = tuple(e.column for e in result.errors if e.row == 2)
        return Outcome("import", before, 0 if result.ok else 400, wrong)

    return probe


# -- services (the check must hold below the forms: pages, API and imports all call these) ----------


UNIT_NAME: Callable[[Any], str] = lambda unit: unit.name  # noqa: E731 (an import cell naming a unit)


@dataclass(frozen=True)
class Probe:
    """A scoped reference: ``target`` names the side-B object of each pair that has one."""

    target: str
    doors: tuple[Callable[..., Outcome], ...]
    service: Callable[..., None]
    door_field: str = ""  # the name the door posts, when not the discovered one (a prefixed form field)
    field: str = ""  # the field the service and its error name, when not the discovered one


@dataclass(frozen=True)
class Exempt:
    """A reference that is not scoped data, and why."""

    reason: str
    model: type[Model] | None = None  # reference data: the model must declare no scope


REFERENCE_DATA = "reference data every viewer sees (not scoped)"
ROUTING = "routes work to a department, any active one (the service checks it is a department)"
ADMINISTRATION = (
    "district administration (user.manage / orgunit.manage): the system administrator names any unit"
)
JOIN_REQUEST = (
    "a request to act for an enterprise: nothing changes until its staff or administrator confirm it"
)
