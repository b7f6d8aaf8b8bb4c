"""The published policies every process keeps in memory (ADR 0016): with a shared cache, a request reads one
version token and no query; a change made in another process (publishing, a parameter, a service renamed) is
seen by the next request there; a lost token is computed from the database once. With a per-process cache
every request compares the database's stamp instead, so a change nobody announced is still seen.

Two processes are played by one: each keeps its copy in ``engine._HELD``, which a test swaps; the cache is a
file cache in a fresh folder, shared as Redis is. The tests commit for real (on-commit callbacks run), as
the processes do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from talentcloud.common import versions
from talentcloud.policies import engine
from talentcloud.policies.authoring import draft_save, draft_start, parameter_adopt, publish
from talentcloud.policies.engine import calculate_for_facts, in_force, published
from talentcloud.policies.loader import import_policy, library_install
from talentcloud.policies.models import Policy, PolicyStatus
from talentcloud.policies.sweep import sweep
from talentcloud.policies.tests.factories import PolicyFactory
from talentcloud.servicehall.catalogue import service_save
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.talents.changes import verified_refresh
from talentcloud.talents.models import FactRecord, Talent

pytestmark = pytest.mark.django_db(transaction=True)

CODE = "housing-purchase-subsidy"
FACTS = {"highest_degree": "doctor", "degree_rank": 4, "owns_home_in_city": False, "age": 33}


@pytest.fixture
def shared(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    engine._HELD.clear()
    yield
    engine._HELD.clear()


@pytest.fixture
def library(units: Any) -> None:
    catalogue_install()
    library_install()


def _policy_queries(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "policies_policy" in q["sql"] or "policies_parameter" in q["sql"]
    ]


def _new_version(make_user: Any, title: str) -> Policy:
    writer, head = make_user("talent-office"), make_user("talent-office-head")
    draft = draft_start(actor=writer, code=CODE)
    draft_save(actor=writer, code=CODE, values={"title": title}, rule=draft.rule, benefit=draft.benefit)
    return publish(actor=head, code=CODE)


def _titles() -> dict[str, str]:
    return {p.code: p.title for p in published(timezone.localdate())}


def test_the_cache_is_shared_only_when_processes_share_it(shared: None, settings: Any) -> None:
    assert versions.cache_is_shared()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not versions.cache_is_shared()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert not versions.cache_is_shared()


def test_a_request_reads_the_version_and_no_query_when_nothing_changed(shared: None, library: None) -> None:
    calculate_for_facts(FACTS)
    with CaptureQueriesContext(connection) as queries:
        verdicts = calculate_for_facts(FACTS)
        again = published(timezone.localdate())
    assert queries.captured_queries == []
    assert {v.policy.code for v in verdicts} == {p.code for p in again}


def test_a_version_published_in_another_process_is_seen_by_the_next_request(
    shared: None, library: None, make_user: Any
) -> None:
    before = _titles()[CODE]
    first = dict(engine._HELD)  # the first process has read the policies
    engine._HELD.clear()  # … a second one publishes a new version
    made = _new_version(make_user, "人才购房补贴（新版）")
    assert _titles()[CODE] == "人才购房补贴（新版）"
    engine._HELD.clear()
    engine._HELD.update(first)  # back in the first process, untouched since
    assert engine._HELD["in_force"].policies["talent"]  # it still holds the old copy …
    assert before != "人才购房补贴（新版）"
    [verdict] = [v for v in calculate_for_facts(FACTS) if v.policy.code == CODE]
    assert verdict.policy.pk == made.pk  # … and its next request reads the new one
    assert verdict.policy.title == "人才购房补贴（新版）"
    with CaptureQueriesContext(connection) as queries:
        calculate_for_facts(FACTS)
    assert queries.captured_queries == []


def test_a_parameter_adopted_elsewhere_is_seen(shared: None, library: None, make_user: Any) -> None:
    today = timezone.localdate()
    assert in_force().parameters_on(today)["graduate_window_years"] != 4
    first = dict(engine._HELD)
    engine._HELD.clear()
    parameter_adopt(
        actor=make_user("talent-office"),
        name="graduate_window_years",
        value=4,
        effective_from=today,
        source="x",
    )
    engine._HELD.clear()
    engine._HELD.update(first)
    assert in_force().parameters_on(today)["graduate_window_years"] == 4
    assert in_force().parameters_on(today - dt.timedelta(days=1))["graduate_window_years"] != 4


def test_a_service_renamed_elsewhere_is_seen_on_the_policies(
    shared: None, library: None, make_user: Any
) -> None:
    policy = next(p for p in published(timezone.localdate()) if p.service is not None)
    first = dict(engine._HELD)
    engine._HELD.clear()
    service = policy.service
    assert service is not None
    service_save(
        actor=make_user("talent-office"),
        service=service,
        values={"name": "新的服务名称"},
        co_departments=list(service.co_departments.all()),
    )
    engine._HELD.clear()
    engine._HELD.update(first)
    again = next(p for p in published(timezone.localdate()) if p.pk == policy.pk)
    assert again.service is not None
    assert again.service.name == "新的服务名称"


def test_a_lost_version_is_computed_from_the_database_once(shared: None, library: None) -> None:
    published(timezone.localdate())
    cache.clear()  # Redis restarted
    with CaptureQueriesContext(connection) as queries:
        published(timezone.localdate())
    assert any("COUNT(" in sql for sql in _policy_queries(queries))  # the stamp, stored for everyone
    with CaptureQueriesContext(connection) as queries:
        published(timezone.localdate())
    assert queries.captured_queries == []
    engine._HELD.clear()  # another process, holding nothing, reads the stored stamp and the rows
    with CaptureQueriesContext(connection) as queries:
        published(timezone.localdate())
    assert not any("COUNT(" in sql for sql in _policy_queries(queries))


def test_a_transaction_sees_its_own_publishing_and_a_rollback_leaves_nothing(
    shared: None, library: None, make_user: Any
) -> None:
    old = _titles()[CODE]
    with transaction.atomic():
        _new_version(make_user, "尚未提交")
        assert _titles()[CODE] == "尚未提交"  # read afresh, not kept
        transaction.set_rollback(True)
    assert _titles()[CODE] == old
    assert Policy.objects.get(code=CODE, status=PolicyStatus.PUBLISHED).title == old


def test_without_a_shared_cache_a_change_nobody_announced_is_still_seen(library: None) -> None:
    """Local memory: each process would hold its own versions, so every request checks the database."""
    assert not versions.cache_is_shared()
    engine._HELD.clear()
    published(timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        published(timezone.localdate())
    # the two aggregates of the stamp, and the office-defined facts' stamp (ADR 0020); no rows read again
    assert len(queries.captured_queries) == 3
    PolicyFactory.create(code="written-by-another-process", status=PolicyStatus.PUBLISHED)  # no bump at all
    assert "written-by-another-process" in _titles()
    engine._HELD.clear()


# --- the calculator page: bounded queries, none for the policies -------------------------------------------


def _extra_policy(index: int) -> dict[str, Any]:
    """A policy file the seeded library lacks: anyone of grade A to C, a pre-filled application."""
    return {
        "code": f"extra-allowance-{index}",
        "title": f"额外津贴 {index}",
        "issuer": "江宁区人才工作领导小组办公室",
        "effective_from": dt.date(2024, 1, 1),
        "rule": {"fact": "grade", "op": "in", "value": ["A", "B", "C"]},
        "benefit": {"kind": "money", "amount": 100 * (index + 1), "period": "month", "months": 12},
        "on_match": "case",
        "service": "health-check",
    }


def _queries(client: Any, url: str) -> tuple[list[str], str]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries], response.content.decode()


def test_the_calculator_page_costs_the_same_queries_however_many_policies_are_found(
    shared: None, library: None, make_user: Any, login: Any, kfq_firm: Any
) -> None:
    account = make_user("talent", None)
    talent = Talent.objects.create(
        name="冯博士",
        gender="M",
        birth_date=dt.date(1992, 3, 1),
        highest_degree="doctor",
        category="young",
        grade="C",
        employer=kfq_firm,
        owns_home_in_city=False,
        graduated_on=dt.date(2025, 7, 1),
        account=account,
    )
    for key, value in (("highest_degree", "doctor"), ("owns_home_in_city", False)):
        FactRecord.objects.create(
            talent=talent, key=key, value=value, source="authority", as_of=dt.date(2026, 6, 1), verified=True
        )
    verified_refresh([talent.pk])
    sweep()
    own, office = login(account), login(make_user("talent-office"))
    pages = {"own": (own, "/policies/calculator/"), "office": (office, f"/policies/calculator/{talent.pk}/")}
    before = {who: _queries(client, url) for who, (client, url) in pages.items()}
    assert 'data-testid="entitlements"' in before["own"][1]  # the sweep's results are read …
    for sql, _page in before.values():
        assert not [
            q for q in sql if "policies_policy" in q or "policies_parameter" in q
        ]  # … the policies not
    for index in range(5):
        import_policy(_extra_policy(index), publish=True)
    sweep()
    after = {who: _queries(client, url) for who, (client, url) in pages.items()}
    assert after["own"][1].count('data-testid="entitlement-extra-allowance-') == 5
    assert 'data-testid="verdict-extra-allowance-4"' in after["office"][1]
    assert {who: len(sql) for who, (sql, _page) in after.items()} == {
        who: len(sql) for who, (sql, _page) in before.items()
    }
