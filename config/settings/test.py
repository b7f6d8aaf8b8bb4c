"""Settings for the test suite: SQLite file database by default, PostgreSQL when DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

SECRET_KEY = "test-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DEBUG = False
VAR_DIR.mkdir(parents=True, exist_ok=True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A file (not :memory:) so that tests starting real worker/scheduler processes share the database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Fixed test keys (16-byte SM4 keys "t1", "t2"; a 32-byte index key). Never used outside tests.
PRIVACY_KEYS = "t1:dGVzdC1rZXktb25lLTE2Yg==,t2:dGVzdC1rZXktdHdvLTE2Yg=="
PRIVACY_ACTIVE_KEY = "t1"
PRIVACY_INDEX_KEY = "dGVzdC1ibGluZC1pbmRleC1rZXktMzItYnl0ZXMtbG9uZw=="
SMS_BACKEND = "talentcloud.accounts.sms.LocmemSmsBackend"

# --- Audit seal and backup keys: fixed test-only values (never used outside tests) ---
AUDIT_SEAL_KEYS = "a1:dGVzdC1hdWRpdC1zZWFsLWtleS0zMi1ieXRlcy1sbmc="
AUDIT_SEAL_ACTIVE_KEY = "a1"
BACKUP_KEYS = "b1:dGVzdC1iYWNrdXAtay0xNg=="
BACKUP_ACTIVE_KEY = "b1"
