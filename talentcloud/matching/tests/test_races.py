"""Races for real (threads with their own PostgreSQL connections): an enterprise's accounts asking one talent
for contact at once, a talent answering one request twice at once, and searches of one process's index from
many threads while a talent withdraws — one wins, the others are told, nothing is written twice, and no
search after the withdrawal committed shows the talent."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from talentcloud.audit.models import AuditEvent
from talentcloud.enterprises.models import EnterpriseMember
from talentcloud.matching import services
from talentcloud.matching.models import ContactRequest
from talentcloud.matching.selectors import talents_for_demand
from talentcloud.recruitment.models import Demand
from talentcloud.servicehall.tests.test_races import race

from .conftest import seeker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_contact_asked_at_once_by_many_accounts_is_one_request(rworld, make_user, hire):
    demand = hire()
    p = seeker(make_user, post=rworld.posts["A1"])
    accounts = [rworld.hr_a]
    for i in range(3):
        hr = make_user("enterprise-hr", None, username=f"hr-a{i}")
        EnterpriseMember.objects.create(enterprise=rworld.ent_a, user=hr)
        accounts.append(hr)

    def ask(i: int) -> None:
        services.contact_request(
            actor=accounts[i % 4], demand=Demand.objects.get(pk=demand.pk), profile_id=p.pk
        )

    assert race(8, ask) == {"ok": 1, "conflict": 7}
    assert ContactRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action="matching.contact_request").count() == 1


def test_one_request_answered_twice_at_once_is_answered_once(rworld, make_user, hire):
    demand = hire()
    p = seeker(make_user, post=rworld.posts["A1"])
    request = services.contact_request(actor=rworld.hr_a, demand=demand, profile_id=p.pk)

    def answer(i: int) -> None:
        services.contact_answer(actor=p.account, request_id=request.pk, accept=i % 2 == 0)

    assert race(6, answer) == {"ok": 1, "conflict": 5}
    assert AuditEvent.objects.filter(action="matching.contact_answer").count() == 1


def test_searches_from_many_threads_never_show_a_talent_after_the_withdrawal(rworld, make_user, hire):
    demand = hire(skills=[rworld.skills[0]])
    p = seeker(make_user, post=rworld.posts["A1"], skills=[rworld.skills[0]])
    withdrawn = threading.Event()
    leaks: list[int] = []
    errors: list[BaseException] = []

    def search() -> None:
        try:
            for _n in range(15):
                after = withdrawn.is_set()
                found = [m.profile.pk for m in talents_for_demand(demand)]
                if after and p.pk in found:
                    leaks.append(p.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=search) for _i in range(6)]
    for t in threads:
        t.start()
    services.consent_give(actor=p.account, granted=False)
    withdrawn.set()
    for t in threads:
        t.join()
    assert not errors
    assert not leaks
    assert p.pk not in [m.profile.pk for m in talents_for_demand(demand)]
