from __future__ import annotations

import io
import random
import re
import unicodedata
from typing import Any

import pytest
from django.contrib.auth import password_validation
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import uscc

from talentcloud.accounts.models import ApiToken, OrgUnit, User
from talentcloud.accounts.permissions import has_perm
from talentcloud.campaigns.models import JobApplication
from talentcloud.demo import reference as ref
from talentcloud.demo.seed import DEMO_ACCOUNTS, generate_password, seed_all, seed_population
from talentcloud.enterprises.models import Enterprise
from talentcloud.payouts.models import Award as LedgerAward
from talentcloud.payouts.models import Bar, Batch, PayeeChange, PayoutLine, Posting, Recovery
from talentcloud.policies.permissions import PolicyPerm
from talentcloud.programs.models import Application, Award, Draw, Publicity
from talentcloud.servicehall.models import Case, Rating
from talentcloud.stations.models import Lead
from talentcloud.talents.models import Contact, Need, Talent

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple[str, str, str]]:
    return sorted(
        (str(t.pk), t.name, t.employer.credit_code if t.employer else "")
        for t in Talent.objects.select_related("employer")
    )


def test_seed_is_deterministic():
    seed_all(talents=60, seed=7)
    first = snapshot()
    Award.objects.all().delete()  # programme awards first: they point at the ledger's
    for payouts in (Posting, Bar, Recovery, PayoutLine, Batch, PayeeChange, LedgerAward):  # the ledger's year
        payouts.objects.all().delete()
    Posting.objects.all().delete()  # the ledger: programme approvals and the payouts' year are awards too
    Bar.objects.all().delete()
    Recovery.objects.all().delete()
    PayoutLine.objects.all().delete()
    Batch.objects.all().delete()
    LedgerAward.objects.all().delete()
    Publicity.objects.all().delete()
    Draw.objects.all().delete()
    Application.objects.all().delete()
    JobApplication.objects.all().delete()
    Rating.objects.all().delete()
    Case.objects.all().delete()
    Need.objects.all().delete()
    Contact.objects.all().delete()
    Lead.objects.all().delete()
    Talent.objects.all().delete()
    Enterprise.objects.all().delete()

    seed_population(talents=60, seed=7, units={u.code: u for u in OrgUnit.objects.all()})
    assert snapshot() == first


def test_seed_uses_real_jiangning_units_and_valid_codes():
    seed_all(talents=90, seed=3)
    street_names = {name for _c, name, _e, _r in ref.STREETS}
    assert street_names <= set(OrgUnit.objects.values_list("name", flat=True))
    assert OrgUnit.objects.get(code="320115").name == "南京市江宁区"
    for enterprise in Enterprise.objects.all():
        assert uscc.is_valid(enterprise.credit_code), enterprise.credit_code
        assert enterprise.address.startswith("南京市江宁区")
        road = enterprise.address.removeprefix("南京市江宁区")
        assert any(road.startswith(r) for _c, _n, _e, roads in ref.STREETS for r in roads)
    assert Talent.objects.count() == 90
    # Every demo account exists; staff have a confirmed second factor, talents and HR do not need one.
    for username, _d, role, _u in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.roles.get().code == role
        assert user.is_demo
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists() == user.requires_second_factor
    assert Talent.objects.filter(account__username="talent").count() == 1
    # A second office account publishes policy drafts (four eyes on a 待遇 change); the office does not.
    head = User.objects.get(username="office-head")
    assert head.requires_second_factor
    assert has_perm(head, PolicyPerm.PUBLISH)
    assert not has_perm(User.objects.get(username="office"), PolicyPerm.PUBLISH)


def test_demo_prints_working_logins_and_otp_codes():
    out = io.StringIO()
    call_command("demo", "--no-serve", "--talents", "30", stdout=out)
    text = out.getvalue()
    assert "人才云演示" in text  # whoever runs it reads Chinese or English: both are printed
    rows = [line for line in text.splitlines() if re.search(r"\w{5}-\w{5}-\w{5}", line)]
    line = next(line for line in rows if line.startswith("office "))
    assert "人才办" in line
    assert "Talent office" in line
    password = re.findall(r"\w{5}-\w{5}-\w{5}", line)[0]
    # The password column lines up in a terminal, where a Chinese character takes two columns.
    starts = {_width(row[: row.index(re.findall(r"\w{5}-\w{5}-\w{5}", row)[0])]) for row in rows}
    assert len(starts) == 1, starts
    code_out = io.StringIO()
    call_command("otp", "office", stdout=code_out)
    code = code_out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "office", "password": password})["Location"]
        == "/accounts/2fa/"
    )
    assert client.post("/accounts/2fa/", {"code": code}).status_code == 302
    assert "人才" in client.get("/talents/").content.decode()


def test_otp_command_refuses_real_accounts(make_user):

    user = make_user("talent-office", "320115-ZZB", username="real.person")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="only demo accounts"):
        call_command("otp", "real.person")


def test_user_create_command_reads_password_from_stdin(units, monkeypatch):

    monkeypatch.setattr("sys.stdin", io.StringIO("Console-Pass-2026\n"))
    call_command(
        "user",
        "create",
        "--username",
        "ops.li",
        "--role",
        "park-staff",
        "--unit",
        "320115-P-KFQ",
        stdout=io.StringIO(),
    )
    user = User.objects.get(username="ops.li")
    assert user.check_password("Console-Pass-2026")
    assert user.unit is not None
    assert user.unit.code == "320115-P-KFQ"
    monkeypatch.setattr("sys.stdin", io.StringIO("weak\n"))
    with pytest.raises(CommandError, match="password"):
        call_command(
            "user", "create", "--username", "ops.wang", "--role", "park-staff", "--unit", "320115-P-KFQ"
        )
    with pytest.raises(CommandError, match="unknown role"):
        call_command("user", "create", "--username", "ops.x", "--role", "nope")


def test_token_create_command_prints_a_working_token(make_user):
    make_user("talent-office", "320115-ZZB", username="etl.bot")
    out = io.StringIO()
    call_command("token", "create", "--username", "etl.bot", "--days", "5", stdout=out)
    token = out.getvalue().strip()
    assert ApiToken.objects.filter(user__username="etl.bot").count() == 1
    assert (
        Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["username"]
        == "etl.bot"
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class _Scripted(random.Random):
    """Draws the given characters in order: the first password is one that CI drew for ``prog-talent-9``."""

    def __init__(self, text: str) -> None:
        super().__init__(0)
        self._chars = iter(text)

    def choice(self, seq: Any) -> Any:
        return next(self._chars, None) or super().choice(seq)


def test_a_demo_password_is_never_too_similar_to_its_username():
    drawn = "r2ovTPnGZh9E29A"  # 'r2ovT-PnGZh-9E29A': Django's check finds it 0.73 like 'prog-talent-9'
    password = generate_password("prog-talent-9", rng=_Scripted(drawn))
    assert password != "r2ovT-PnGZh-9E29A"
    password_validation.validate_password(password, User(username="prog-talent-9"))
    assert generate_password(rng=_Scripted(drawn)) == "r2ovT-PnGZh-9E29A"  # no username: nothing to be like
