"""Django settings for HRM2, read from environment variables only.

Every knob has an embedded default (SQLite in WAL mode, a SQLite Celery broker, files under
``./var``) so that one laptop runs HRM2 with no services; the same code scales out when
``DATABASE_URL``, ``CELERY_BROKER_URL`` and friends point at PostgreSQL, Redis or RabbitMQ.
The README lists every variable with its default.
"""

import os
import secrets
from pathlib import Path

import dj_database_url


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("HRM2_VAR_DIR", str(Path.cwd() / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

HRM2_ENV = env_str("HRM2_ENV", "development")
DEBUG = env_bool("HRM2_DEBUG", False)

INSECURE_SECRET_PREFIX = "insecure-dev-"  # noqa: S105 (a marker, not a secret)


def _load_secret_key() -> str:
    """Use HRM2_SECRET_KEY; in development, fall back to a key generated once under var/."""
    configured = os.environ.get("HRM2_SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(INSECURE_SECRET_PREFIX + secrets.token_urlsafe(48))
    return key_file.read_text().strip()


SECRET_KEY = _load_secret_key()
ALLOWED_HOSTS = env_list("HRM2_ALLOWED_HOSTS", ["*"])
CSRF_TRUSTED_ORIGINS = env_list("HRM2_CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "hrm2.error_pages.csrf_failure"  # the console's page under /console/

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "hrm2.api",
    "hrm2.accounts",
    "hrm2.jobs",
    "hrm2.positions",
    "hrm2.resumes",
    "hrm2.screening",
    "hrm2.videos",
    "hrm2.audit",
    "hrm2.interviews",
    "hrm2.recommend",
    "hrm2.console",
]

MIDDLEWARE = [
    "hrm2.api.middleware.RequestIdMiddleware",
    # Outside the error-page and body-limit middlewares, so their 404/405/413 answers get the
    # security headers (nosniff, Referrer-Policy, HSTS, X-Frame-Options) too.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hrm2.api.middleware.JsonErrorPagesMiddleware",
    "hrm2.api.middleware.BodySizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hrm2.api.middleware.OptionalTrailingSlashMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's session, auth and messages for the admin and console pages only (JWT for the API).
    "hrm2.api.middleware.SessionPagesSessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "hrm2.api.middleware.SessionPagesAuthenticationMiddleware",
    "hrm2.api.middleware.SessionPagesMessageMiddleware",
    # A console 405 (Django has no handler for it) as the console's page; innermost, so the page
    # knows the user and the language.
    "hrm2.error_pages.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "hrm2.urls"
WSGI_APPLICATION = "hrm2.wsgi.application"
APPEND_SLASH = False  # OptionalTrailingSlashMiddleware accepts both forms without redirects

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hrm2.sqlite3'}")
# Connections persist across requests (per thread): opening one costs more than a list query.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("HRM2_DB_CONN_MAX_AGE", 600), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed while one writer writes; IMMEDIATE avoids lock upgrades
        # that fail with "database is locked" when several processes write.
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env_int("HRM2_DB_CONNECT_TIMEOUT", 5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache (login throttling, small shared state) -------------------------------------------
CACHE_URL = env_str("HRM2_CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("HRM2_TIME_ZONE", "Asia/Shanghai")

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
MEDIA_ROOT = Path(env_str("HRM2_MEDIA_ROOT", str(VAR_DIR / "media"))).resolve()
MEDIA_URL = "/media/"  # never served directly: downloads go through authorised endpoints

# --- Request limits -------------------------------------------------------------------------
# JSON and form bodies; file uploads stream to disk and have their own per-endpoint limits.
MAX_JSON_BODY_BYTES = env_int("HRM2_MAX_JSON_BODY_MB", 2) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_JSON_BODY_BYTES
MAX_UPLOAD_BODY_BYTES = env_int("HRM2_MAX_UPLOAD_MB", 1100) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None
# Uploads: the largest resume file and how many one upload may carry; videos (below) one at a time.
RESUME_MAX_FILE_BYTES = int(float(env_str("HRM2_RESUME_MAX_MB", "10")) * 1024 * 1024)
RESUME_MAX_FILES_PER_UPLOAD = env_int("HRM2_RESUME_MAX_FILES_PER_UPLOAD", 50)

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HRM2_BEHIND_TLS_PROXY", False) else None
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS: on by default in production (behind a TLS proxy: set HRM2_BEHIND_TLS_PROXY too), off in
# development; each can be overridden. ``hrm2 check --deploy`` refuses production without them.
_PRODUCTION = HRM2_ENV == "production"
SECURE_SSL_REDIRECT = env_bool("HRM2_SECURE_SSL_REDIRECT", _PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^health/?$"]  # a load balancer's plain-HTTP health probe
SESSION_COOKIE_SECURE = env_bool("HRM2_SESSION_COOKIE_SECURE", _PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("HRM2_CSRF_COOKIE_SECURE", _PRODUCTION)
SECURE_HSTS_SECONDS = env_int("HRM2_HSTS_SECONDS", 365 * 24 * 3600 if _PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HRM2_HSTS_INCLUDE_SUBDOMAINS", False)

# --- JWT ------------------------------------------------------------------------------------
JWT_SIGNING_KEY = env_str("HRM2_JWT_SIGNING_KEY", SECRET_KEY)
JWT_ALGORITHM = "HS256"
JWT_ACCESS_TTL_SECONDS = env_int("HRM2_JWT_ACCESS_TTL", 15 * 60)
JWT_REFRESH_TTL_SECONDS = env_int("HRM2_JWT_REFRESH_TTL", 7 * 24 * 3600)
JWT_ISSUER = "hrm2"
JWT_USER_CACHE_SECONDS = env_int("HRM2_JWT_USER_CACHE_SECONDS", 5)
LOGIN_FAILURE_LIMIT = env_int("HRM2_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("HRM2_LOGIN_FAILURE_WINDOW", 300)

# --- Celery and jobs ------------------------------------------------------------------------
CELERY_BROKER_URL = env_str(
    "CELERY_BROKER_URL", f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_TASK_ALWAYS_EAGER = env_bool("HRM2_CELERY_EAGER", False)
JOB_HEARTBEAT_SECONDS = env_int("HRM2_JOB_HEARTBEAT_SECONDS", 5)
JOB_STALE_AFTER_SECONDS = env_int("HRM2_JOB_STALE_AFTER", 60)
JOB_MAX_ATTEMPTS = env_int("HRM2_JOB_MAX_ATTEMPTS", 3)
JOB_PENDING_REQUEUE_SECONDS = env_int("HRM2_JOB_PENDING_REQUEUE_AFTER", 300)
WORKER_HEARTBEAT_SECONDS = env_int("HRM2_WORKER_HEARTBEAT_SECONDS", 5)
WORKER_ALIVE_SECONDS = env_int("HRM2_WORKER_ALIVE_SECONDS", 30)

# --- Interview assistant ------------------------------------------------------------------
INTERVIEW_ENGINE = env_str("HRM2_INTERVIEW_ENGINE", "embedded")  # or "llm"
RECOMMEND_ENGINE = env_str("HRM2_RECOMMEND_ENGINE", "embedded")  # or "llm"

# --- Video analysis -----------------------------------------------------------------------
VIDEO_MAX_MB = float(env_str("HRM2_VIDEO_MAX_MB", "1024"))
VIDEO_MAX_MINUTES = float(env_str("HRM2_VIDEO_MAX_MINUTES", "60"))
VIDEO_SAMPLE_FPS = float(env_str("HRM2_VIDEO_SAMPLE_FPS", "2"))
VIDEO_PERSONALITY = env_str("HRM2_VIDEO_PERSONALITY", "on")  # off: no trait inference at all
# Per-path upload limits (API and console), checked by hrm2.api's BodySizeLimitMiddleware from the
# declared Content-Length before the body is read, then per file while it streams:
# path -> (largest file in bytes, most files per request).
_VIDEO_MAX_BYTES = int(VIDEO_MAX_MB * 1024 * 1024)
_RESUME_UPLOAD = (RESUME_MAX_FILE_BYTES, RESUME_MAX_FILES_PER_UPLOAD)
UPLOAD_LIMITS = {
    "/resume-screening/data/": _RESUME_UPLOAD,
    "/console/resumes/upload/": _RESUME_UPLOAD,
    "/video-analysis/": (_VIDEO_MAX_BYTES, 1),
    "/console/videos/upload/": (_VIDEO_MAX_BYTES, 1),
}
UPLOAD_FORM_OVERHEAD_BYTES = 1024 * 1024  # form fields and multipart boundaries around the files
ASR_MODEL_DIR = env_str("HRM2_ASR_MODEL_DIR", "")  # a local faster-whisper model directory

# --- Logging --------------------------------------------------------------------------------
LOG_FORMAT = env_str("HRM2_LOG_FORMAT", "text")
LOG_LEVEL = env_str("HRM2_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "hrm2.api.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "hrm2.api.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "INFO"},
        "fontTools": {"level": "WARNING"},
    },
}

# Alternative spellings of path prefixes that the specifications use interchangeably.
API_PATH_ALIASES = {"/admin/v2/evaluations/": "/admin/v2/evaluation/"}

NINJA_PAGINATION_CLASS = "hrm2.api.pagination.PageNumberPagination"
