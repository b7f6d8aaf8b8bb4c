"""Real-name verification (实名认证) through a pluggable identity provider.

Production plugs in the provincial unified-identity service (or a carrier's three-element check) by
setting ``IDENTITY_PROVIDER`` to a class with the same ``verify`` method. The demo and the tests use
``FakeIdentityProvider``, which needs no network and behaves predictably (see its docstring).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from talentcloud.common.validators import validate_resident_id


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
