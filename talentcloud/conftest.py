"""Shared fixtures: the organisation tree, the role catalogue, users per role, and signed-in clients."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.accounts.models import OrgUnit, Role, User
from talentcloud.accounts.services import user_create
from talentcloud.demo.seed import seed_reference

PASSWORD = "Vx7-Plum-Q9rk-Lotus"  # noqa: S105 (test accounts)
_counter = itertools.count(1)


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
        return user_create(
            actor=None,
            username=username or f"{role}-{next(_counter)}",
            password=PASSWORD,
            unit=units[unit] if unit else None,
            roles=[Role.objects.get(code=role)],
            **kwargs,
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
