"""The pages and the API end to end: the office drafts a batch, a second person checks it, finance approves,
exports, downloads the bank file after re-authenticating (audited) and imports the return with one failed
line; the talent sees the payment and the failed line. Bad input is answered at its field."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talentcloud.accounts.tests.factories import PASSWORD
from talentcloud.audit.models import AuditEvent
from talentcloud.payouts.models import Batch, PayoutLine
from talentcloud.talents.models import Talent

from .world import award, pay, return_text, talent, world

pytestmark = pytest.mark.django_db


def test_a_batch_through_the_pages_and_the_api(make_user, kfq_firm, login):
    w = world(make_user, kfq_firm)
    person = talent(kfq_firm, account=make_user("talent", None))
    award(w, person, months=2)
    award(w, talent(kfq_firm), months=2)
    maker, checker, finance = login(w.maker), login(w.checker), login(w.finance)

    bad = maker.post(reverse("payouts:batches"), {"due_by": "not a date"})
    assert bad.status_code == 400
    none_due = maker.post(reverse("payouts:batches"), {"due_by": "2024-01-01"})
    assert none_due.status_code == 400
    assert "截至该日没有到期的发放" in none_due.content.decode()
    drafted = maker.post(reverse("payouts:batches"), {"due_by": "2025-03-31"})
    batch = Batch.objects.get()
    assert drafted.status_code == 302
    assert drafted["Location"] == reverse("payouts:batch", args=[batch.pk])
    page = reverse("payouts:batch", args=[batch.pk])
    maker.post(page, {"action": "recheck", "revision": batch.revision})
    batch.refresh_from_db()
    assert batch.state == "rechecked"
    own = maker.post(page, {"action": "check", "revision": batch.revision})
    assert own.status_code == 403  # the maker cannot check their own batch
    url = f"/api/v1/payouts/batches/{batch.pk}/moves"
    moved = checker.post(url, json.dumps({"action": "check"}), content_type="application/json")
    assert moved.status_code == 200, moved.content
    assert (
        finance.post(url, json.dumps({"action": "approve"}), content_type="application/json").status_code
        == 200
    )
    finance.post(page, {"action": "export", "revision": batch.revision + 2})
    batch.refresh_from_db()
    assert batch.state == "exported"

    download = reverse("payouts:file", args=[batch.pk, "bank"])
    first = finance.get(download)
    assert first.status_code == 302
    assert reverse("accounts:reauth") in first["Location"]
    assert maker.get(download).status_code == 403  # not finance
    finance.post(reverse("accounts:reauth") + "?next=" + download, {"password": PASSWORD})
    got = finance.get(download)
    assert got.status_code == 200
    assert b"key,payee,account" in got.content
    assert AuditEvent.objects.filter(action="payouts.file_download", object_id=str(batch.pk)).count() == 1
    api_file = finance.get(f"/api/v1/payouts/batches/{batch.pk}/files/bank")
    assert api_file.status_code == 200
    assert api_file.json()["content"].startswith("key,payee")
    assert AuditEvent.objects.filter(action="payouts.file_download", object_id=str(batch.pk)).count() == 2
    assert (
        login(w.finance).get(f"/api/v1/payouts/batches/{batch.pk}/files/bank").status_code == 403
    )  # no step-up

    upload = return_text(batch).replace("\n", "\nUNKNOWN,paid,\n", 1)
    refused = finance.post(
        page,
        {
            "action": "import_return",
            "revision": batch.revision,
            "return_file": SimpleUploadedFile("r.csv", upload.encode()),
        },
    )
    assert refused.status_code == 400
    assert "UNKNOWN" in refused.content.decode()
    assert not PayoutLine.objects.filter(status="paid").exists()
    failed_key = PayoutLine.objects.filter(award__talent=person).order_by("period")[0].key
    finance.post(
        page,
        {
            "action": "import_return",
            "revision": batch.revision,
            "return_file": SimpleUploadedFile("r.csv", return_text(batch, {failed_key}).encode()),
        },
    )
    batch.refresh_from_db()
    assert batch.state == "returned"

    mine = login(person.account).get(reverse("payouts:mine"))
    text = mine.content.decode()
    assert mine.status_code == 200
    assert 'data-status="paid"' in text
    assert 'data-status="failed"' in text
    assert "账户已销户" in text
    api = login(person.account).get("/api/v1/payouts/me").json()
    assert sorted(line["status"] for line in api[0]["lines"]) == ["failed", "paid"]
    assert "*" in api[0]["payee_account"]
    budget = maker.get("/api/v1/payouts/budget").json()
    assert budget[0]["paid"] == "2400.00" or float(budget[0]["paid"]) == 2400
    assert maker.get(reverse("payouts:budget")).status_code == 200
    assert login(make_user("talent", None)).get(reverse("payouts:budget")).status_code == 403


def test_the_award_page_resumes_changes_the_account_and_raises_a_recovery(make_user, kfq_firm, login):
    w = world(make_user, kfq_firm)
    person = talent(kfq_firm, account=make_user("talent", None))
    a = award(w, person, months=3)
    award(w, talent(kfq_firm), months=3)
    Talent.objects.filter(pk=person.pk).update(owns_home_in_city=True)
    pay(w, dt.date(2025, 2, 28))
    page = reverse("payouts:award_detail", args=[a.pk])
    maker, checker = login(w.maker), login(w.checker)
    shown = maker.get(page).content.decode()
    assert "已暂停" in shown or "suspended" in shown
    still = maker.post(page, {"do": "resume", "eligible_from": "2025-02-01"})
    assert still.status_code == 400  # the home is still theirs: said at the field
    Talent.objects.filter(pk=person.pk).update(owns_home_in_city=False)
    assert maker.post(page, {"do": "resume", "eligible_from": "2025-02-01"}).status_code == 302
    a.refresh_from_db()
    assert a.status == "active"
    bad = maker.post(page, {"do": "payee", "payee_account": "123", "reason": "换卡"})
    assert bad.status_code == 400
    maker.post(page, {"do": "payee", "payee_account": "6217000099998888777", "reason": "换卡"})
    assert maker.post(page, {"do": "payee_check"}).status_code == 403  # not the checker's permission
    checker.post(page, {"do": "payee_check"})
    a.refresh_from_db()
    assert a.payee_confirmed
    assert a.payee_changes.get().checked_by == w.checker
    refused = maker.post(page, {"do": "recovery", "reason": "left_early", "instalments": 1})
    assert refused.status_code == 400  # no service obligation on this award, no departure day
    maker.post(page, {"do": "recovery", "reason": "fraud", "instalments": 2, "bar_until": "2027-12-31"})
    assert a.recoveries.get().amount == 0  # nothing was paid: January was suspended
    assert login(make_user("park-staff", "320115-P-KFQ")).get(page).status_code == 403


def test_the_payee_changes_their_account_after_typing_the_password_again(make_user, kfq_firm, login):
    w = world(make_user, kfq_firm)
    person = talent(kfq_firm, account=make_user("talent", None))
    a = award(w, person, months=2)
    client = login(person.account)
    url = reverse("payouts:own_account", args=[a.pk])
    first = client.get(url)
    assert first.status_code == 302
    assert reverse("accounts:reauth") in first["Location"]
    client.post(reverse("accounts:reauth"), {"password": PASSWORD})
    assert client.post(url, {"payee_account": "12"}).status_code == 400
    assert client.post(url, {"payee_account": "6217000055554444333"}).status_code == 302
    a.refresh_from_db()
    assert a.payee_account == "6217000055554444333"
    assert not a.payee_confirmed
    assert login(make_user("talent", None)).get(url).status_code == 404  # not theirs
