"""SM4-GCM encryption with the key id inside the ciphertext, and the HMAC-SM3 blind index.

Ciphertext text form: ``sm4gcm$<key id>$<base64(nonce 12 | ciphertext | tag 16)>``. The additional
authenticated data names the column (``talents.Talent.id_number``), so a value copied into another column
does not decrypt.
"""

from __future__ import annotations

import base64
import os
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .keys import keyring

PREFIX = "sm4gcm"
NONCE_BYTES = 12


class DecryptionError(Exception):
    pass


def encrypt_bytes(plaintext: bytes, *, aad: bytes, key_id: str | None = None) -> str:
    ring = keyring()
    key_id = key_id or ring.active
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(ring.key(key_id)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return f"{PREFIX}${key_id}${base64.b64encode(nonce + body + encryptor.tag).decode()}"


def key_id_of(token: str) -> str:
    prefix, key_id, _body = token.split("$", 2)
    if prefix != PREFIX:
        raise DecryptionError("not a ciphertext of this platform")
    return key_id


def decrypt_bytes(token: str, *, aad: bytes) -> bytes:
    try:
        prefix, key_id, encoded = token.split("$", 2)
        raw = base64.b64decode(encoded)
    except ValueError as exc:
        raise DecryptionError("malformed ciphertext") from exc
    if prefix != PREFIX or len(raw) < NONCE_BYTES + 16:
        raise DecryptionError("malformed ciphertext")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-16], raw[-16:]
    decryptor = Cipher(algorithms.SM4(keyring().key(key_id)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise DecryptionError("ciphertext failed authentication (wrong key, column or tampered)") from exc


def encrypt_text(value: str, *, aad: bytes, key_id: str | None = None) -> str:
    return encrypt_bytes(value.encode(), aad=aad, key_id=key_id)


def decrypt_text(token: str, *, aad: bytes) -> str:
    return decrypt_bytes(token, aad=aad).decode()


def normalise(value: str) -> str:
    """What counts as "the same" value for exact lookup: NFKC, no spaces or dashes, upper case."""
    text = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SM3 of the normalised value, separated by purpose so indexes of two fields never match."""
    mac = hmac.HMAC(keyring().index_key, hashes.SM3())
    mac.update(purpose.encode() + b"\x00" + normalise(value).encode())
    return mac.finalize().hex()


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()
