# gunicorn configuration for running the web process directly (systemd, containers):
#   gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:8000 --workers 4
# `talentcloud serve` uses the same settings. The access log leaves query strings out (personal data), and
# the server refuses to start when a deployment check fails (e.g. no REDIS_URL: talentcloud.E001).
from config.gunicorn import access_log_format, accesslog, errorlog, on_starting, wsgi_app  # noqa: F401
