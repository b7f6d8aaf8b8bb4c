"""A worker killed with kill -9 during a 40,000-row import, for real: once its heartbeat is stale the job is
failed by the next worker, its page says so in the owner's language, nothing from the file is saved and the
upload is gone."""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talentcloud.common.models import BackgroundJob
from talentcloud.enterprises.models import Enterprise
from talentcloud.talents.models import Talent
from talentcloud.talents.services import talent_import_start
from talentcloud.talents.tests.test_import import HEADER, rows

from .processes import start, stop, stop_all
from .xlsxgen import xlsx_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]
STALE = 3  # seconds; the settings' default is minutes
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def wait_for(condition, *, limit: float, what: str):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"waited {limit:.0f} s for {what}")


def test_a_worker_killed_during_an_import_leaves_nothing_and_its_job_says_so(
    settings, private_media, office_and_employer, login
):
    settings.TASKS = DB_TASKS  # queued for the worker processes, not run here
    office, employer = office_and_employer
    n = 40_000
    data = xlsx_bytes(HEADER, rows(n, employer.credit_code), row_count=n)
    job = talent_import_start(actor=office, filename="talents.xlsx", data=data)
    upload = private_media / job.input_name
    assert upload.exists()
    extra = {"TALENTCLOUD_JOB_STALE_SECONDS": str(STALE)}
    first = start("worker", "--no-reload", "--interval", "0.2", schedule={}, extra=extra)
    try:
        wait_for(
            lambda: BackgroundJob.objects.filter(pk=job.pk, status="running", progress__gt=0).exists(),
            limit=300,
            what="the import to be under way",
        )
        first.send_signal(signal.SIGKILL)
    finally:
        log = stop(first, signalled=True)
    job.refresh_from_db()
    assert job.status == "running", log  # as a killed worker leaves it
    assert 0 < job.progress < job.total
    assert upload.exists()

    # Once its heartbeat is older than the stale interval, the next worker to start fails it.
    def stale() -> bool:
        fresh = timezone.now() - timedelta(seconds=STALE + 0.5)
        return not BackgroundJob.objects.filter(pk=job.pk, heartbeat_at__gte=fresh).exists()

    wait_for(stale, limit=60, what="the heartbeat to go stale")
    second = start("worker", "--no-reload", "--interval", "0.2", schedule={}, extra=extra)
    try:
        wait_for(
            lambda: BackgroundJob.objects.filter(pk=job.pk).exclude(status="running").exists(),
            limit=120,
            what="the job to be reaped",
        )
    finally:
        logs = stop_all([second])
    job.refresh_from_db()
    assert (job.status, job.message_code) == ("failed", "worker_lost_import"), logs
    assert Talent.objects.count() == 0  # all or nothing: nothing from the file
    assert not upload.exists()
    assert job.input_name == ""
    assert not any((private_media / "jobs" / str(job.pk)).glob("*"))
    # The dead worker's task is not left running either.
    task = DBTaskResult.objects.get(args_kwargs__kwargs__job_id=str(job.pk))
    assert task.status == "FAILED"

    client = login(office)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "导入未完成即中断" in page
    assert "上传的文件已删除" in page


@pytest.fixture
def office_and_employer(make_user, units):

    employer = Enterprise.objects.create(
        name="南京紫峰软件有限公司",
        credit_code="91320115MA1X2Y3W4T",
        park=units["320115-P-KFQ"],
        street=units["320115-S-ML"],
    )
    return make_user("talent-office", "320115-ZZB"), employer
