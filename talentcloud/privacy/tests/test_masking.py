"""Masks as shown on screen and in exports."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from talentcloud.privacy.masking import mask_bank_account


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("6222020000001234", "6222 **** **** 1234"),
        ("6222 0200 0000 1234", "6222 **** **** 1234"),
        ("6222-0200-0000-1234", "6222 **** **** 1234"),
        ("6222020000000001234", "6222 **** **** *** 1234"),
        ("622202000", "6222 * 2000"),
        ("12345678", "********"),
        ("", ""),
        (None, ""),
    ],
)
def test_bank_account_keeps_the_first_and_last_four(value, masked):
    assert mask_bank_account(value) == masked


def test_template_filter():
    rendered = Template("{% load privacy %}{{ v|mask_bank }}").render(Context({"v": "6222020000001234"}))
    assert rendered == "6222 **** **** 1234"
