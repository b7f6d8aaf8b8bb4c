"""Who hears about a case besides its applicant, and telling them: the lead department's staff (or heads), the
talent office, who may take a case over, and ``case_notify`` (a message about a case, written in the reader's
words when read, sent after the commit). Shared by the workflow's effects, ratings and the periodic tasks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm
from talentcloud.notifications.services import notify
from talentcloud.servicehall.permissions import HallPerm

from .models import Case


def case_notify(recipients: Iterable[Any], event: str, case: Case, **extra: Any) -> None:
    url = reverse("servicehall:case", kwargs={"case_id": case.pk})
    # The service (its name in every language), not a name in this process's language: the text is written
    # when read, in the reader's language.
    params = {"number": case.number or "", "service": case.service, **extra}
    for user in recipients:
        notify(recipient=user, event=event, params=params, url=url)


def department_staff(case: Case, *, heads_only: bool = False) -> list[User]:
    return unit_staff(case.department_id, heads_only=heads_only)


def unit_staff(unit_id: int, *, heads_only: bool = False) -> list[User]:
    """A department's active staff who handle cases (``heads_only``: those told about escalations)."""
    perm = HallPerm.CASE_ESCALATIONS if heads_only else HallPerm.CASE_HANDLE
    users = User.objects.filter(unit_id=unit_id, is_active=True).prefetch_related("roles")
    return [u for u in users if has_perm(u, perm)]


def office_staff() -> list[User]:
    users = User.objects.filter(is_active=True, roles__kind="talent_office").distinct()
    return [u for u in users if has_perm(u, HallPerm.CASE_OVERSEE)]


def eligible_handlers(case: Case) -> list[User]:
    """Who may take a case over: the lead department's active staff who handle cases."""
    return department_staff(case)
