import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the production web server (gunicorn, config.wsgi). Put nginx in front (docs/operations.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=os.environ.get("TALENTCLOUD_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("TALENTCLOUD_WORKERS", "4")))
        parser.add_argument("--timeout", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        # Refuse to start on a failed deployment check (e.g. no shared cache for rate limits: talentcloud.E001);
        # gunicorn's on_starting hook (config/gunicorn.py) checks again when gunicorn is started directly.
        call_command("check", deploy=True, fail_level="ERROR")
        # Static files are served by WhiteNoise from the collected, hashed copies (or by nginx from STATIC_ROOT).
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            "gunicorn",
            "--config",
            "python:config.gunicorn",  # the access log without query strings (config/gunicorn.py)
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--timeout",
            str(options["timeout"]),
        ]
        os.execvp(sys.executable, [sys.executable, "-m", *argv])  # noqa: S606
