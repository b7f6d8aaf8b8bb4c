"""Keys for personal data: SM4 data keys (by id, for rotation) and the HMAC-SM3 blind-index key.

Configured from settings (which read the environment): ``PRIVACY_KEYS`` maps key id → 16 raw bytes,
``PRIVACY_ACTIVE_KEY`` names the key new ciphertexts use, ``PRIVACY_INDEX_KEY`` is 32 raw bytes. Keys never
live in the repository; `docs/operations.md` says how to make and rotate them.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9]{1,16}$")


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    active: str
    index_key: bytes

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise ImproperlyConfigured(
                f"personal-data key {key_id!r} is not configured (PRIVACY_KEYS)"
            ) from None


def parse_keys(spec: str) -> dict[str, bytes]:
    """``"k1:BASE64,k2:BASE64"`` → {"k1": b"...", "k2": b"..."}; each key 16 bytes (SM4)."""
    keys: dict[str, bytes] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key_id, _sep, encoded = part.partition(":")
        if not KEY_ID_PATTERN.match(key_id):
            raise ImproperlyConfigured(f"bad personal-data key id {key_id!r}: 1-16 letters or digits")
        raw = base64.b64decode(encoded)
        if len(raw) != 16:
            raise ImproperlyConfigured(f"personal-data key {key_id!r} must be 16 bytes (SM4), got {len(raw)}")
        keys[key_id] = raw
    return keys


@lru_cache(maxsize=1)
def _cached(keys_spec: str, active: str, index_key: str) -> KeyRing:
    keys = parse_keys(keys_spec)
    if active not in keys:
        raise ImproperlyConfigured(f"PRIVACY_ACTIVE_KEY {active!r} is not among PRIVACY_KEYS")
    raw_index = base64.b64decode(index_key)
    if len(raw_index) < 32:
        raise ImproperlyConfigured("PRIVACY_INDEX_KEY must be at least 32 bytes")
    return KeyRing(keys=keys, active=active, index_key=raw_index)


def keyring() -> KeyRing:
    return _cached(settings.PRIVACY_KEYS, settings.PRIVACY_ACTIVE_KEY, settings.PRIVACY_INDEX_KEY)
