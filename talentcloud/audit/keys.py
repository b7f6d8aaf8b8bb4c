"""Keys of the audit chain's seals: HMAC-SM3 keys the database owner cannot read (they live in the
application's environment, ``TALENTCLOUD_AUDIT_SEAL_KEYS`` / ``TALENTCLOUD_AUDIT_SEAL_ACTIVE_KEY``).

A seal records the id of the key it was made with ("" for the plain SM3 seals made before keys existed), so
old seals still verify and the key can be rotated: add the new key, make it active, keep the old one.
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9]{1,16}$")
MIN_KEY_BYTES = 32


def parse_seal_keys(spec: str) -> dict[str, bytes]:
    """``"a1:BASE64,a2:BASE64"`` → {"a1": b"...", ...}; each key at least 32 bytes."""
    keys: dict[str, bytes] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key_id, _sep, encoded = part.partition(":")
        if not KEY_ID_PATTERN.match(key_id):
            raise ImproperlyConfigured(f"bad audit seal key id {key_id!r}: 1-16 letters or digits")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise ImproperlyConfigured(f"audit seal key {key_id!r} is not base64") from exc
        if len(raw) < MIN_KEY_BYTES:
            raise ImproperlyConfigured(f"audit seal key {key_id!r} must be at least {MIN_KEY_BYTES} bytes")
        keys[key_id] = raw
    return keys


@lru_cache(maxsize=4)
def _keys(spec: str, active: str) -> tuple[dict[str, bytes], str]:
    keys = parse_seal_keys(spec)
    if keys and active not in keys:
        raise ImproperlyConfigured(
            f"TALENTCLOUD_AUDIT_SEAL_ACTIVE_KEY {active!r} is not among TALENTCLOUD_AUDIT_SEAL_KEYS"
        )
    if active and not keys:
        raise ImproperlyConfigured(
            "TALENTCLOUD_AUDIT_SEAL_ACTIVE_KEY is set but TALENTCLOUD_AUDIT_SEAL_KEYS is not"
        )
    return keys, active


def active_seal_key_id() -> str:
    """The key id new seals use; "" when no key is configured (the demo: plain SM3 seals)."""
    return _keys(settings.AUDIT_SEAL_KEYS, settings.AUDIT_SEAL_ACTIVE_KEY)[1]


def seal_key(key_id: str) -> bytes:
    keys = _keys(settings.AUDIT_SEAL_KEYS, settings.AUDIT_SEAL_ACTIVE_KEY)[0]
    try:
        return keys[key_id]
    except KeyError:
        raise ImproperlyConfigured(
            f"audit seal key {key_id!r} is not configured (TALENTCLOUD_AUDIT_SEAL_KEYS)"
        ) from None


def hmac_sm3_hex(key_id: str, data: bytes) -> str:
    mac = hmac.HMAC(seal_key(key_id), hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()
