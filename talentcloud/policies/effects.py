"""What a grant does beyond telling the person (免申即享): an effect a policy's benefit names.

A policy whose benefit is an entitlement may name an effect (``benefit["effect"]``): when the sweep, or a
re-evaluation of one person, newly grants the policy, the effect is applied to everyone newly granted, in
the transaction that tells them. The effects are declared by the apps above this one in their
``policy_effects.py`` as ``POLICY_EFFECTS = [GrantEffect(...)]`` (the talent code issues the 紫金山英才卡:
``talentcode/policy_effects.py``); this app names none of them. ``apply(policy, ids, on)`` must be set-based
(a sweep grants thousands at once) and returns how many subjects it changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from talentcloud.common.registries import Declarations, forgotten_with_apps

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import Policy


@dataclass(frozen=True)
class GrantEffect:
    name: str  # what a benefit's ``effect`` says
    label: StrOrPromise  # what the policy editor offers, translated
    target: str  # "talent" or "enterprise": whom it applies to
    apply: Callable[[Policy, list[Any], date], int]


DECLARED: Declarations[GrantEffect] = Declarations("policy_effects", "POLICY_EFFECTS")


@forgotten_with_apps
@cache
def effects() -> dict[str, GrantEffect]:
    found: dict[str, GrantEffect] = {}
    for effect in DECLARED.items():
        if effect.name in found:
            raise ValueError(f"policy effect {effect.name!r} declared twice")
        found[effect.name] = effect
    return found


def effect_choices(target: str) -> list[tuple[str, Any]]:
    return [(e.name, e.label) for e in effects().values() if e.target == target]


def all_effect_choices() -> list[tuple[str, Any]]:
    return [(e.name, e.label) for e in effects().values()]


def effect_of(policy: Policy) -> GrantEffect | None:
    name = policy.benefit.get("effect") if isinstance(policy.benefit, dict) else None
    effect = effects().get(name) if name else None
    return effect if effect is not None and effect.target == policy.target else None
