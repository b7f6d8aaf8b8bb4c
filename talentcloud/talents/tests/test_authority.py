"""Facts from an authoritative system's export: verified, applied, all or nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from talentcloud.talents.authority import FileFactAdapter, facts_import
from talentcloud.talents.models import FactRecord, Talent
from talentcloud.talents.selectors import fact_verified

pytestmark = pytest.mark.django_db
ID = "320115198503171233"
CSV = (
    "证件号码,事项,值,截至日期\n"
    "{id},social_insurance_since,2019-07-01,2026-11-01\n"
    "{id},owns_home_in_city,否,2026-11-01\n"
    "11010519491231002X,highest_degree,博士,2026-11-01\n"
)


@pytest.fixture
def talent(units):
    return Talent.objects.create(
        name="王小明",
        gender="M",
        birth_date=dt.date(1985, 3, 17),
        highest_degree="master",
        category="young",
        id_number=ID,
    )


def test_authoritative_facts_are_verified_and_applied(talent):
    adapter = FileFactAdapter(
        data=CSV.format(id=ID).encode(), filename="si.csv", source_name="social_insurance"
    )
    report = facts_import(adapter=adapter)
    assert (report.rows, report.applied, report.unknown_people, report.errors) == (3, 2, 1, [])
    talent.refresh_from_db()
    assert talent.social_insurance_since == dt.date(2019, 7, 1)
    assert talent.owns_home_in_city is False
    assert fact_verified(talent, "social_insurance_since")
    assert FactRecord.objects.get(key="social_insurance_since").source == "authority"


def test_a_bad_row_saves_nothing_and_is_named(talent, tmp_path):
    bad = CSV.format(id=ID).replace("2019-07-01", "2019-13-01")
    path = tmp_path / "si.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError, match="row 2"):
        call_command("facts", "import", str(path), "--source", "social_insurance")
    talent.refresh_from_db()
    assert talent.social_insurance_since is None
    assert not FactRecord.objects.exists()
    path.write_text(CSV.format(id=ID), encoding="utf-8")
    out = io.StringIO()
    call_command("facts", "import", str(path), "--source", "social_insurance", stdout=out)
    assert "2 facts applied" in out.getvalue()
