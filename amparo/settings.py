"""amparo's one settings module, configured by environment variables (see .env.example).

Every variable is parsed strictly by ``amparo.env``: a bad value stops start-up.
Production is the default; ``DEBUG=true`` is for a developer's machine and the demo.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from amparo.env import (
    EnvError,
    cache_config,
    env_bool,
    env_choice,
    env_fernet_key,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = os.environ

DEBUG = env_bool(ENV, "DEBUG", False)

SECRET_KEY = env_str(ENV, "SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise EnvError("SECRET_KEY must be set when DEBUG is false (see .env.example)")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-0f3b7c9d2a6e"  # noqa: S105

ALLOWED_HOSTS = env_list(ENV, "ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list(ENV, "CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "amparo.accounts",
    "amparo.territory",
    "amparo.rollout",
    "amparo.assessment",
    "amparo.mitigation",
    "amparo.imports",
    "amparo.questionnaires",
    "amparo.fieldservers",
    "amparo.indicators",
    "amparo.policy",
    "amparo.dhis2",
    "amparo.disclosure",
    "amparo.partnerships",
    "amparo.api",
    "amparo.reports",
    "amparo.ops",
    "amparo.accounts.admin_site.SuperuserAdminConfig",  # Django's admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs page's scripts from here, not from a CDN
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # single-use recovery codes
]

MIDDLEWARE = [
    "amparo.ops.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "amparo.security_headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "amparo.locale_middleware.ChosenLanguageMiddleware",
    "amparo.disclosure.middleware.ProtectionPendingMiddleware",
    "amparo.api.middleware.ApiLanguageMiddleware",
    "amparo.api.middleware.ApiErrorShapeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "amparo.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "amparo.urls"
WSGI_APPLICATION = "amparo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "amparo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amparo.context_processors.site",
                "amparo.disclosure.context_processors.protection_pending",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str(ENV, "DATABASE_URL", f"sqlite:///{BASE_DIR / 'amparo.sqlite3'}"),
        conn_max_age=env_int(ENV, "DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one request writes: the demo and small offices run here.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_AGE = env_int(ENV, "SESSION_COOKIE_AGE", 8 * 3600, minimum=300)

# Repeated failed sign-ins lock the username from that address for a while (django-axes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int(ENV, "AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int(ENV, "AXES_COOLOFF_HOURS", 1, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "amparo.accounts.models.sign_in_name"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "amparo.accounts.client.client_address"
AXES_VERBOSE = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor sign-in (django-otp, TOTP): required for program admins, optional for others.
# After each wrong code the device waits 1, 2, 4, 8 ... seconds before it checks another.
OTP_TOTP_THROTTLE_FACTOR = 1
# The Django admin may remove a lost device but never shows a device's key or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A password-reset link works once, for this many seconds.
PASSWORD_RESET_TIMEOUT = env_int(ENV, "PASSWORD_RESET_TIMEOUT", 2 * 3600, minimum=300)

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "amparo" / "locale"]
TIME_ZONE = env_str(ENV, "TIME_ZONE", "America/Lima")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str(ENV, "STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "amparo" / "static"]
MEDIA_ROOT = Path(env_str(ENV, "MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded files are served only by views that check access; no URL serves this prefix.
# It must not stay empty: Django's live test server serves MEDIA_ROOT under MEDIA_URL, and
# an empty one would answer /reports/<id>/ with the stored file of the same name.
MEDIA_URL = "/media/"
STORAGES = {
    # Files are written whole or not at all (a full disk leaves no partial file).
    "default": {"BACKEND": "amparo.storage.WholeFileStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool(ENV, "STATIC_FILES_HASHED", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str(ENV, "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str(ENV, "EMAIL_HOST", "localhost")
EMAIL_PORT = env_int(ENV, "EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str(ENV, "EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str(ENV, "EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool(ENV, "EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str(ENV, "DEFAULT_FROM_EMAIL", "amparo@localhost")

# Transport security: on by default outside DEBUG so that `check --deploy` passes.
SECURE_SSL_REDIRECT = env_bool(ENV, "SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool(ENV, "SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool(ENV, "CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int(ENV, "SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool(ENV, "SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind one trusted reverse proxy that sets X-Forwarded-Proto and appends to
# X-Forwarded-For; per-client limits then key on the address the proxy saw.
BEHIND_PROXY = env_bool(ENV, "BEHIND_PROXY", False)
# Monitors check health over plain http on the machine itself.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One JSON object per line (request id, user id, path, status, duration; see
# amparo/ops/request_log.py), or plain text on a developer's machine.
LOG_FORMAT = env_choice(ENV, "LOG_FORMAT", "text" if DEBUG else "json", {"json", "text"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "amparo.ops.request_log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    # WeasyPrint narrates every step of a PDF at INFO; only its warnings matter here.
    # Django's own request lines would repeat amparo's (without the request id).
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.server": {"level": "WARNING"},
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice(ENV, "LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}),
    },
}

# Evidence uploads: the limit per file; larger request bodies are refused before reading.
AMPARO_MAX_UPLOAD_MB = env_int(ENV, "AMPARO_MAX_UPLOAD_MB", 10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Field-submission imports (CSV / XLSX exports of KoboToolbox and ODK Central).
AMPARO_MAX_IMPORT_MB = env_int(ENV, "AMPARO_MAX_IMPORT_MB", 50, minimum=1)

# Background work: "database" queues tasks for `amparo db_worker`; "immediate" runs them
# inside the request (the demo and tests).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[
            env_choice(
                ENV,
                "TASKS_BACKEND",
                "immediate" if DEBUG else "database",
                {"database", "immediate"},
            )
        ]
    }
}

# API lists: at most 500 rows a page, and offsets a database can hold.
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_MAX_OFFSET = 100_000_000

# Shown in the header and, later, on reports.
AMPARO_ORGANIZATION_NAME = env_str(ENV, "AMPARO_ORGANIZATION_NAME", "amparo")
# The name authenticator apps show next to the username.
OTP_TOTP_ISSUER = AMPARO_ORGANIZATION_NAME
# A logo for reports: a URL or a file path under the project (e.g. amparo/static/favicon.svg).
AMPARO_LOGO_URL = env_str(ENV, "AMPARO_LOGO_URL", "amparo/static/favicon.svg")
# Days a generated report stays available for download.
AMPARO_REPORT_DAYS = env_int(ENV, "AMPARO_REPORT_DAYS", 14, minimum=1)
# Disclosure control (docs/disclosure.md): counts from 1 to k-1 are hidden from readers
# without detail access, with the figures that would give them back; outputs meant for
# donors or the public use the higher k for everyone.
AMPARO_DISCLOSURE_K = env_int(ENV, "AMPARO_DISCLOSURE_K", 5, minimum=2)
AMPARO_DISCLOSURE_K_PUBLIC = env_int(ENV, "AMPARO_DISCLOSURE_K_PUBLIC", 11, minimum=2)
# Data this small (observations plus attendance rows) is protected inside the page
# that first asks; larger data by the worker, pages hiding every count meanwhile.
AMPARO_DISCLOSURE_INLINE_ROWS = env_int(ENV, "AMPARO_DISCLOSURE_INLINE_ROWS", 20000, minimum=0)

# Field servers (KoboToolbox, ODK Central): their tokens and passwords are kept encrypted
# with this key, which lives only in the environment (never in the database or backups).
AMPARO_FIELD_SECRETS_KEY = env_fernet_key(ENV, "AMPARO_FIELD_SECRETS_KEY")
if not AMPARO_FIELD_SECRETS_KEY:
    if not DEBUG:
        raise EnvError(
            "AMPARO_FIELD_SECRETS_KEY must be set when DEBUG is false: it encrypts the "
            "passwords and tokens of field servers (see .env.example)"
        )
    AMPARO_FIELD_SECRETS_KEY = "ZGV2ZWxvcG1lbnQta2V5LW9ubHktZm9yLWRlYnVnLW0="  # DEBUG only

# Shared state between app servers. Sign-in lockouts (django-axes), two-factor throttles
# and the recurring jobs' leases live in the database, so every server sees them; the
# password-reset throttle lives in this cache: set CACHE_URL=redis://... when more than one
# app server runs, so that it counts across them.
CACHES = {
    "default": cache_config(
        env_str(ENV, "CACHE_URL"), key_prefix=env_str(ENV, "CACHE_KEY_PREFIX", "amparo")
    )
}

# Background worker and health checks (docs/operations.md).
# A worker writes its heartbeat this often; one not seen for LOST seconds is taken as gone
# and its running task is put back in the queue, up to ATTEMPTS times, then failed.
AMPARO_WORKER_BEAT_SECONDS = env_int(ENV, "AMPARO_WORKER_BEAT_SECONDS", 10, minimum=1)
AMPARO_WORKER_LOST_SECONDS = env_int(ENV, "AMPARO_WORKER_LOST_SECONDS", 120, minimum=1)
AMPARO_TASK_ATTEMPTS = env_int(ENV, "AMPARO_TASK_ATTEMPTS", 2, minimum=1)
# A task still running after this long is failed even if its worker is alive.
AMPARO_TASK_TIMEOUT_MINUTES = env_int(ENV, "AMPARO_TASK_TIMEOUT_MINUTES", 60, minimum=1)
# /health/ready/ fails when no worker was seen within this many minutes ...
AMPARO_WORKER_SEEN_MINUTES = env_int(ENV, "AMPARO_WORKER_SEEN_MINUTES", 5, minimum=1)
# ... or when MEDIA_ROOT's disk has less free space than this.
AMPARO_MIN_FREE_DISK_MB = env_int(ENV, "AMPARO_MIN_FREE_DISK_MB", 500, minimum=0)
