"""Settings shared by every environment. Environment-specific files import * from here.

Everything an operator may change comes from environment variables (docs/operations.md lists them).
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("TALENTCLOUD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
ALLOWED_HOSTS = env_list("TALENTCLOUD_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("TALENTCLOUD_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "talentcloud.common",
    "talentcloud.audit",
    "talentcloud.privacy",
    "talentcloud.accounts",
    "talentcloud.infra",
    "talentcloud.workflow",
    "talentcloud.talents",
    "talentcloud.enterprises",
    "talentcloud.notifications",
    "talentcloud.servicehall",
    "talentcloud.certification",
    "talentcloud.policies",
    "talentcloud.recruitment",
    "talentcloud.payouts",
    "talentcloud.talentcode",
    "talentcloud.campaigns",
    "talentcloud.programs",
    "talentcloud.matching",
    "talentcloud.stations",
    "talentcloud.api",
    "talentcloud.dashboards",
    "talentcloud.operations",
    "talentcloud.web",
    "talentcloud.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "talentcloud.common.middleware.ClientIPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "talentcloud.web.middleware.ChineseFirstLocaleMiddleware",
    "talentcloud.common.middleware.RejectNulMiddleware",  # before anything reads the session or the database
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "talentcloud.accounts.middleware.SessionLimitsMiddleware",
    "talentcloud.accounts.middleware.ApiAwareLoginRequiredMiddleware",
    "talentcloud.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "talentcloud.common.middleware.DomainErrorMiddleware",
    "talentcloud.audit.middleware.DeniedAttemptMiddleware",  # below it: sees its 403/404 pages
    "django_ratelimit.middleware.RatelimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "talentcloud.web.context_processors.shell",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default (demo, single-office installs); PostgreSQL when DATABASE_URL is set.
SQLITE_PATH = Path(os.environ.get("TALENTCLOUD_SQLITE_PATH", VAR_DIR / "talentcloud.sqlite3"))
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identity, sessions, login hardening ----------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "talentcloud.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "talentcloud.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"remember": 5}},
]
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("TALENTCLOUD_PASSWORD_MAX_AGE_DAYS", "90"))

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(os.environ.get("TALENTCLOUD_SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
SESSION_IDLE_SECONDS = int(os.environ.get("TALENTCLOUD_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "tc_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "tc_csrf"
CSRF_FAILURE_VIEW = "talentcloud.web.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TALENTCLOUD_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TALENTCLOUD_PROXY_COUNT", "0"))

OTP_TOTP_ISSUER = "人才云 Talent Cloud"
IDENTITY_PROVIDER = os.environ.get(
    "TALENTCLOUD_IDENTITY_PROVIDER", "talentcloud.accounts.identity.FakeIdentityProvider"
)
SMS_BACKEND = os.environ.get("TALENTCLOUD_SMS_BACKEND", "talentcloud.accounts.sms.ConsoleSmsBackend")
RATELIMIT_SMS = os.environ.get("TALENTCLOUD_RATELIMIT_SMS", "5/h")
# The HTTP SMS adapter (accounts.sms.HttpSmsBackend) and the cap on notification SMS per phone and hour.
SMS_HTTP_URL = os.environ.get("TALENTCLOUD_SMS_HTTP_URL", "")
SMS_HTTP_KEY = os.environ.get("TALENTCLOUD_SMS_HTTP_KEY", "")
SMS_HTTP_SIGN = os.environ.get("TALENTCLOUD_SMS_HTTP_SIGN", "人才云")
SMS_HTTP_TIMEOUT = 5
SMS_NOTIFY_PER_HOUR = int(os.environ.get("TALENTCLOUD_SMS_NOTIFY_PER_HOUR", "10"))
EMAIL_BACKEND = os.environ.get("TALENTCLOUD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("TALENTCLOUD_FROM_EMAIL", "rencaiyun@localhost")

API_TOKEN_DEFAULT_DAYS = int(os.environ.get("TALENTCLOUD_API_TOKEN_DAYS", "30"))
API_TOKEN_MAX_DAYS = 365  # talents and enterprise HR
# Staff tokens (every role but talent and enterprise HR) live at most this long; older ones stop working.
STAFF_API_TOKEN_MAX_DAYS = int(os.environ.get("TALENTCLOUD_STAFF_API_TOKEN_MAX_DAYS", "90"))

# Rate limits (django-ratelimit syntax).
RATELIMIT_LOGIN = os.environ.get("TALENTCLOUD_RATELIMIT_LOGIN", "20/m")
RATELIMIT_OTP = os.environ.get("TALENTCLOUD_RATELIMIT_OTP", "10/m")
RATELIMIT_CALCULATOR = os.environ.get("TALENTCLOUD_RATELIMIT_CALCULATOR", "60/m")  # the anonymous calculator
RATELIMIT_GUIDE_PDF = os.environ.get("TALENTCLOUD_RATELIMIT_GUIDE_PDF", "30/m")  # 办事指南 example sheets
# API operations returning personal data in clear (a data copy, an unmasked answer), per user.
# The talent code (ADR 0025): verifications per verifier unit and per code; the token's life (≤ 60 s).
RATELIMIT_TALENT_CODE_VERIFIER = os.environ.get("TALENTCLOUD_RATELIMIT_TALENT_CODE_VERIFIER", "600/m")
RATELIMIT_TALENT_CODE_PER_CODE = os.environ.get("TALENTCLOUD_RATELIMIT_TALENT_CODE_PER_CODE", "10/m")
TALENT_CODE_TTL_SECONDS = min(60, int(os.environ.get("TALENTCLOUD_TALENT_CODE_TTL_SECONDS", "60")))
TALENT_CODE_KEYS = os.environ.get("TALENTCLOUD_TALENT_CODE_KEYS", "")  # "K1:BASE64(32 bytes),…"
TALENT_CODE_ACTIVE_KEY = os.environ.get("TALENTCLOUD_TALENT_CODE_ACTIVE_KEY", "")
# How long a verifier's bearer token and its unit's scenes stay in the shared cache (ADR 0029): a revocation,
# a deactivation, a change of roles, scenes or rules removes them at once; this bounds anything missed.
TALENT_CODE_CACHE_SECONDS = int(os.environ.get("TALENTCLOUD_TALENT_CODE_CACHE_SECONDS", "60"))
RATELIMIT_PII = os.environ.get("TALENTCLOUD_RATELIMIT_PII", "30/h")
RATELIMIT_VIEW = "talentcloud.web.views.ratelimited"

# --- Personal data keys (privacy/keys.py; docs/operations.md) -----------------------------------
# "k1:BASE64,k2:BASE64" (16-byte SM4 keys), the active key id, and a 32-byte HMAC-SM3 blind-index key.
PRIVACY_KEYS = os.environ.get("TALENTCLOUD_PRIVACY_KEYS", "")
PRIVACY_ACTIVE_KEY = os.environ.get("TALENTCLOUD_PRIVACY_ACTIVE_KEY", "")
PRIVACY_INDEX_KEY = os.environ.get("TALENTCLOUD_BLIND_INDEX_KEY", "")
PRIVACY_REAUTH_SECONDS = 300
# Retention periods: each app's retention.py gives its rules' periods in days (privacy/retention.py sweeps
# them); TALENTCLOUD_RETENTION_JSON changes them by rule name, for example {"task_results": 60}.
RETENTION_DAYS: dict[str, int] = json.loads(os.environ.get("TALENTCLOUD_RETENTION_JSON", "{}"))
NEED_REPLY_WORKING_DAYS = int(os.environ.get("TALENTCLOUD_NEED_REPLY_WORKING_DAYS", "10"))
PIPL_ANSWER_WORKING_DAYS = int(os.environ.get("TALENTCLOUD_PIPL_ANSWER_WORKING_DAYS", "15"))

# --- Cache (shared by rate limits); Redis in production --------------------------------------
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# axes.W006: lockout is per account (5 failures lock the username, security.md); per-address abuse is
# throttled by django-ratelimit on the login view instead, so that one office behind NAT is not locked out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if not os.environ.get("REDIS_URL"):
    # Local-memory cache: fine for the single-process demo; production sets REDIS_URL.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "talentcloud" / "locale"]
LANGUAGE_COOKIE_NAME = "tc_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (vendored, no CDN) ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files with personal data: encrypted, outside any web root, never served directly.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("TALENTCLOUD_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Largest document a person may add to an archive (checked before it is read into memory).
DOCUMENT_MAX_BYTES = int(os.environ.get("TALENTCLOUD_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads spill to a temporary file, not to memory
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Content security policy: no inline scripts or styles ------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Background work --------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Periodic jobs are declared by each app in its jobs.py (SCHEDULED_JOBS); the scheduler only enqueues them.
# TALENTCLOUD_SCHEDULE changes their times. SCHEDULE adds a job or replaces one of the same name:
# name -> (dotted path of the function, cron expression); tests use it.
SCHEDULE: dict[str, tuple[str, str]] = {}
SCHEDULER_LEASE_SECONDS = 30
# A running job (import, export, periodic run) whose heartbeat is older than this lost its worker: it is
# failed (imports, exports) or run again (periodic jobs). Running jobs beat every quarter of it.
JOB_STALE_SECONDS = max(1.0, float(os.environ.get("TALENTCLOUD_JOB_STALE_SECONDS", "180")))
# Audit chain: events are sealed by the `audit_seal` job; verify flags events unsealed for longer than this.
AUDIT_UNSEALED_GRACE_SECONDS = int(os.environ.get("TALENTCLOUD_AUDIT_UNSEALED_GRACE_SECONDS", "600"))
AUDIT_RETENTION_DAYS = max(183, int(os.environ.get("TALENTCLOUD_AUDIT_RETENTION_DAYS", "400")))
# Keyed seals (audit/keys.py): HMAC-SM3 keys "a1:BASE64" (32 bytes each) the database owner cannot read, and
# the id new seals use. Unset (demo): seals are plain SM3, as before; `check --deploy` warns.
AUDIT_SEAL_KEYS = os.environ.get("TALENTCLOUD_AUDIT_SEAL_KEYS", "")
AUDIT_SEAL_ACTIVE_KEY = os.environ.get("TALENTCLOUD_AUDIT_SEAL_ACTIVE_KEY", "")
# Anchors (audit/anchors.py): the chain head appended to a file on another volume (a WORM mount) by the
# audit_seal job at most every AUDIT_ANCHOR_INTERVAL_SECONDS; optionally also to syslog. Unset: no anchors.
AUDIT_ANCHOR_PATH = os.environ.get("TALENTCLOUD_AUDIT_ANCHOR_PATH", "")
AUDIT_ANCHOR_INTERVAL_SECONDS = int(os.environ.get("TALENTCLOUD_AUDIT_ANCHOR_INTERVAL_SECONDS", "300"))
AUDIT_ANCHOR_SYSLOG = env_bool("TALENTCLOUD_AUDIT_ANCHOR_SYSLOG", False)
# Backups (common/backup.py): SM4 keys "b1:BASE64" (16 bytes, distinct from the personal-data keys), the id
# new archives use, and the folder and number of archives the nightly `backup` job keeps (unset: it logs).
BACKUP_KEYS = os.environ.get("TALENTCLOUD_BACKUP_KEYS", "")
BACKUP_ACTIVE_KEY = os.environ.get("TALENTCLOUD_BACKUP_ACTIVE_KEY", "")
BACKUP_DIR = os.environ.get("TALENTCLOUD_BACKUP_DIR", "")
BACKUP_KEEP = int(os.environ.get("TALENTCLOUD_BACKUP_KEEP", "14"))

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Every handler masks ID and phone numbers (common/logfilters.py); the access log has no query strings.
    "filters": {"personal_data": {"()": "talentcloud.privacy.logfilters.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("TALENTCLOUD_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # runserver's request lines (the demo) go through the masking handler too, not Django's own.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

TALENTCLOUD_DISTRICT_NAME = _("Jiangning District, Nanjing")
TALENTCLOUD_DISTRICT_CODE = os.environ.get("TALENTCLOUD_DISTRICT_CODE", "320115")  # starts every case number
# Case notices (servicehall/notices.py): the seal printed on them (a PNG file; empty: a red seal drawn
# with the department's name), and where a refusal may be appealed (行政复议) or taken to court (行政诉讼).
TALENTCLOUD_SEAL_IMAGE = os.environ.get("TALENTCLOUD_SEAL_IMAGE", "")
TALENTCLOUD_REVIEW_BODY = os.environ.get("TALENTCLOUD_REVIEW_BODY", "南京市江宁区人民政府")
TALENTCLOUD_COURT = os.environ.get("TALENTCLOUD_COURT", "南京市江宁区人民法院")
# The public portal's footer: the office's contact, the ICP filing number (备案号, shown on every public
# page of a site hosted in China) and the privacy statement (empty URL: the platform's own page /privacy/).
TALENTCLOUD_OFFICE_NAME = os.environ.get("TALENTCLOUD_OFFICE_NAME") or _(
    "Talent Office of Jiangning District"
)
TALENTCLOUD_OFFICE_ADDRESS = os.environ.get("TALENTCLOUD_OFFICE_ADDRESS") or _(
    "Jiangning District Government Service Centre, Nanjing (demo address)"
)
TALENTCLOUD_OFFICE_PHONE = os.environ.get("TALENTCLOUD_OFFICE_PHONE", "025-5210 1000")
TALENTCLOUD_OFFICE_EMAIL = os.environ.get("TALENTCLOUD_OFFICE_EMAIL", "rencai@jiangning.example.cn")
TALENTCLOUD_OFFICE_HOURS = os.environ.get("TALENTCLOUD_OFFICE_HOURS") or _(
    "Monday to Friday, 9:00–12:00 and 13:30–17:00 (not on public holidays)"
)
TALENTCLOUD_ICP_NUMBER = os.environ.get("TALENTCLOUD_ICP_NUMBER", "苏ICP备00000000号-1（演示）")
TALENTCLOUD_ICP_URL = os.environ.get("TALENTCLOUD_ICP_URL", "https://beian.miit.gov.cn/")
TALENTCLOUD_PRIVACY_URL = os.environ.get("TALENTCLOUD_PRIVACY_URL", "")
