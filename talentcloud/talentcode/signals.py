"""What removes a verifier's cached token and its unit's cached scenes (``fastpath.py``, ADR 0029): any
change to a token, an account, its roles, a role, a unit, a verifier, its scenes or a scene. The removal runs
at once and again once the change commits, so that a verification that read the database before the commit
and cached what it read does not keep it."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from talentcloud.accounts.models import ApiToken, OrgUnit, Role, User

from .fastpath import scenes_key, token_key
from .models import Scene, Verifier


def _forget(keys: list[str]) -> None:
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _forget_tokens(digests: list[str]) -> None:
    if digests:
        _forget([token_key(d) for d in digests])


def _forget_units(unit_ids: list[Any]) -> None:
    if unit_ids:
        _forget([scenes_key(u) for u in unit_ids])


@receiver([post_save, post_delete], sender=ApiToken, dispatch_uid="talentcode_forget_token")
def _token_changed(instance: ApiToken, **_: Any) -> None:
    _forget_tokens([instance.digest])


def _tokens_of(users: Any) -> list[str]:
    return list(ApiToken.objects.filter(user__in=users).values_list("digest", flat=True))


@receiver([post_save, post_delete], sender=User, dispatch_uid="talentcode_forget_user")
def _user_changed(instance: User, update_fields: Any = None, **_: Any) -> None:
    if update_fields is not None and not {"is_active", "unit", "password"} & set(update_fields):
        return  # a sign-in's last_login, a language: nothing a token's check reads
    _forget_tokens(_tokens_of([instance.pk]))


@receiver(m2m_changed, sender=User.roles.through, dispatch_uid="talentcode_forget_user_roles")
def _user_roles_changed(instance: Any, action: str, reverse: bool, pk_set: Any, **_: Any) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # role.users changed: the accounts named (all of the role's, when cleared)
        users = list(pk_set) if pk_set else list(instance.users.values_list("pk", flat=True))
    else:
        users = [instance.pk]
    _forget_tokens(_tokens_of(users))


@receiver([post_save, post_delete], sender=Role, dispatch_uid="talentcode_forget_role")
def _role_changed(instance: Role, **_: Any) -> None:
    _forget_tokens(_tokens_of(User.objects.filter(roles=instance.pk).values("pk")))


@receiver([post_save, post_delete], sender=OrgUnit, dispatch_uid="talentcode_forget_unit")
def _unit_changed(instance: OrgUnit, **_: Any) -> None:
    _forget_units([instance.pk])


@receiver([post_save, post_delete], sender=Verifier, dispatch_uid="talentcode_forget_verifier")
def _verifier_changed(instance: Verifier, **_: Any) -> None:
    _forget_units([instance.unit_id])


@receiver(m2m_changed, sender=Verifier.scenes.through, dispatch_uid="talentcode_forget_verifier_scenes")
def _verifier_scenes_changed(instance: Any, action: str, reverse: bool, **_: Any) -> None:
    if not action.startswith("post_"):
        return
    if reverse:
        _forget_units(list(Verifier.objects.values_list("unit_id", flat=True)))
    else:
        _forget_units([instance.unit_id])


@receiver([post_save, post_delete], sender=Scene, dispatch_uid="talentcode_forget_scene")
def _scene_changed(instance: Scene, **_: Any) -> None:
    _forget_units(list(Verifier.objects.values_list("unit_id", flat=True)))
