"""``common.bulk.rows_insert``: rows that share most of their columns written in one pass (COPY on
PostgreSQL, ``bulk_create`` elsewhere) read back as the ORM wrote them."""

from __future__ import annotations

import pytest
from django.db import connection

from talentcloud.common.bulk import rows_insert
from talentcloud.notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db


def test_rows_share_the_fixed_columns_and_keep_their_own(make_user):
    first, second = make_user("talent", None), make_user("talent", None)
    awkward = "a\ttab, a\nnew line, a \\ backslash, a\r return and \\N"
    params = {"policy": {"each": {"zh-hans": "购房补贴", "en": "Home purchase"}}, "amount": "100.5"}
    keys = rows_insert(
        Notification,
        {"event": "case.answered", "params": params, "title": "标题"},
        ["recipient_id", "url", "body"],
        [(first.pk, "/a/", awkward), (second.pk, "", "正文")],
        ids=True,
    )
    rows = {n.pk: n for n in Notification.objects.all()}
    assert list(rows) == sorted(keys, reverse=True)  # newest first: the keys are the rows', in order
    one, two = rows[keys[0]], rows[keys[1]]
    assert (one.recipient_id, one.url, one.body) == (first.pk, "/a/", awkward)
    assert (two.recipient_id, two.url, two.body) == (second.pk, "", "正文")
    assert one.params == two.params == params
    assert one.event == two.event == "case.answered"
    assert one.title == "标题"
    assert one.created_at is not None  # auto_now_add
    assert one.read_at is None  # the field's default


def test_an_encrypted_column_is_encrypted_per_row_and_nothing_is_returned_unasked(make_user):
    first, second = make_user("talent", None), make_user("talent", None)
    assert rows_insert(Preference, {"email": True}, ["user_id", "phone"], []) == []
    made = rows_insert(
        Preference, {"email": True}, ["user_id", "phone"], [(first.pk, "13912345678"), (second.pk, "")]
    )
    assert made == []
    assert Preference.objects.get(user=first).phone == "13912345678"
    assert Preference.objects.get(user=second).phone == ""
    assert Preference.objects.get(user=first).email is True
    assert Preference.objects.get(user=first).sms is True  # the field's default
    with connection.cursor() as cursor:
        table = Preference._meta.db_table
        cursor.execute(f"SELECT phone FROM {table} WHERE user_id = %s", [first.pk])  # noqa: S608 (model's name)
        (stored,) = cursor.fetchone()
    assert stored
    assert "13912345678" not in stored
