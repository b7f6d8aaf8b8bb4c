"""Bank file layouts. The platform writes one documented CSV (``GENERIC``, docs/operations.md "Payment
batches"): one row per payout line, its idempotency key first; the bank's return is ``key,status,note`` with
status ``paid`` or ``failed``. A bank with its own layout is a small adapter: a ``BankFormat`` with ``write``
and ``read``. Amounts are gross: income tax is not withheld here."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from talentcloud.common.errors import ValidationFailed

BANK_COLUMNS = ("key", "payee", "account", "amount", "policy", "period")
RETURN_COLUMNS = ("key", "status", "note")
PAID, FAILED = "paid", "failed"
MAX_RETURN_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class BankRow:
    key: str
    payee: str
    account: str
    amount: Decimal
    policy: str
    period: str


@dataclass(frozen=True)
class ReturnRow:
    number: int  # the row's number in the file (the header is row 1)
    key: str
    status: str
    note: str


class BankFormat:
    name = "generic-csv"

    def write(self, rows: list[BankRow]) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(BANK_COLUMNS)
        for r in rows:
            # A cell a spreadsheet would run as a formula is quoted with a leading apostrophe.
            writer.writerow(
                [_cell(v) for v in (r.key, r.payee, r.account, f"{r.amount:.2f}", r.policy, r.period)]
            )
        return out.getvalue()

    def read(self, text: str) -> list[ReturnRow]:
        """The bank's return, checked row by row: every problem is named by its row before anything is
        applied."""
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header[:3]] != list(RETURN_COLUMNS):
            raise ValidationFailed(
                fields={"return_file": [_("The first row must be the columns key, status, note.")]}
            )
        rows: list[ReturnRow] = []
        problems: list[Any] = []
        seen: set[str] = set()
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            cells = [*cells, "", ""][:3]
            key, status, note = (c.strip() for c in cells)
            if status not in (PAID, FAILED):
                problems.append(_("Row %(row)s: the status must be paid or failed.") % {"row": number})
            elif key in seen:
                problems.append(
                    _("Row %(row)s: the line %(key)s appears twice.") % {"row": number, "key": key}
                )
            seen.add(key)
            rows.append(ReturnRow(number, key, status, note[:200]))
        if problems:
            raise ValidationFailed(fields={"return_file": problems})
        return rows


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


GENERIC = BankFormat()
