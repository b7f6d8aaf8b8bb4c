"""The talent code's token (ADR 0025): what the QR on the talent's phone says.

``TC1.<KEY ID>.<EXPIRY>.<NONCE>.<MASKED CODE ID>.<MAC>`` in QR alphanumeric characters (upper-case base32,
dots), so a USB scanner types it and the QR stays small:

- ``EXPIRY``: Unix seconds, ``TALENT_CODE_TTL_SECONDS`` (≤ 60) after it was drawn;
- ``NONCE``: 8 random bytes per token;
- ``MASKED CODE ID``: the issuance's random code id XOR HMAC-SM3(key, "mask" | expiry | nonce), so two tokens
  of the same code share nothing a verifier could link, and no token says whose it is;
- ``MAC``: HMAC-SM3(key, everything before it), 16 bytes.

The keys never leave the platform (online verification only): ``TALENT_CODE_KEYS`` maps key ids to keys
(``"K2:BASE64,K1:BASE64"``), ``TALENT_CODE_ACTIVE_KEY`` names the one new tokens use; rotating is adding a
key, making it active and removing the old one a minute later (no token lives longer).
"""

from __future__ import annotations

import base64
import hashlib
import hmac as std_hmac
import os
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .enums import Result
from .models import CODE_ID_BYTES

VERSION = "TC1"
NONCE_BYTES = 8
MAC_BYTES = 16
KEY_ID = re.compile(r"^[A-Z0-9]{1,8}$")
TOKEN = re.compile(r"^TC1\.([A-Z0-9]{1,8})\.(\d{1,12})\.([A-Z2-7]{13})\.([A-Z2-7]{26})\.([A-Z2-7]{26})$")


@dataclass(frozen=True)
class Keys:
    keys: dict[str, bytes]
    active: str


@lru_cache(maxsize=4)
def _parse(spec: str, active: str, secret: str) -> Keys:
    keys: dict[str, bytes] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key_id, _sep, encoded = part.partition(":")
        if not KEY_ID.match(key_id):
            raise ImproperlyConfigured(f"bad talent-code key id {key_id!r}: 1-8 capital letters or digits")
        raw = base64.b64decode(encoded)
        if len(raw) < 32:
            raise ImproperlyConfigured(f"talent-code key {key_id!r} must be at least 32 bytes")
        keys[key_id] = raw
    if not keys:
        # No key configured (development, tests): one derived from SECRET_KEY (never in the repository).
        keys = {"D1": hashlib.sha256(b"talentcloud talent code\x00" + secret.encode()).digest()}
        active = "D1"
    if active not in keys:
        raise ImproperlyConfigured(f"TALENT_CODE_ACTIVE_KEY {active!r} is not among TALENT_CODE_KEYS")
    return Keys(keys=keys, active=active)


def keys() -> Keys:
    return _parse(settings.TALENT_CODE_KEYS, settings.TALENT_CODE_ACTIVE_KEY, settings.SECRET_KEY)


def _b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=")


def _unb32(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8))


def _mac(key: bytes, *parts: bytes) -> bytes:
    mac = hmac.HMAC(key, hashes.SM3())
    for part in parts:
        mac.update(len(part).to_bytes(2, "big") + part)
    return mac.finalize()


def _xor(a: bytes, b: bytes) -> bytes:
    if len(a) != len(b):
        raise ValueError("parts of unequal length")
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


_B32_VALUE = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}


def _canonical(text: str) -> bool:
    """Whether unpadded base32 ``text`` is the one spelling of its bytes: the bits its last character holds
    beyond the last whole byte are zero (as ``_b32`` writes them)."""
    spare = len(text) * 5 % 8
    return _B32_VALUE[text[-1]] & ((1 << spare) - 1) == 0


def sign(code_id: str, *, now: float | None = None, key_id: str | None = None) -> tuple[str, int]:
    """A fresh token for the code ``code_id`` and its expiry (Unix seconds)."""
    ring = keys()
    key_id = key_id or ring.active
    key = ring.keys[key_id]
    expiry = int(now if now is not None else time.time()) + int(settings.TALENT_CODE_TTL_SECONDS)
    nonce = os.urandom(NONCE_BYTES)
    masked = _xor(bytes.fromhex(code_id), _mac(key, b"mask", str(expiry).encode(), nonce)[:CODE_ID_BYTES])
    head = f"{VERSION}.{key_id}.{expiry}.{_b32(nonce)}.{_b32(masked)}"
    return f"{head}.{_b32(_mac(key, b'token', head.encode())[:MAC_BYTES])}", expiry


@dataclass(frozen=True)
class Checked:
    """A token read: ``result`` is None when its signature holds and it has not expired (the code's own
    state is the caller's to check), else the refusal; ``code_id`` is known once the signature holds."""

    result: str | None
    code_id: str = ""
    expiry: int = 0


def normalise(text: str) -> str:
    """What a scanner or a person typed: spaces dropped, upper case (a scanner may type lower case)."""
    return "".join(str(text).split()).upper()


def check(text: str, *, now: float | None = None) -> Checked:
    token = normalise(text)
    match = TOKEN.match(token)
    if match is None:
        return Checked(Result.FORGED)
    key_id, expiry_text, nonce_text, masked_text, mac_text = match.groups()
    key = keys().keys.get(key_id)
    if key is None:
        return Checked(Result.UNKNOWN_KEY)
    head = token.rsplit(".", 1)[0]
    if not (_canonical(nonce_text) and _canonical(masked_text) and _canonical(mac_text)):
        return Checked(Result.FORGED)  # base32's spare bits: one spelling per token, so no flip goes unseen
    try:
        nonce, masked, mac = _unb32(nonce_text), _unb32(masked_text), _unb32(mac_text)
    except ValueError:
        return Checked(Result.FORGED)
    if not std_hmac.compare_digest(mac, _mac(key, b"token", head.encode())[:MAC_BYTES]):
        return Checked(Result.FORGED)
    expiry = int(expiry_text)
    code_id = _xor(masked, _mac(key, b"mask", expiry_text.encode(), nonce)[:CODE_ID_BYTES]).hex()
    if (now if now is not None else time.time()) > expiry:
        return Checked(Result.EXPIRED, code_id, expiry)
    return Checked(None, code_id, expiry)
