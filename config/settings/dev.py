"""Development and demo: SQLite in ./var, DEBUG on, a secret key generated once per checkout."""

import base64
import json
import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _dev_secret_key() -> str:
    if os.environ.get("TALENTCLOUD_SECRET_KEY"):
        return os.environ["TALENTCLOUD_SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _dev_secret_key()


def _dev_privacy_keys() -> tuple[str, str, str]:
    """Generated once per checkout into var/privacy_keys.json (never committed)."""

    if os.environ.get("TALENTCLOUD_PRIVACY_KEYS"):
        return (
            os.environ["TALENTCLOUD_PRIVACY_KEYS"],
            os.environ.get("TALENTCLOUD_PRIVACY_ACTIVE_KEY", ""),
            os.environ.get("TALENTCLOUD_BLIND_INDEX_KEY", ""),
        )
    key_file = VAR_DIR / "privacy_keys.json"
    if not key_file.exists():
        data = {
            "keys": f"k1:{base64.b64encode(secrets.token_bytes(16)).decode()}",
            "active": "k1",
            "index": base64.b64encode(secrets.token_bytes(32)).decode(),
        }
        key_file.write_text(json.dumps(data))
        key_file.chmod(0o600)
    data = json.loads(key_file.read_text())
    return data["keys"], data["active"], data["index"]


PRIVACY_KEYS, PRIVACY_ACTIVE_KEY, PRIVACY_INDEX_KEY = _dev_privacy_keys()


def _dev_trust_keys() -> dict[str, str]:
    """The audit seal key and the backup key, generated once per checkout into var/trust_keys.json (never
    committed), so the demo's chain is keyed and its backups restore as production's do."""

    key_file = VAR_DIR / "trust_keys.json"
    if not key_file.exists():
        data = {
            "seal": f"a1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
            "backup": f"b1:{base64.b64encode(secrets.token_bytes(16)).decode()}",
        }
        key_file.write_text(json.dumps(data))
        key_file.chmod(0o600)
    return dict(json.loads(key_file.read_text()))


if not os.environ.get("TALENTCLOUD_AUDIT_SEAL_KEYS"):
    _trust = _dev_trust_keys()
    AUDIT_SEAL_KEYS, AUDIT_SEAL_ACTIVE_KEY = _trust["seal"], "a1"
    BACKUP_KEYS, BACKUP_ACTIVE_KEY = _trust["backup"], "b1"
    AUDIT_ANCHOR_PATH = os.environ.get("TALENTCLOUD_AUDIT_ANCHOR_PATH", str(VAR_DIR / "audit_anchors.jsonl"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
