"""Shared fixtures: the organisation tree, the role catalogue, users per role, and signed-in clients."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.functional import empty
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect, sync_playwright

from talentcloud.accounts.models import OrgUnit, User
from talentcloud.accounts.tests.factories import PASSWORD, UserFactory
from talentcloud.demo.seed import seed_reference
from talentcloud.enterprises.tests.factories import EnterpriseFactory
from talentcloud.privacy.storage import encrypted_storage
from talentcloud.rules.facts import forget_defined_facts

__all__ = ["PASSWORD"]  # the tests' password, imported from here by browser tests
_counter = itertools.count(1)


# Run in parallel (pytest-xdist, ``make test``: ``-n 2 --dist loadgroup``), the tests that drive chromium or
# start the platform's own processes (worker, scheduler, gunicorn) take turns on one worker: each keeps a
# core busy beyond the test process and waits on timings (heartbeats going stale, pages answering), which two
# of them at once on a two-core machine would stretch. The others are spread over the workers test by test;
# each worker has its own test database (pytest-django names it after the worker).
HEAVY_FIXTURES = {"live_server", "browser_context", "page"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        heavy = item.get_closest_marker("browser") or item.get_closest_marker("processes")
        if heavy or HEAVY_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("heavy"))


@pytest.fixture(autouse=True)
def _default_language_each_test() -> Iterator[None]:
    """Each test starts in the default language: a request the test client sent in English leaves English
    active in the thread (the locale middleware does not switch back), which would leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _office_facts_read_afresh() -> Iterator[None]:
    """Each test reads the office-defined facts of its own database (a rolled-back test's are gone)."""
    forget_defined_facts()
    yield
    forget_defined_facts()


@pytest.fixture
def units(db: Any) -> dict[str, OrgUnit]:
    """Jiangning's units, chains and the role catalogue (no people)."""
    return seed_reference()


@pytest.fixture
def make_user(units: dict[str, OrgUnit]) -> Callable[..., User]:
    def make(
        role: str = "talent-office",
        unit: str | None = "320115-ZZB",
        username: str | None = None,
        **kwargs: Any,
    ) -> User:
        return UserFactory.create(
            role=role, unit=unit, username=username or f"{role}-{next(_counter)}", **kwargs
        )

    return make


def verify_session(client: Client, user: User) -> TOTPDevice:
    """Sign ``user`` in on ``client`` as if they had passed the second factor."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def login(db: Any) -> Callable[[User], Client]:
    def signed_in(user: User) -> Client:
        client = Client()
        if user.requires_second_factor:
            verify_session(client, user)
        else:
            client.force_login(user)
        return client

    return signed_in


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser_context() -> Iterator[Any]:
    """A Playwright browser context in Debian's chromium (Playwright's own browser download is not used)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls around it are test set-up only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    # A two-core machine running the suite, its live server and chromium at once answers an htmx redraw in
    # well over a second at times: waits are for the page's state, with room for a slow machine.
    expect.set_options(timeout=15_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser_context: Any) -> Any:
    page = browser_context.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(20_000)
    return page


def totp_code(device: TOTPDevice) -> str:

    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def browser_sign_in(page: Any, base_url: str, user: User) -> None:
    """Sign in through the real pages, with the second factor for staff."""
    device = None
    if user.requires_second_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="phone", confirmed=True
        )
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    if device is not None:
        page.wait_for_url("**/accounts/2fa/")
        page.get_by_label("六位验证码").fill(totp_code(device))
        page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def kfq_firm(units: dict[str, OrgUnit]) -> Any:
    """An enterprise in the Jiangning Development Zone (park) on 秣陵 street: many tests' park-A firm."""
    return EnterpriseFactory.create(name="南京紫峰软件有限公司", credit_code="91320115MA1X2Y3W4K")


@pytest.fixture
def private_media(tmp_path: Any, settings: Any) -> Any:
    """Encrypted storage in a fresh folder for this test (so a test can see exactly what reached the disk)."""

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    encrypted_storage._wrapped = empty
    yield tmp_path
    encrypted_storage._wrapped = empty
