"""Real-name verification (实名认证) through a pluggable identity provider.

Production plugs in the provincial unified-identity service (or a carrier's three-element check) by
setting ``IDENTITY_PROVIDER`` to a class with the same ``verify`` method. The demo and the tests use
``FakeIdentityProvider``, which needs no network and behaves predictably (see its docstring).

``person_verify`` is the sign-up's check of a person (the fields, the phone code, the identity provider),
shared by every sign-up: a talent's and an enterprise account's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from talentcloud.common.errors import ValidationFailed
from talentcloud.common.validators import validate_mobile, validate_resident_id

from .sms import code_check

# The phone code of a sign-up (talents and enterprise accounts) is sent and checked under this purpose.
REGISTER_PURPOSE = "register"
USERNAME = re.compile(r"^[A-Za-z0-9._-]{3,150}$")


@dataclass(frozen=True)
class IdentityResult:
    verified: bool
    reason: str = ""


class IdentityProvider(Protocol):
    def verify(self, *, name: str, id_number: str, phone: str) -> IdentityResult: ...


class FakeIdentityProvider:
    """Stands in for the real service: "verified" when the ID number is well formed and the name is a
    plausible name; names beginning with 冒名 count as a mismatch (to show the refusal path)."""

    NAME = re.compile(r"^[\u4e00-\u9fff·A-Za-z ]{2,30}$")

    def verify(self, *, name: str, id_number: str, phone: str) -> IdentityResult:
        try:
            validate_resident_id(id_number)
        except ValidationError:
            return IdentityResult(False, str(_("The ID number is not valid.")))
        if not self.NAME.match(name) or name.startswith("冒名"):
            return IdentityResult(False, str(_("The name does not match the ID number.")))
        return IdentityResult(True)


@lru_cache(maxsize=1)
def identity_provider() -> IdentityProvider:
    provider: IdentityProvider = import_string(settings.IDENTITY_PROVIDER)()
    return provider


def person_verify(*, username: str, name: str, id_number: str, phone: str, code: str) -> tuple[str, str, str]:
    """The checks every sign-up makes (talents and enterprise accounts): the fields, the phone code, and
    real-name verification by the identity provider. Returns the cleaned name, ID number and phone."""
    errors: dict[str, list[Any]] = {}
    name = name.strip()
    if not USERNAME.match(username):
        errors["username"] = [_("3 to 150 letters, digits, dots, dashes or underscores.")]
    try:
        id_number = validate_resident_id(id_number)
    except ValidationError as exc:
        errors["id_number"] = list(exc.messages)
    try:
        phone = validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    if not name:
        errors["name"] = [_("Your name as on your ID card.")]
    if errors:
        raise ValidationFailed(fields=errors)
    if not code_check(phone=phone, purpose=REGISTER_PURPOSE, code=code):
        raise ValidationFailed(fields={"code": [_("The code is wrong or has expired. Ask for a new one.")]})
    identity = identity_provider().verify(name=name, id_number=id_number, phone=phone)
    if not identity.verified:
        raise ValidationFailed(
            fields={"name": [_("Real-name verification failed: %(reason)s") % {"reason": identity.reason}]}
        )
    return name, id_number, phone
