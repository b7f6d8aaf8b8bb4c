"""Meta-test: every write that takes a reference keeps to the writer's scope.

The test finds every reference-taking door by itself: the page forms' model-choice fields (and fields named
like references), the OpenAPI operations whose request bodies have reference fields (employer, park,
street, department, handler, unit, …), and the Excel importers' reference columns. Each one must have a
case, declared by the app that owns the door in ``<app>/tests/write_scope.py`` (``WRITE_SCOPE_CASES``): either
a probe (a park-A or street-A writer names a park-B / street-B object: the choice list does not offer it, the
page answers 400, the API 422 naming the field, the import names the row and column, the service itself
refuses it, and nothing changes) or an exemption saying why the reference is not scoped data. A new
reference-taking door without a case fails here. The kit (world, doors, case types) is ``writescope.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import get_resolver
from django.utils.module_loading import autodiscover_modules

from talentcloud.common.errors import ValidationFailed
from talentcloud.common.registries import keyed
from talentcloud.infra.sheets import importers

from .writescope import Exempt, Probe, is_reference_name, snapshot, world  # noqa: F401 (world: a fixture)

pytestmark = pytest.mark.django_db

CASES: dict[str, Probe | Exempt] = keyed("tests.write_scope", "WRITE_SCOPE_CASES")


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
    return {
        f"{kind} {column.key}"
        for kind, importer in importers().items()
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


def test_every_scoped_reference_is_refused_and_changes_nothing(world):  # noqa: F811 (the fixture)
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
                    importer = importers()[key.split()[0]]
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
