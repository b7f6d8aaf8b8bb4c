"""Personal numbers never reach the logs, and production refuses to start without a shared cache."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.management.base import SystemCheckError

from config.gunicorn import access_log_format, on_starting
from talentcloud.privacy.logfilters import PersonalDataFilter, mask_personal_numbers

ID = "320115199001011234"
ID_X = "32011519900101123X"
PHONE = "13812345678"


def configured_logger(name: str) -> tuple[logging.Logger, io.StringIO]:
    """A logger whose handler carries the filter exactly as settings.LOGGING installs it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger(name)
    logger.handlers, logger.propagate = [handler], False
    return logger, stream


def test_the_filter_masks_an_id_and_a_phone_in_messages_arguments_and_tracebacks():
    logger, stream = configured_logger("talentcloud.tests.masking")
    logger.warning("Not Found: /talents/?q=%s&phone=%s", ID, PHONE)
    logger.info(f"looked up {ID_X} and +86 {PHONE}, 电话{PHONE}。")
    try:
        raise ValueError(f"no talent with id_number={ID}")
    except ValueError:
        logger.exception("lookup failed")
    text = stream.getvalue()
    for secret in (ID, ID_X, PHONE):
        assert secret not in text, text
    assert "3201**********1234" in text
    assert "3201**********123X" in text
    assert "138****5678" in text
    assert "ValueError: no talent with id_number=3201**********1234" in text


def test_the_filter_leaves_other_numbers_alone():
    for text in (
        "case 320115-20260101-00001",
        "uuid 5f0e6c2a-1b2c-4d3e-8f90-123456789012",
        "token tc_abcd1234_13812345678xyz",
        "took 1234567890123 ns",
        "count 12345678901234567890",
    ):
        assert mask_personal_numbers(text) == text


def test_logging_settings_install_the_filter_on_every_handler():
    handlers = cast("dict[str, dict[str, list[str]]]", settings.LOGGING["handlers"])
    assert handlers
    for name, handler in handlers.items():
        assert "personal_data" in handler.get("filters", []), name
    for logger in (logging.getLogger(), logging.getLogger("django.server")):  # runserver's request lines
        # pytest adds its own capturing handlers to the root logger during a test; the settings' are checked
        ours = [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        assert ours, logger.name
        for installed in ours:
            assert any(isinstance(f, PersonalDataFilter) for f in installed.filters), logger.name


def deploy_messages() -> list[str]:
    return [m.id for m in run_checks(include_deployment_checks=True, tags=["talentcloud"]) if m.id]


def test_the_deploy_check_fails_without_a_shared_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "talentcloud.E001" in deploy_messages()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://r:6379/0"}
    }
    assert "talentcloud.E001" not in deploy_messages()
    # Only a deployment check: development and tests run on a local cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not [m for m in run_checks(tags=["talentcloud"]) if m.id == "talentcloud.E001"]


def test_gunicorn_refuses_to_start_on_a_failed_deploy_check(settings):

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with pytest.raises(SystemCheckError, match=r"talentcloud\.E001"):
        on_starting(None)
    assert "%(U)s" in access_log_format
    for atom in ("%(r)s", "%(q)s", "%(f)s"):  # request line, query string, referrer
        assert atom not in access_log_format


def manage_check_deploy(*, redis: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    example = Path(settings.BASE_DIR) / "deploy" / "production.env.example"
    for line in example.read_text().splitlines():
        if line and not line.startswith("#"):
            key, _sep, value = line.partition("=")
            env[key] = value
    if not redis:
        env.pop("REDIS_URL")
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_manage_check_deploy_under_production_settings_needs_redis_url():
    assert manage_check_deploy(redis=True).returncode == 0  # `make deploy-check` with the example
    without = manage_check_deploy(redis=False)
    assert without.returncode != 0
    assert "talentcloud.E001" in without.stderr
    assert "REDIS_URL" in without.stderr
