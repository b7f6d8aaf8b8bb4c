from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_2

from talentcloud.common import validators as v


def with_check(first17: str) -> str:
    return first17 + mod_11_2.calc_check_digit(first17)


def code_of(func, value: str) -> str:
    with pytest.raises(ValidationError) as exc:
        func(value)
    return exc.value.code or ""


def test_area_code_newer_than_birth_year_is_accepted():
    # 320115 (Jiangning District) dates from 2000; people born before then carry it after re-issue.
    number = with_check("32011519850317123")
    assert v.validate_resident_id(number) == number


def test_classic_valid_number_with_x():
    assert v.validate_resident_id("11010519491231002x") == "11010519491231002X"


def test_each_failure_has_its_own_message():
    good = with_check("32011519850317123")
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert code_of(v.validate_resident_id, wrong_check) == "bad_check_digit"
    assert code_of(v.validate_resident_id, with_check("32011519850230123")) == "bad_date"
    assert code_of(v.validate_resident_id, good[:17]) == "bad_length"
    assert code_of(v.validate_resident_id, "3201151985031712A4") == "bad_format"
    assert code_of(v.validate_resident_id, with_check("32011522000101123")) == "bad_date"
    messages = set()
    for bad in (wrong_check, with_check("32011519850230123"), good[:17]):
        with pytest.raises(ValidationError) as exc:
            v.validate_resident_id(bad)
        messages.add(exc.value.messages[0])
    assert len(messages) == 3


def test_messages_in_chinese_and_english():
    with pytest.raises(ValidationError) as exc:
        v.validate_resident_id("123")
    # Messages are lazy: rendered in the language of the request that shows them.
    with translation.override("en"):
        english = exc.value.messages[0]
    with translation.override("zh-hans"):
        chinese = exc.value.messages[0]
    assert english == "A resident ID number has 18 characters; this one has 3."
    assert chinese == "居民身份证号码应为 18 位，当前为 3 位。"


def test_foreign_permanent_resident_id_2023():
    number = with_check("93215619900101001")
    assert v.validate_foreign_permanent_resident_id(number) == number
    assert code_of(v.validate_resident_id, number) == "wrong_type"
    assert code_of(v.validate_foreign_permanent_resident_id, with_check("13215619900101001")) == "bad_format"


@pytest.mark.parametrize("area", ["810000", "820000", "830000"])
def test_hmt_residence_permits(area):
    number = with_check(f"{area}19880808001")
    assert v.validate_hmt_residence_permit(number) == number
    assert code_of(v.validate_resident_id, number) == "wrong_type"


def test_passport():
    assert v.validate_passport("E12345678") == "E12345678"
    assert code_of(v.validate_passport, "E12") == "bad_format"
    assert code_of(v.validate_passport, "E1234 567$") == "bad_format"


def test_credit_code_accepts_n_prefixed_and_rejects_bad_check():

    body = "N2320115MA1X2Y3W4"
    n_code = body + uscc.calc_check_digit(body)
    assert v.validate_credit_code(n_code) == n_code
    good = "91320115MA1X2Y3W4"
    good += uscc.calc_check_digit(good)
    assert v.validate_credit_code(good.lower()) == good
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert code_of(v.validate_credit_code, wrong) == "bad_check_digit"
    assert code_of(v.validate_credit_code, good[:16]) == "bad_length"
    assert code_of(v.validate_credit_code, good[:17] + "I") == "bad_format"


def test_mobile():
    assert v.validate_mobile("+86 138-0013-8000") == "13800138000"
    assert code_of(v.validate_mobile, "1380013800") == "bad_length"
    assert code_of(v.validate_mobile, "12800138000") == "bad_prefix"
    assert code_of(v.validate_mobile, "1380013800a") == "bad_format"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_any_wrong_check_digit_is_refused(first17):
    right = mod_11_2.calc_check_digit(first17)
    for other in "0123456789X":
        if other != right:
            with pytest.raises(ValidationError):
                v.validate_resident_id(first17 + other)
