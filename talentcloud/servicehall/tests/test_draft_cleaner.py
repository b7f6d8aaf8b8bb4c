"""``catalogue.draft_cleaner``: the checks of many prepared drafts with the form built once agree with
``form_data_clean`` on a draft, answer for answer, errors included."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from talentcloud.common.errors import ValidationFailed
from talentcloud.servicehall.catalogue import draft_cleaner, form_data_clean

VERSION = SimpleNamespace(
    form_fields=[
        {"key": "name", "label": "名称", "type": "text", "required": True},
        {"key": "employees", "label": "职工人数", "type": "number", "required": True},
        {"key": "founded", "label": "成立日期", "type": "date"},
        {"key": "kind", "label": "类型", "type": "choice", "choices": ["科技型", "制造业"]},
        {"key": "listed", "label": "是否上市", "type": "yes_no"},
        {"key": "note", "label": "说明", "type": "textarea"},
    ]
)

CASES = [
    {},
    {"name": "  江宁科技  ", "employees": 120},
    {"employees": "1234.5", "founded": "2019-03-01", "kind": "科技型", "listed": "no", "note": "a\nb"},
    {"employees": None, "founded": None},
    {"employees": "many"},
    {"founded": "2019-13-01", "kind": "服务业"},
    {"listed": "maybe", "unknown": 1},
    {"name": "x" * 201},
]


def _outcome(clean, data):
    try:
        return clean(data)
    except ValidationFailed as exc:
        return ("refused", {k: [str(m) for m in v] for k, v in exc.fields.items()})


@pytest.mark.parametrize("data", CASES)
def test_many_drafts_are_checked_as_one_draft_is(data):
    once = draft_cleaner(VERSION)  # type: ignore[arg-type]
    expected = _outcome(lambda d: form_data_clean(VERSION, d, complete=False), data)  # type: ignore[arg-type]
    assert _outcome(once, data) == expected
    assert _outcome(once, data) == expected  # the same checker, used again
