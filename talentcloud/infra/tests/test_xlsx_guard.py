"""An .xlsx over the row limit or the unpacked-size limit is refused before any row is parsed, with a
message in the uploader's language; a sheet that hides its size is stopped at the first row past the limit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from talentcloud.common.errors import ValidationFailed
from talentcloud.common.models import BackgroundJob
from talentcloud.enterprises.importing import EnterpriseImporter
from talentcloud.infra import sheets
from talentcloud.talents.importing import TalentImporter

from .xlsxgen import xlsx_bytes

HEADER = ["企业名称", "统一社会信用代码", "街道"]


@pytest.fixture
def rows_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the rows openpyxl parses from any sheet."""
    count = [0]
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        for row in original(self, *args, **kwargs):
            count[0] += 1
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return count


def test_a_million_and_a_half_rows_are_refused_before_a_row_is_parsed(rows_read):
    n = 1_500_000
    data = xlsx_bytes(["a", "b"], ((i, i % 7) for i in range(n)), row_count=n)
    with translation.override("zh-hans"), pytest.raises(sheets.ImportFileError) as refused:
        EnterpriseImporter().read(data)
    assert "1,500,000" in str(refused.value)
    assert "100,000" in str(refused.value)
    assert "拆分" in str(refused.value)
    assert rows_read[0] == 0
    with translation.override("en"), pytest.raises(sheets.ImportFileError, match="Split it"):
        EnterpriseImporter().read(data)
    assert rows_read[0] == 0


def test_a_file_that_unpacks_too_large_is_refused_before_a_row_is_parsed(rows_read):
    data = xlsx_bytes(HEADER, [], row_count=0, padding=sheets.MAX_UNPACKED_BYTES + 1)
    assert len(data) < sheets.MAX_BYTES  # small on disk
    with translation.override("en"), pytest.raises(sheets.ImportFileError) as refused:
        EnterpriseImporter().read(data)
    assert "unpacks to 256 MB" in str(refused.value)
    assert rows_read[0] == 0


def test_the_upload_page_refuses_at_once_in_the_users_language(make_user, rows_read):
    office = make_user("talent-office")
    n = sheets.MAX_ROWS + 1
    data = xlsx_bytes(HEADER, (("甲", "91320115MA1X2Y3W4T", "秣陵街道") for _ in range(n)), row_count=n)
    for language, text in (("zh-hans", "该工作表有 100,001 行"), ("en", "The sheet has 100,001 rows")):
        with translation.override(language), pytest.raises(ValidationFailed) as refused:
            sheets.import_start(importer=TalentImporter(), actor=office, filename="t.xlsx", data=data)
        assert text in str(refused.value.fields["file"][0])
    assert not BackgroundJob.objects.exists()
    assert rows_read[0] == 0


def test_a_sheet_without_its_size_stops_at_the_first_row_past_the_limit(rows_read, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_ROWS", 50)
    data = xlsx_bytes(
        HEADER, (("甲", str(i), "秣陵街道") for i in range(5000)), row_count=5000, dimension=False
    )
    with pytest.raises(sheets.ImportFileError):
        EnterpriseImporter().read(data)
    assert rows_read[0] <= 52  # the header, 50 rows, the one past the limit


def test_within_the_limits_the_sheet_is_read_as_before(rows_read):
    data = xlsx_bytes(HEADER, [["南京甲公司", "91320115MA1X2Y3W4T", "秣陵街道"]], row_count=1)
    mapping, body = EnterpriseImporter().read(data)
    assert mapping == {"name": 0, "credit_code": 1, "street": 2}
    assert body == [(2, ("南京甲公司", "91320115MA1X2Y3W4T", "秣陵街道"))]
    assert sheets.sheet_declared_rows(data)[0] == 2


def test_not_a_zip_is_not_an_excel_file():
    with pytest.raises(sheets.ImportFileError):
        sheets.xlsx_guard(b"PK\x03\x04 but not a zip")
