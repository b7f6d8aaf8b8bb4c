"""Model fields for personal data: ``EncryptedTextField`` (SM4-GCM at rest) and ``BlindIndexField``.

    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_index = BlindIndexField(source="id_number")

The encrypted column holds only ciphertext; Python code sees plain text. Lookups on it are refused (the
ciphertext is randomised); look values up through the blind index instead:
``Talent.objects.filter(id_number_index=blind_index(value, purpose="talents.Talent.id_number"))``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from talentcloud.common.crypto import blind_index, decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    description = "Text encrypted with SM4-GCM"

    def aad(self) -> bytes:
        return f"{self.model._meta.label}.{self.name}".encode()

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value, aad=self.aad())

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        return encrypt_text(str(value), aad=self.aad())

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted: use its blind index for lookups, not {lookup_name!r}"
            )
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):
    """HMAC-SM3 of another field's value, computed whenever the row is saved (also by bulk_create)."""

    def __init__(self, *args: Any, source: str, **kwargs: Any):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("blank", True), ("editable", False), ("db_index", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def purpose(self) -> str:
        return f"{self.model._meta.label}.{self.source}"

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        raw = getattr(model_instance, self.source)
        value = blind_index(raw, purpose=self.purpose()) if raw else ""
        setattr(model_instance, self.attname, value)
        return value
