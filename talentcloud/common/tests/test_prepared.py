"""Statements compiled once (``common/prepared.py``): they read and write what the ORM reads and writes."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.models import F, QuerySet

from talentcloud.common.models import BackgroundJob, JobStatus
from talentcloud.common.prepared import PreparedInsert, PreparedSelect

pytestmark = pytest.mark.django_db


def _jobs(kind: str) -> QuerySet[BackgroundJob]:
    return BackgroundJob.objects.filter(kind=kind).defer("message").annotate(owner_name=F("owner__username"))


def test_an_insert_writes_what_save_would(make_user):
    owner = make_user()
    job = BackgroundJob(kind="report", owner=owner, summary={"rows": [1, "江宁"]}, total=7)
    saved = PreparedInsert(BackgroundJob).save(job)
    assert saved is job
    assert not job._state.adding
    stored = BackgroundJob.objects.get(pk=job.pk)
    assert (stored.kind, stored.owner_id, stored.summary, stored.total) == (
        "report",
        owner.pk,
        {"rows": [1, "江宁"]},
        7,
    )
    assert stored.status == JobStatus.QUEUED
    assert stored.created_at is not None
    assert stored.created_at == job.created_at


def test_a_select_reads_what_the_orm_reads(make_user):
    owner = make_user()
    BackgroundJob.objects.create(kind="other", owner=owner)
    made = BackgroundJob.objects.create(kind="export", owner=owner, summary={"a": 1}, message="long text")
    prepared = PreparedSelect(_jobs)
    for _run in range(3):  # the first run compiles; later ones reuse it (and on PostgreSQL, prepare it)
        found = prepared.first("export")
        orm = _jobs("export").get()
        assert found is not None
        assert isinstance(found.pk, uuid.UUID)
        assert found.pk == made.pk == orm.pk
        assert found.summary == {"a": 1}
        assert found.created_at == orm.created_at
        assert getattr(found, "owner_name") == owner.username  # noqa: B009 (the annotation, as an attribute)
        assert "message" in found.get_deferred_fields()
        assert found.message == "long text"  # a deferred field still loads when read
    assert prepared.first("missing") is None


def test_a_query_without_its_sentinel_is_refused():
    with pytest.raises(ValueError, match="sentinel"):
        PreparedSelect(lambda _value: BackgroundJob.objects.all()).first("export")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side preparation is PostgreSQL's")
def test_a_statement_run_twice_is_prepared_on_the_server(make_user):
    owner = make_user()
    BackgroundJob.objects.create(kind="export", owner=owner)
    prepared = PreparedSelect(_jobs)
    for _run in range(3):
        assert prepared.first("export") is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('FROM "common_backgroundjob"' in statement for statement in statements)
