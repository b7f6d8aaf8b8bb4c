from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from talentcloud.accounts.models import Role
from talentcloud.accounts.services import password_change, user_create
from talentcloud.common.errors import ValidationFailed
from talentcloud.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "code_fragment"),
    [
        ("Short-1a", "12"),  # too short
        ("alllowercaseletters", "3"),  # one class only
        ("lowercase1234567", "3"),  # two classes
    ],
)
def test_policy_refuses_weak_passwords(units, password, code_fragment):
    with pytest.raises(ValidationFailed) as exc:
        user_create(
            actor=None, username="weak", password=password, unit=None, roles=[Role.objects.get(code="talent")]
        )
    messages = " ".join(str(m) for m in exc.value.fields["password"])
    assert code_fragment in messages


def test_last_five_passwords_cannot_be_reused(make_user):
    user = make_user("talent", None)
    history = [PASSWORD, "Second-Pass-22", "Third-Pass-333", "Fourth-Pass-44", "Fifth-Pass-555"]
    current = PASSWORD
    for new in history[1:]:
        password_change(actor=user, old_password=current, new_password=new)
        current = new
    for old in history:
        with pytest.raises(ValidationFailed) as exc:
            password_change(actor=user, old_password=current, new_password=old)
        assert "new_password" in exc.value.fields
    # A sixth, new password works, after which the first is allowed again.
    password_change(actor=user, old_password=current, new_password="Sixth-Pass-666")
    password_change(actor=user, old_password="Sixth-Pass-666", new_password=PASSWORD)


def test_wrong_current_password_is_named(make_user):
    user = make_user("talent", None)
    with pytest.raises(ValidationFailed) as exc:
        password_change(actor=user, old_password="Not-The-Password-1", new_password="Brand-New-Pass-9")
    assert list(exc.value.fields) == ["old_password"]


def test_expired_password_prompts_for_a_new_one(make_user):
    user = make_user("talent", None, username="old.pw")
    user.password_changed_at = timezone.now() - timedelta(days=91)
    user.save()
    client = Client()
    response = client.post("/accounts/login/", {"username": "old.pw", "password": PASSWORD})
    assert response["Location"] == "/accounts/password/"
    page = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password": "Fresh-Password-7",
            "new_password_again": "Fresh-Password-8",
        },
    )
    assert page.status_code == 400
    ok = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password": "Fresh-Password-7",
            "new_password_again": "Fresh-Password-7",
        },
    )
    assert ok.status_code == 302
    # The session survives the change.
    assert client.get("/").status_code == 200
