"""``talentcloud worker``: django-tasks-db's worker that first finds the jobs whose worker died.

At start it runs the reaper once (``common.jobs.jobs_reap``): imports and exports left "running" by a killed
worker are failed and their files removed, periodic slots are run again. The ``jobs_reap`` periodic job does
the same every minute while the scheduler runs."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from talentcloud.infra.jobs import jobs_reap

logger = logging.getLogger(__name__)


class Command(DbWorkerCommand):
    help = "Run background tasks (django-tasks database backend); first fail or rerun jobs whose worker died."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found = jobs_reap()
        except DatabaseError:  # e.g. SQLite busy with a long import: the periodic reaper tries again
            logger.warning("worker start: the reaper could not run", exc_info=True)
        else:
            logger.info("worker start: reaped %s", found)
        super().handle(*args, **options)
