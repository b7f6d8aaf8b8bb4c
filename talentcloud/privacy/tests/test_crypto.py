from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from talentcloud.common.crypto import DecryptionError, blind_index, decrypt_text, encrypt_text
from talentcloud.privacy import masking
from talentcloud.talents.models import Talent

ID = "32011519850317123X"


def test_round_trip_and_randomised():
    a = encrypt_text(ID, aad=b"col")
    b = encrypt_text(ID, aad=b"col")
    assert a != b
    assert a.startswith("sm4gcm$t1$")
    assert ID not in a
    assert decrypt_text(a, aad=b"col") == ID


def test_ciphertext_is_bound_to_its_column_and_tamper_evident():
    token = encrypt_text(ID, aad=b"talents.Talent.id_number")
    with pytest.raises(DecryptionError):
        decrypt_text(token, aad=b"talents.Talent.phone")
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(DecryptionError):
        decrypt_text(tampered, aad=b"talents.Talent.id_number")


def test_blind_index_is_stable_normalised_and_purpose_separated():
    assert blind_index(ID, purpose="p") == blind_index(" 3201151985-0317123x ", purpose="p")
    assert blind_index(ID, purpose="p") != blind_index(ID, purpose="q")
    assert len(blind_index(ID, purpose="p")) == 64


def test_masks():
    assert masking.mask_id_number(ID) == "3201**********123X"
    assert masking.mask_phone("13812345678") == "138****5678"
    assert masking.mask_email("wang.li@example.cn") == "w***@example.cn"
    assert masking.mask_id_number("") == ""


@pytest.mark.django_db
def test_model_fields_store_ciphertext_and_find_by_index():
    talent = Talent.objects.create(
        name="李四",
        gender="M",
        birth_date=dt.date(1985, 3, 17),
        highest_degree="doctor",
        category="young",
        id_number=ID,
        phone="13812345678",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_index FROM talents_talent WHERE name = %s", ["李四"]
        )
        raw_id, raw_phone, index = cursor.fetchone()
    assert raw_id.startswith("sm4gcm$")
    assert ID not in raw_id
    assert raw_phone.startswith("sm4gcm$")
    assert "13812345678" not in raw_phone
    assert index == blind_index(ID, purpose="talents.Talent.id_number")
    fetched = Talent.objects.get(id_number_index=blind_index(ID.lower(), purpose="talents.Talent.id_number"))
    assert fetched.pk == talent.pk
    assert fetched.id_number == ID
    with pytest.raises(FieldError):
        list(Talent.objects.filter(id_number=ID))
    assert Talent.objects.filter(email__isnull=False).count() == 1
