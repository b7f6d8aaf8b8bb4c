import signal
from typing import Any

from django.core.management.base import BaseCommand

from talentcloud.infra.scheduling import SchedulerProcess, configured_jobs


class Command(BaseCommand):
    help = "Run the periodic-job scheduler (enqueues tasks only; one active instance via a database lease)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--lease-seconds", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        process = SchedulerProcess(configured_jobs(), lease_seconds=options["lease_seconds"])
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: process.stop())
        process.run()
