"""The `talentcloud` command: the platform's front door for operators and newcomers.

    talentcloud demo                      SQLite demo: migrate, seed, print logins, serve on :8000
    talentcloud serve                     production web server (gunicorn)
    talentcloud migrate                   apply database migrations
    talentcloud seed --talents N          synthetic Jiangning data (deterministic with --seed)
    talentcloud worker                    run background tasks (django-tasks database backend); at start,
                                          fail or rerun the jobs whose worker died
    talentcloud scheduler                 enqueue periodic tasks (one active instance)
    talentcloud user create --username U --role R --unit CODE   (password on stdin)
    talentcloud token create --username U                      (prints a personal API token)
    talentcloud otp USERNAME              current TOTP code of a demo account

Any other word is passed to Django's management commands.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import execute_from_command_line

ALIASES: dict[str, str] = {}  # `worker` is a command of its own (common/management/commands/worker.py)
PRODUCTION_COMMANDS = {"serve"}
# Commands that serve pages from this checkout: its message catalogues are compiled before Django starts.
COMPILE_FIRST = {"demo", "runserver"}


def catalogues_compile() -> list[Path]:
    """Compile each .po catalogue of ``settings.LOCALE_PATHS`` whose .mo is missing or older (polib, no
    system gettext); return the .mo files written.

    It reads the settings and loads no translation, so it can run before ``django.setup()``: a process that
    had looked up a translation before the .mo existed would keep serving English from its cache (the first
    `make demo` on a fresh clone did, until a restart)."""

    written = []
    for locale_dir in settings.LOCALE_PATHS:
        for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            written.append(mo_path)
    return written


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    command = args[0]
    default_settings = (
        "config.settings.production" if command in PRODUCTION_COMMANDS else "config.settings.dev"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_settings)
    if command in COMPILE_FIRST:
        catalogues_compile()

    execute_from_command_line(["talentcloud", ALIASES.get(command, command), *args[1:]])


if __name__ == "__main__":
    main()
