"""The bank account on a case: masked for staff on the case page and in the API; shown in full only with the
unmask permission and a reason (audited), and through the API only after a step-up."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.accounts.services import token_create
from talentcloud.audit.models import AuditEvent
from talentcloud.conftest import totp_code
from talentcloud.servicehall import cases
from talentcloud.servicehall.catalogue import answers_for_display

from .conftest import FORM, PDF

pytestmark = pytest.mark.django_db
ACCOUNT = FORM["bank_account"]  # 6222020000000000
MASKED = "6222 **** **** 0000"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case(catalogue, applicant, private_media):
    service = catalogue["housing-purchase-subsidy"]
    draft = cases.case_draft_save(actor=applicant, service=service, data=FORM, idempotency_key="bank")
    for material in service.current.materials:
        cases.material_add(actor=applicant, case=draft, key=material["key"], upload=PDF, name="m.pdf")
    return cases.case_submit(actor=applicant, service=service, data={}, idempotency_key="bank", case=draft)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_window_staff_see_the_bank_account_masked_on_the_case_page(case, zjj, applicant, login):
    page = login(zjj).get(f"/hall/cases/{case.pk}/").content.decode()
    assert ACCOUNT not in page
    assert MASKED in page
    assert "江宁区某小区" in page  # other answers the department works with stay readable
    assert 'name="reason"' not in page  # no unmask form without the permission
    own = login(applicant).get(f"/hall/cases/{case.pk}/").content.decode()
    assert ACCOUNT in own  # the applicant sees their own answer


def test_unmasking_on_the_page_needs_the_permission_and_a_reason_and_is_audited(case, zjj, make_user, login):
    refused = login(zjj).post(
        f"/hall/cases/{case.pk}/unmask/", {"field": "bank_account", "reason": "核对发放账户"}
    )
    assert refused.status_code == 403
    assert ACCOUNT not in refused.content.decode()
    office = login(make_user("talent-office", "320115-ZZB"))
    page = office.get(f"/hall/cases/{case.pk}/").content.decode()
    assert MASKED in page
    assert 'name="reason"' in page
    no_reason = office.post(
        f"/hall/cases/{case.pk}/unmask/",
        {"field": "bank_account", "reason": ""},
        headers={"HX-Request": "true"},
    )
    assert no_reason.status_code == 200  # the fragment again, with the message (htmx swaps only 2xx)
    assert 'role="alert"' in no_reason.content.decode()
    assert ACCOUNT not in no_reason.content.decode()
    assert not AuditEvent.objects.filter(action="pii.unmask").exists()
    shown = office.post(
        f"/hall/cases/{case.pk}/unmask/",
        {"field": "bank_account", "reason": "核对发放账户"},
        headers={"HX-Request": "true"},
    )
    assert shown.status_code == 200
    assert ACCOUNT in shown.content.decode()
    event = AuditEvent.objects.get(action="pii.unmask")
    assert (event.object_type, event.object_id) == ("servicehall.case", str(case.pk))
    assert event.details == {"field": "form_data.bank_account", "reason": "核对发放账户"}
    # Without htmx the case page comes back with the answer shown.
    full = office.post(f"/hall/cases/{case.pk}/unmask/", {"field": "bank_account", "reason": "再次核对账户"})
    assert full.status_code == 200
    assert ACCOUNT in full.content.decode()
    # Only answers that are ever masked can be asked for.
    assert (
        office.post(
            f"/hall/cases/{case.pk}/unmask/", {"field": "contract_date", "reason": "看看日期"}
        ).status_code
        == 404
    )


def test_the_api_masks_the_bank_account_and_unmasks_after_a_step_up(case, zjj, make_user):
    _t, window = token_create(actor=zjj, name="w", days=30, console=True)
    client = Client()
    answers = client.get(f"/api/v1/hall/cases/{case.pk}/answers", headers=bearer(window))
    assert answers.status_code == 200
    by_key = {row["key"]: row for row in answers.json()}
    assert by_key["bank_account"] == {
        "key": "bank_account",
        "label": by_key["bank_account"]["label"],
        "value": MASKED,
        "masked": True,
    }
    assert ACCOUNT not in answers.content.decode()

    office = make_user("talent-office", "320115-ZZB")
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    _o, office_token = token_create(actor=office, name="o", days=30, console=True)
    url = f"/api/v1/hall/cases/{case.pk}/unmask"
    body = {"field": "bank_account", "reason": "核对发放账户"}
    no_step_up = client.post(url, body, content_type="application/json", headers=bearer(office_token))
    assert no_step_up.status_code == 403
    assert no_step_up.json()["code"] == "step_up_required"
    confirmed = client.post(
        "/api/v1/auth/step-up",
        {"otp": totp_code(device)},
        content_type="application/json",
        headers=bearer(office_token),
    )
    assert confirmed.status_code == 200
    no_reason = client.post(
        url,
        {"field": "bank_account", "reason": ""},
        content_type="application/json",
        headers=bearer(office_token),
    )
    assert no_reason.status_code == 422
    assert set(no_reason.json()["fields"]) == {"reason"}
    shown = client.post(url, body, content_type="application/json", headers=bearer(office_token))
    assert shown.status_code == 200
    assert shown.json() == {"field": "bank_account", "value": ACCOUNT}
    assert AuditEvent.objects.filter(action="pii.unmask", actor_id=office.pk).count() == 1

    # Window staff without the permission: refused even after their own step-up.
    zjj_device = TOTPDevice.objects.create(user=zjj, name="phone", confirmed=True)
    client.post(
        "/api/v1/auth/step-up",
        {"otp": totp_code(zjj_device)},
        content_type="application/json",
        headers=bearer(window),
    )
    refused = client.post(url, body, content_type="application/json", headers=bearer(window))
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert ACCOUNT not in refused.content.decode()


def test_masked_rows_for_display(case):
    rows = {r.key: r for r in answers_for_display(case.version, cases.answers(case), mask_sensitive=True)}
    assert (rows["bank_account"].text, rows["bank_account"].masked) == (MASKED, True)
    assert (rows["house_address"].text, rows["house_address"].masked) == ("****", True)
    assert rows["contract_date"].masked is False
