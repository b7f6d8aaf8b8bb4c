"""Text in the reader's language: notifications and the notes the system writes on a case are stored as codes
and parameters and put into words when read, in the reader's language; e-mail and SMS that the worker writes
are in the recipient's preferred language, kept when they switch."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from talentcloud.accounts import sms
from talentcloud.accounts.models import User
from talentcloud.accounts.services import language_set
from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import ValidationFailed
from talentcloud.notifications.events import render
from talentcloud.notifications.models import Delivery, Notification
from talentcloud.notifications.services import notify, preference_set
from talentcloud.notifications.texts import MARKER, CodedText, params_encode
from talentcloud.policies.prepared import prepared_case
from talentcloud.policies.sweep import sweep
from talentcloud.policies.tests.test_sweep import ON, population
from talentcloud.servicehall.enums import RatingLevel
from talentcloud.servicehall.models import Case, CaseEvent, Service
from talentcloud.servicehall.seed import catalogue_install

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean():
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()


def in_language(client: Client, language: str) -> Client:
    client.cookies["tc_language"] = language
    return client


def test_a_notice_written_in_one_language_is_read_in_the_other(make_user, login, units):
    catalogue_install()
    service = Service.objects.get(code="rental-subsidy")
    service.name_en = "Talent rental subsidy"
    service.save()
    user = make_user("talent", None)
    with translation.override("en"):  # written by an English process: nothing of it is kept in English
        notify(recipient=user, event="case.accepted", params={"number": "N-1", "service": service, "due": ON})
    notice = Notification.objects.get(recipient=user)
    assert notice.params == {
        "number": "N-1",
        "service": {"each": {"zh-hans": service.name, "en": "Talent rental subsidy"}},
        "due": "2026-06-01",
    }
    client = login(user)
    chinese = in_language(client, "zh-hans").get("/inbox/").content.decode()
    assert "已受理" in chinese
    assert service.name in chinese
    assert "accepted" not in chinese
    english = in_language(client, "en").get("/inbox/").content.decode()
    assert "Case N-1 accepted" in english
    assert "Talent rental subsidy" in english
    assert "2026-06-01" in english
    assert "已受理" not in english
    # The API too, in the request's language.
    [item] = in_language(client, "en").get("/api/v1/notifications").json()["items"]
    assert item["title"] == "Case N-1 accepted"
    assert item["event"] == "case.accepted"
    [item] = in_language(client, "zh-hans").get("/api/v1/notifications").json()["items"]
    assert "已受理" in item["title"]


def test_words_of_the_catalogue_are_kept_as_message_ids(make_user):

    head = make_user("talent", None)
    with translation.override("zh-hans"):
        notify(
            recipient=head,
            event="rating.poor",
            params={"number": "N-2", "service": "x", "level": RatingLevel(1).label},
        )
    notice = Notification.objects.get()
    assert notice.params is not None
    assert notice.params["level"] == {"msgid": "Very dissatisfied (非常不满意)"}
    with translation.override("en"):
        assert "was rated Very dissatisfied (非常不满意)" in notice.display_body
    with translation.override("zh-hans"):
        chinese = notice.display_body
    assert chinese == "办件 N-2（x）被评为“非常不满意”，已生成整改事项。"


def test_rows_from_before_keep_their_text_and_bad_parameters_fall_back(make_user, login):
    user = make_user("talent", None)
    old = Notification.objects.create(recipient=user, event="case.answered", title="旧标题", body="旧正文")
    client = login(user)
    for language in ("en", "zh-hans"):
        page = in_language(client, language).get("/inbox/").content.decode()
        assert "旧标题" in page
        assert "旧正文" in page
    old.params = {"number": "N-3"}  # a parameter the event's text needs is missing: the stored text stands
    old.save()
    assert old.rendered() == ("旧标题", "旧正文")
    retired = Notification.objects.create(
        recipient=user, event="retired.event", params={"x": 1}, title="留存", body="留存正文"
    )
    assert retired.rendered() == ("留存", "留存正文")
    with pytest.raises(KeyError):
        notify(recipient=user, event="no.such.event", params={})


def test_the_worker_writes_sms_and_email_in_the_recipients_language(
    make_user, django_capture_on_commit_callbacks
):
    english = make_user("talent", None)
    english.preferred_language = "en"
    english.save()
    chinese = make_user("talent", None)  # never switched: the platform's default, Chinese
    for user, phone in ((english, "13912345678"), (chinese, "13912345679")):
        preference_set(actor=user, email=True, sms=True, email_address=f"{phone}@example.cn", phone=phone)
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        for user in (english, chinese):
            params = {"number": "N-4", "service": "人才租房补贴"}
            notify(recipient=user, event="case.submitted", params=params)
    texts = dict(sms.outbox)
    assert texts["13912345678"] == (
        "【人才云】Your application for 人才租房补贴 has been received as case N-4."
    )
    assert texts["13912345679"] == "【人才云】您申请的“人才租房补贴”已收到，办件编号 N-4。"
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["13912345678@example.cn"] == "Case N-4 received"
    assert subjects["13912345679@example.cn"] == "办件 N-4 已收到"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_the_switch_keeps_a_signed_in_persons_language(make_user, login, django_capture_on_commit_callbacks):
    user = make_user("talent", None)
    assert user.language == "zh-hans"
    client = login(user)
    answer = client.post("/i18n/setlang/", {"language": "en", "next": "/inbox/"})
    assert answer.status_code == 302
    assert answer.cookies["tc_language"].value == "en"
    user.refresh_from_db()
    assert (user.preferred_language, user.language) == ("en", "en")
    assert AuditEvent.objects.filter(action="account.language", actor_id=user.pk).count() == 1
    client.post("/i18n/setlang/", {"language": "en", "next": "/inbox/"})  # the same again: no new event
    assert AuditEvent.objects.filter(action="account.language", actor_id=user.pk).count() == 1
    client.post("/i18n/setlang/", {"language": "fr", "next": "/inbox/"})  # not a language of the platform
    user.refresh_from_db()
    assert user.preferred_language == "en"
    # The SMS the worker writes now follows the choice.
    preference_set(actor=user, email=False, sms=True, email_address="", phone="13912345670")
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, event="case.answered", params={"number": "N-5", "service": "x"})
    assert "has an answer" in sms.outbox[-1][1]
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/inbox/"})
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"
    # Signed out, the switch only sets the cookie.
    anonymous = Client()
    assert anonymous.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert not User.objects.filter(preferred_language="en").exists()


def test_a_language_outside_the_platform_is_refused_by_the_service(make_user):

    user = make_user("talent", None)
    with pytest.raises(ValidationFailed) as refused:
        language_set(actor=user, language="fr")
    assert "language" in refused.value.fields
    user.refresh_from_db()
    assert user.preferred_language == ""


def test_a_prepared_case_and_its_notice_read_in_the_readers_language(kfq_firm, make_user, login):
    verified, _declared = population(kfq_firm, make_user)
    with translation.override("en"):  # a sweep in an English process writes nothing in English for good
        sweep(on=ON)
        prepared_case(viewer=verified.account, code="annual-health-check")  # opened in English, too
    [case] = Case.objects.filter(service__code="health-check")
    stored = CaseEvent.objects.filter(case=case).values_list("note", flat=True)
    with translation.override("zh-hans"):
        [note] = list(CaseEvent.objects.filter(case=case).values_list("note", flat=True))
    assert "人才年度健康体检" in note
    assert "Opened by" not in note
    with translation.override("en"):
        [note] = list(stored.all())
    assert "Opened by 免申即享" in note
    assert "Annual health check" in note
    client = login(verified.account)
    english = in_language(client, "en").get(f"/hall/cases/{case.pk}/").content.decode()
    assert "Annual health check" in english
    chinese = in_language(client, "zh-hans").get(f"/hall/cases/{case.pk}/").content.decode()
    assert "人才年度健康体检" in chinese
    assert "Opened by" not in chinese
    inbox = in_language(client, "en").get("/inbox/").content.decode()
    assert "An application for Annual health check is ready for you" in inbox
    inbox = in_language(client, "zh-hans").get("/inbox/").content.decode()
    assert "人才年度健康体检" in inbox
    assert "is ready for you" not in inbox


def test_a_typed_note_is_kept_as_typed_and_cannot_pose_as_a_coded_one(kfq_firm, make_user):
    verified, _declared = population(kfq_firm, make_user)
    sweep(on=ON)
    prepared_case(viewer=verified.account, code="annual-health-check")
    case = Case.objects.filter(service__code="health-check").get()
    forged = MARKER + '{"code": "case.overdue", "params": {"due": "2000-01-01"}}'
    typed = CaseEvent.objects.create(case=case, action="note", note=forged)
    plain = CaseEvent.objects.create(case=case, action="note", note="请补充身份证复印件")
    overdue = CaseEvent.objects.create(case=case, action="escalate", note=CodedText("case.overdue", due=ON))
    with translation.override("en"):
        rows = CaseEvent.objects.filter(pk__in=[typed.pk, plain.pk, overdue.pk])
        notes = dict(rows.values_list("pk", "note"))
        assert str(overdue.note) == "Overdue: the deadline was 2026-06-01."
    assert notes[typed.pk] == forged.lstrip("\x1e")  # shown as typed, less the control character
    assert notes[plain.pk] == "请补充身份证复印件"
    assert notes[overdue.pk] == "Overdue: the deadline was 2026-06-01."
    with translation.override("zh-hans"):
        assert CaseEvent.objects.get(pk=overdue.pk).note == "已超期：办理期限为 2026-06-01。"
    with pytest.raises(KeyError):
        CodedText("no.such.note")


def test_parameters_are_stored_as_codes():

    assert params_encode({"n": 3, "amount": Decimal("30000.00"), "on": ON, "s": "x", "none": None}) == {
        "n": 3,
        "amount": "30000",
        "on": "2026-06-01",
        "s": "x",
        "none": None,
    }
    assert params_encode({"at": dt.datetime(2026, 6, 1, 8, 30)}) == {"at": "2026-06-01T08:30:00"}


def test_the_migration_gives_parameters_only_to_rows_it_can_recover_exactly(kfq_firm, make_user):

    migration = importlib.import_module("talentcloud.notifications.migrations.0002_notification_params")
    verified, _declared = population(kfq_firm, make_user)
    sweep(on=ON)
    prepared_case(viewer=verified.account, code="annual-health-check")
    case = Case.objects.filter(service__code="health-check").get()
    Case.objects.filter(pk=case.pk).update(number="320115-20260601-00009")
    user = case.applicant
    url = f"/hall/cases/{case.pk}/"
    name = case.service.name
    exact_zh = Notification.objects.create(
        recipient=user,
        event="case.answered",
        url=url,
        title="办件 320115-20260601-00009 已答复",
        body=f"办件 320115-20260601-00009（{name}）已答复，请查看并评价服务。",
    )
    with translation.override("en"):
        title, body = render("case.submitted", {"number": "320115-20260601-00009", "service": name})
    exact_en = Notification.objects.create(  # written by a process whose catalogue was missing
        recipient=user, event="case.submitted", url=url, title=title, body=body
    )
    CaseEvent.objects.create(case=case, action="return", note=" 请补充学历证明 ")
    returned = Notification.objects.create(
        recipient=user,
        event="case.returned",
        url=url,
        title="办件 320115-20260601-00009 需补正材料",
        body="x",
    )
    with translation.override("zh-hans"):
        params = {"number": "320115-20260601-00009", "service": name, "note": "请补充学历证明"}
        returned.title, returned.body = render("case.returned", params)
    returned.save()
    edited = Notification.objects.create(  # not what the parameters give: keeps its text
        recipient=user, event="case.answered", url=url, title="办件已答复", body="请查看。"
    )
    elsewhere = Notification.objects.create(  # no case behind the link
        recipient=user, event="case.new", url="/hall/work/", title="新办件", body="x"
    )
    other = Notification.objects.create(
        recipient=user, event="policy.granted", url="/p/", title="t", body="b"
    )
    migration.recover_params(apps, None)
    for row in (exact_zh, exact_en, returned, edited, elsewhere, other):
        row.refresh_from_db()
    names = {"zh-hans": name, "en": case.service.name_en or name}
    assert exact_zh.params == {"number": "320115-20260601-00009", "service": {"each": names}}
    assert exact_en.params == exact_zh.params
    assert returned.params == {**exact_zh.params, "note": "请补充学历证明"}
    assert (edited.params, elsewhere.params, other.params) == (None, None, None)
    with translation.override("zh-hans"):
        assert exact_en.display_title == "办件 320115-20260601-00009 已收到"
