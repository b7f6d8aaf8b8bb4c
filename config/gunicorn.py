"""gunicorn's settings for `talentcloud serve` (``-c python:config.gunicorn``) and deploy/gunicorn.conf.py.

The access log records the path, never the query string: searches are GET requests whose query may hold a
name, an ID or a phone number (``%(U)s`` is the path alone; ``%(r)s`` and ``%(q)s`` would add the query).
Nor the referrer, which is another page's full address with its query.
"""

import os

import django
from django.core.management import call_command

wsgi_app = "config.wsgi:application"
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s - %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'


def on_starting(server: object) -> None:
    """Refuse to start when a deployment check fails with an error (for example no shared cache for the
    rate limits, ``talentcloud.E001``): the same checks as ``manage.py check --deploy``."""

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    django.setup()
    call_command("check", deploy=True, fail_level="ERROR")
