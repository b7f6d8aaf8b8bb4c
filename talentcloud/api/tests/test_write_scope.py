"""Meta-test: every write that takes a reference keeps to the writer's scope.

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.db.models import Model
from django.test import Client
from django.urls import get_resolver
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext
from openpyxl import load_workbook

from talentcloud.accounts.models import OrgUnit, Role, User
from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import ValidationFailed
from talentcloud.common.sheets import IMPORTERS, ImportResult
from talentcloud.demo.seed import credit_code, resident_id
from talentcloud.enterprises import services as enterprise_services
from talentcloud.enterprises.forms import EnterpriseForm
from talentcloud.enterprises.models import Enterprise, EnterpriseChange, IndustryChain
from talentcloud.servicehall.models import Case, Service
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.servicehall.workflow import case_transition
from talentcloud.talents import services as archive
from talentcloud.talents.forms import TalentForm
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
        importer = IMPORTERS[kind]
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


def talent_page_data(w: World, user: User) -> dict[str, Any]:
    return form_data(TalentForm(instance=Talent.objects.get(pk=w.talent_a.pk), viewer=user))


def enterprise_page_data(w: World, user: User) -> dict[str, Any]:
    return form_data(EnterpriseForm(instance=Enterprise.objects.get(pk=w.ent_a.pk), viewer=user))


def new_enterprise_data(w: World, user: User) -> dict[str, Any]:
    return {
        "name": "新注册企业",
        "credit_code": "91320115MA1X2Y3W4K",
        "park": w.ent_a.park_id,
        "street": w.ent_a.street_id,
        "founded_on": "2020-01-01",
        "address": "",
        "tags": "",
    }


def new_enterprise_body(w: World) -> dict[str, Any]:
    return {
        "name": "新注册企业",
        "credit_code": "91320115MA1X2Y3W4K",
        "park": w.ent_a.park_id,
        "street": w.ent_a.street_id,
    }


def reassign_page_data(w: World, user: User) -> dict[str, Any]:
    return {"action": "reassign", "revision": Case.objects.get(pk=w.case.pk).revision, "reassign-note": ""}


# -- services (the check must hold below the forms: pages, API and imports all call these) ----------


def talent_service(w: World, user: User, name: str, value: Any) -> None:
    archive.talent_update(actor=user, talent=Talent.objects.get(pk=w.talent_a.pk), changes={name: value})


def enterprise_update_service(w: World, user: User, name: str, value: Any) -> None:
    firm = Enterprise.objects.get(pk=w.ent_a.pk)
    enterprise_services.enterprise_update(actor=user, enterprise=firm, changes={name: value})


def enterprise_create_service(w: World, user: User, name: str, value: Any) -> None:
    values: dict[str, Any] = {
        "name": "新注册企业",
        "credit_code": "91320115MA1X2Y3W4K",
        "park": w.ent_a.park,
        "street": w.ent_a.street,
    }
    values[name] = value
    if name == "street":
        values["park"] = None
    enterprise_services.enterprise_create(actor=user, values=values)


def reassign_service(w: World, user: User, name: str, value: Any) -> None:
    case_transition(
        actor=user, case=Case.objects.get(pk=w.case.pk), action="reassign", handler=value.username
    )


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


TALENT_EDIT = page_door(
    lambda w: f"/talents/{w.talent_a.pk}/edit/", lambda w: f"/talents/{w.talent_a.pk}/edit/", talent_page_data
)
ENTERPRISE_EDIT = page_door(
    lambda w: f"/enterprises/{w.ent_a.pk}/edit/",
    lambda w: f"/enterprises/{w.ent_a.pk}/edit/",
    enterprise_page_data,
)
ENTERPRISE_NEW = page_door(lambda w: "/enterprises/new/", lambda w: "/enterprises/new/", new_enterprise_data)
TALENT_PATCH = api_door("patch", lambda w: f"/api/v1/talents/{w.talent_a.pk}")
ENTERPRISE_PATCH = api_door("patch", lambda w: f"/api/v1/enterprises/{w.ent_a.pk}")
ENTERPRISE_POST = api_door("post", lambda w: "/api/v1/enterprises", new_enterprise_body)
REASSIGN_PAGE = page_door(
    lambda w: f"/hall/cases/{w.case.pk}/", lambda w: f"/hall/cases/{w.case.pk}/act/", reassign_page_data
)
REASSIGN_API = api_door(
    "post", lambda w: f"/api/v1/hall/cases/{w.case.pk}/actions", lambda w: {"action": "reassign"}
)
UNIT_NAME: Callable[[Any], str] = lambda unit: unit.name  # noqa: E731

REFERENCE_DATA = "reference data every viewer sees (not scoped)"
ROUTING = "routes work to a department, any active one (the service checks it is a department)"
ADMINISTRATION = (
    "district administration (user.manage / orgunit.manage): the system administrator names any unit"
)
JOIN_REQUEST = (
    "a request to act for an enterprise: nothing changes until its staff or administrator confirm it"
)

CASES: dict[str, Probe | Exempt] = {
    # Page forms (app.FormClass.field)
    "talents.TalentForm.employer": Probe("enterprise", (TALENT_EDIT,), talent_service),
    "talents.TalentForm.residence_street": Probe("street", (TALENT_EDIT,), talent_service),
    "talents.TalentForm.chain": Exempt(REFERENCE_DATA, IndustryChain),
    "talents.NeedForm.owner_department": Exempt(ROUTING),
    "enterprises.EnterpriseForm.park": Probe(
        "park", (ENTERPRISE_EDIT, ENTERPRISE_NEW), enterprise_update_service
    ),
    "enterprises.EnterpriseForm.street": Probe(
        "street", (ENTERPRISE_EDIT, ENTERPRISE_NEW), enterprise_create_service
    ),
    "enterprises.EnterpriseForm.chain": Exempt(REFERENCE_DATA, IndustryChain),
    "enterprises.EnterpriseForm.credit_code": Exempt("the enterprise's own identifier, not a reference"),
    "enterprises.EnterpriseAccountForm.credit_code": Exempt(JOIN_REQUEST),
    "enterprises.JoinForm.credit_code": Exempt(JOIN_REQUEST),
    "servicehall.HandlerForm.handler": Probe(
        "handler", (REASSIGN_PAGE,), reassign_service, door_field="reassign-handler"
    ),
    "servicehall.ServiceForm.department": Exempt(ROUTING),
    "servicehall.ServiceForm.co_departments": Exempt(ROUTING),
    "policies.PolicyForm.service": Exempt(REFERENCE_DATA, Service),
    "accounts.UserCreateForm.unit": Exempt(ADMINISTRATION),
    "accounts.UserCreateForm.roles": Exempt(REFERENCE_DATA, Role),
    "accounts.UserRolesForm.roles": Exempt(REFERENCE_DATA, Role),
    "accounts.OrgUnitCreateForm.parent": Exempt(ADMINISTRATION),
    # API operations (METHOD path field)
    "PATCH /api/v1/talents/{talent_id} employer": Probe("enterprise", (TALENT_PATCH,), talent_service),
    "PATCH /api/v1/talents/{talent_id} residence_street": Probe("street", (TALENT_PATCH,), talent_service),
    "PATCH /api/v1/talents/{talent_id} chain": Exempt(REFERENCE_DATA, IndustryChain),
    "POST /api/v1/talents/{talent_id}/contacts needs[].owner_department_code": Exempt(ROUTING),
    "POST /api/v1/enterprises park": Probe("park", (ENTERPRISE_POST,), enterprise_create_service),
    "POST /api/v1/enterprises street": Probe("street", (ENTERPRISE_POST,), enterprise_create_service),
    "POST /api/v1/enterprises chain": Exempt(REFERENCE_DATA, IndustryChain),
    "POST /api/v1/enterprises credit_code": Exempt("the enterprise's own identifier, not a reference"),
    "PATCH /api/v1/enterprises/{enterprise_id} park": Probe(
        "park", (ENTERPRISE_PATCH,), enterprise_update_service
    ),
    "PATCH /api/v1/enterprises/{enterprise_id} street": Probe(
        "street", (ENTERPRISE_PATCH,), enterprise_update_service
    ),
    "PATCH /api/v1/enterprises/{enterprise_id} chain": Exempt(REFERENCE_DATA, IndustryChain),
    "PATCH /api/v1/enterprises/{enterprise_id} credit_code": Exempt(
        "the enterprise's own identifier, not a reference"
    ),
    "POST /api/v1/enterprises/memberships credit_code": Exempt(JOIN_REQUEST),
    "POST /api/v1/hall/cases service": Exempt(REFERENCE_DATA, Service),
    "POST /api/v1/hall/cases/{case_id}/actions handler": Probe("handler", (REASSIGN_API,), reassign_service),
    "POST /api/v1/policies/drafts service": Exempt(REFERENCE_DATA, Service),
    "PUT /api/v1/policies/drafts/{code} service": Exempt(REFERENCE_DATA, Service),
    # Excel imports (kind column)
    "talent_import employer_code": Probe(
        "enterprise",
        (import_door("talent_import", lambda e: e.credit_code),),
        talent_service,
        field="employer",
    ),
    "talent_import residence_street": Probe(
        "street", (import_door("talent_import", UNIT_NAME),), talent_service
    ),
    "enterprise_import park": Probe(
        "park", (import_door("enterprise_import", UNIT_NAME),), enterprise_create_service
    ),
    "enterprise_import street": Probe(
        "street", (import_door("enterprise_import", UNIT_NAME),), enterprise_create_service
    ),
    "enterprise_import chain": Exempt(REFERENCE_DATA, IndustryChain),
    "enterprise_import credit_code": Exempt(
        "the enterprise's own identifier (an existing one must be in scope)"
    ),
}


# -- discovery --------------------------------------------------------------------------------------


def all_subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


def page_reference_fields() -> set[str]:
    get_resolver().url_patterns  # noqa: B018 (imports every view, and so every form)
    autodiscover_modules("forms")
    found = set()
    for form_class in set(all_subclasses(forms.BaseForm)):
        module = form_class.__module__
        if not module.startswith("talentcloud.") or ".tests" in module:
            continue
        for name, form_field in getattr(form_class, "base_fields", {}).items():
            if isinstance(form_field, forms.ModelChoiceField) or is_reference_name(name):
                found.add(f"{module.split('.')[1]}.{form_class.__qualname__}.{name}")
    return found


def schema_properties(schema: dict[str, Any], node: dict[str, Any], prefix: str = "") -> Iterator[str]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    for option in node.get("anyOf", []):
        yield from schema_properties(schema, option, prefix)
    if node.get("type") == "array" and "items" in node:
        yield from schema_properties(schema, node["items"], prefix + "[].")
    for name, prop in node.get("properties", {}).items():
        yield prefix + name
        yield from schema_properties(schema, prop, prefix + name + ".")


def api_reference_fields() -> set[str]:
    schema = Client().get("/api/v1/openapi.json").json()
    found = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for prop in schema_properties(schema, content["schema"]):
                    if is_reference_name(prop.replace("[]", "").rsplit(".", 1)[-1]):
                        found.add(
                            f"{method.upper()} {path} {prop.replace('.[]', '[]').replace('[].', '[].')}"
                        )
    return found


def import_reference_columns() -> set[str]:
    autodiscover_modules("importing")
    return {
        f"{kind} {column.key}"
        for kind, importer in IMPORTERS.items()
        for column in importer.columns
        if is_reference_name(column.key)
    }


def test_every_reference_taking_door_has_a_case():
    found = page_reference_fields() | api_reference_fields() | import_reference_columns()
    missing = sorted(found - set(CASES))
    assert not missing, f"reference-taking doors without a write-scope case: {missing}"
    stale = sorted(set(CASES) - found)
    assert not stale, f"cases for doors that no longer exist: {stale}"
    for key, case in CASES.items():
        if isinstance(case, Exempt):
            assert case.reason, key
            if case.model is not None:
                declared = hasattr(case.model, "scope_unit_paths") or hasattr(case.model, "scope_self_paths")
                assert not declared, f"{key}: {case.model.__name__} is scoped data, not reference data"


def discovered_field(key: str) -> str:
    return key.rsplit(" ", 1)[-1] if " " in key else key.rsplit(".", 1)[-1]


def test_every_scoped_reference_is_refused_and_changes_nothing(world):
    probed: set[str] = set()
    for key, case in CASES.items():
        if not isinstance(case, Probe):
            continue
        for pair, targets in world.foreign.items():
            value = targets.get(case.target)
            if value is None:
                continue
            name = case.door_field or discovered_field(key)
            field_name = case.field or discovered_field(key)
            for door in case.doors:
                outcome = door(world, pair, name, value)
                where = f"{key} ({pair} writer naming {value})"
                assert snapshot() == outcome.before, f"{where}: something changed"
                if outcome.kind == "page":
                    assert outcome.status == 400, f"{where}: the page answered {outcome.status}"
                    assert str(value.pk) not in outcome.offered, f"{where}: the form offers it"
                    assert "乙园区秘密企业" not in outcome.options_html, (
                        f"{where}: a choice list shows park B"
                    )
                    assert field_name in outcome.fields, f"{where}: no error at the field ({outcome.fields})"
                elif outcome.kind == "api":
                    assert outcome.status == 422, f"{where}: the API answered {outcome.status}"
                    assert field_name in outcome.fields, f"{where}: no error at the field ({outcome.fields})"
                else:
                    importer = IMPORTERS[key.split()[0]]
                    header = str(importer.column(key.split()[1]).header)
                    assert outcome.status == 400, f"{where}: the import was not refused"
                    assert header in outcome.fields, f"{where}: row 2 not refused at {header}"
            before = snapshot()
            with pytest.raises(ValidationFailed) as refused:
                case.service(world, world.writers[pair], field_name, value)
            assert field_name in refused.value.fields, f"{key}: the service refused another field"
            assert snapshot() == before, f"{key}: the service changed something"
            probed.add(key)
    assert probed == {k for k, c in CASES.items() if isinstance(c, Probe)}, "a probe had no side-B object"
