"""ocrportal settings: one module, driven by environment variables (see README, "Configuration").

OCRPORTAL_ENV picks the mode: `development` (the default, what `make run` uses) or `production`.
Production refuses to start without SECRET_KEY and ALLOWED_HOSTS instead of falling back to defaults.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from ocrportal.env import env_bool, env_choice, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = env_choice("OCRPORTAL_ENV", "development", ("development", "production", "test"))
PRODUCTION = ENV == "production"

DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when OCRPORTAL_ENV=production")


def _development_secret_key() -> str:
    # Generated once per DATA_DIR so sessions survive restarts; never used in production.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
else:
    SECRET_KEY = SECRET_KEY or _development_secret_key()
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ocrportal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",  # its serializer checks username and password; tokens are knox's
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "documents",
    "ocrengine",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads form bodies: see its docstring.
    "documents.uploads.TooManyFilesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "documents.audit.AuditContextMiddleware",
    "documents.errors.RefusalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "documents.storage.StorageFaultMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]
if DEBUG:
    # Inside CommonMiddleware, so a missing trailing slash still redirects first.
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
                      "documents.errors.NotFoundPageMiddleware")  # fmt: skip

ROOT_URLCONF = "ocrportal.urls"
WSGI_APPLICATION = "ocrportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "documents.context_processors.roles",
            ],
        },
    },
]

# Database: SQLite under DATA_DIR unless DATABASE_URL says otherwise (PostgreSQL in production).
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "db.sqlite3"),
            # WAL, a busy timeout and write transactions that take the lock up front (not on their first
            # write, which SQLite refuses at once when another process writes) let web and worker share it.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guessing is throttled on every login door (the login page, the API's token endpoint, the admin) by
# django-axes: after LOGIN_FAILURE_LIMIT failures for one account, or from one address, that account or address
# is locked out for LOGIN_LOCKOUT_MINUTES (429 with Retry-After). Failures and lockouts are in the admin.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
# A successful login forgets that account's own failures only (documents/lockout.py): axes' own reset would
# also forget every other account's failures from the same address, so one valid login would wipe a guesser's.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "documents.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "documents.client_address.client_ip"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "documents:list"
LOGOUT_REDIRECT_URL = "login"

# The interface speaks English and Korean, chosen from the browser's Accept-Language or the switcher.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]


def _time_zone(name: str) -> str:
    # Pages and export time stamps are in this zone; a misspelt one must stop the start, not show UTC.
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"TIME_ZONE={name!r} is not an IANA time zone (e.g. Asia/Seoul, UTC)") from None
    return name


TIME_ZONE = _time_zone(env_str("TIME_ZONE", "Asia/Seoul"))
USE_I18N = True
USE_TZ = True

# Files: documents live in the default storage, never under a public URL; they are served only
# through views that check permissions. STORAGE_BACKEND=s3 switches to S3-compatible object storage.
STORAGE_BACKEND = env_choice("STORAGE_BACKEND", "local", ("local", "s3"))
if STORAGE_BACKEND == "s3":
    _default_storage: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": True,
        },
    }
    if not _default_storage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_BUCKET")
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "files", "base_url": None},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads being received and inspected, on this host's disk. A process killed mid-upload cannot clean up after
# itself: entries older than UPLOAD_TEMP_MAX_AGE_MINUTES (far longer than any upload) are removed by later uploads.
FILE_UPLOAD_TEMP_DIR = str(Path(env_str("UPLOAD_TEMP_DIR", str(DATA_DIR / "uploads-tmp"))).resolve())
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
UPLOAD_TEMP_MAX_AGE_MINUTES = env_int("UPLOAD_TEMP_MAX_AGE_MINUTES", 120, minimum=10)
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("UPLOAD_MAX_FILES_PER_REQUEST", 50, minimum=1)

# Intake limits (defaults follow CLOVA's: 20 MB per image file, 50 MB per pdf/tiff).
UPLOAD_MAX_IMAGE_BYTES = env_int("UPLOAD_MAX_IMAGE_BYTES", 20 * 1024 * 1024, minimum=1)
UPLOAD_MAX_DOCUMENT_BYTES = env_int("UPLOAD_MAX_DOCUMENT_BYTES", 50 * 1024 * 1024, minimum=1)
UPLOAD_MAX_PAGES = env_int("UPLOAD_MAX_PAGES", 200, minimum=1)
UPLOAD_MAX_PAGE_PIXELS = env_int("UPLOAD_MAX_PAGE_PIXELS", 60_000_000, minimum=1)
PDF_INSPECT_TIMEOUT = env_int("PDF_INSPECT_TIMEOUT", 30, minimum=1)

# Page images.
RENDER_DPI = env_int("RENDER_DPI", 200, minimum=36)
RENDER_PAGE_TIMEOUT = env_int("RENDER_PAGE_TIMEOUT", 60, minimum=1)
# PDF pages one document renders at once (each its own poppler process); large pages go one at a time.
RENDER_PARALLEL_PAGES = env_int("RENDER_PARALLEL_PAGES", max(2, os.cpu_count() or 2), minimum=1)
THUMBNAIL_WIDTH = env_int("THUMBNAIL_WIDTH", 240, minimum=16)
CONFIDENCE_LOW = env_float("CONFIDENCE_LOW", 0.8)

# OCR domains. Unset, both calls go to the built-in CLOVA-compatible engine on this app's own address.
PORT = env_int("PORT", 8000, minimum=1)


def _engine_secret() -> str:
    secret = env_str("OCR_ENGINE_SECRET")
    if secret or PRODUCTION:
        return secret
    path = DATA_DIR / "ocr_engine_secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


OCR_ENGINE_SECRET = _engine_secret()
OCR_ENGINE_URL = f"http://127.0.0.1:{PORT}/ocr/local"
if PRODUCTION and not (env_str("OCR_TEMPLATE_INVOKE_URL") and env_str("OCR_GENERAL_INVOKE_URL")):
    # The workers reach the built-in engine at OCR_ENGINE_URL: that host name must be accepted.
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1"]
OCR_ENGINE_VALIDATION_TIMEOUT = env_float("OCR_ENGINE_VALIDATION_TIMEOUT", 5.0)
TESSDATA_PREFIX = env_str("TESSDATA_PREFIX")
OCR_TEMPLATE_INVOKE_URL = env_str("OCR_TEMPLATE_INVOKE_URL") or OCR_ENGINE_URL
OCR_TEMPLATE_SECRET = env_str("OCR_TEMPLATE_SECRET") if env_str("OCR_TEMPLATE_INVOKE_URL") else OCR_ENGINE_SECRET
OCR_GENERAL_INVOKE_URL = env_str("OCR_GENERAL_INVOKE_URL") or OCR_ENGINE_URL
OCR_GENERAL_SECRET = env_str("OCR_GENERAL_SECRET") if env_str("OCR_GENERAL_INVOKE_URL") else OCR_ENGINE_SECRET
if PRODUCTION and not (OCR_TEMPLATE_SECRET and OCR_GENERAL_SECRET):
    raise ImproperlyConfigured(
        "Set OCR_TEMPLATE_SECRET and OCR_GENERAL_SECRET (or OCR_ENGINE_SECRET for the built-in engine) in production"
    )
OCR_ENCODING = env_choice("OCR_ENCODING", "multipart", ("multipart", "json"))
OCR_CONNECT_TIMEOUT = env_float("OCR_CONNECT_TIMEOUT", 5.0)
OCR_READ_TIMEOUT = env_float("OCR_READ_TIMEOUT", 120.0)
# The built-in engine's template calls (import_template, the builder's Save, Try and Deploy), which a person
# waits on: each of at most two attempts may take this long.
ENGINE_TEMPLATE_TIMEOUT = env_float("ENGINE_TEMPLATE_TIMEOUT", 30.0)
OCR_WRITE_TIMEOUT = env_float("OCR_WRITE_TIMEOUT", 60.0)
OCR_POOL_TIMEOUT = env_float("OCR_POOL_TIMEOUT", 10.0)
OCR_RETRY_ATTEMPTS = env_int("OCR_RETRY_ATTEMPTS", 5, minimum=1)
OCR_RETRY_BASE_DELAY = env_float("OCR_RETRY_BASE_DELAY", 1.0)
OCR_RETRY_MAX_DELAY = env_float("OCR_RETRY_MAX_DELAY", 30.0)
OCR_QUOTA_HOLD_SECONDS = env_int("OCR_QUOTA_HOLD_SECONDS", 3600, minimum=1)
OCR_TABLE_DETECTION = env_bool("OCR_TABLE_DETECTION", True)
# Calls one document may have in flight at once (its pages overlap: one waits on OCR, the next renders).
OCR_PARALLEL_CALLS = env_int("OCR_PARALLEL_CALLS", max(2, os.cpu_count() or 2), minimum=1)
# A PDF goes to the built-in engine as the page images the portal has rendered anyway (the engine would
# render every page again); to CLOVA it goes as the original, five pages a call. "auto" chooses so.
OCR_PDF_AS_PAGE_IMAGES = env_choice("OCR_PDF_AS_PAGE_IMAGES", "auto", ("auto", "true", "false"))
# What one call may carry (CLOVA's limits); larger files go as page images.
OCR_MAX_IMAGE_BYTES = env_int("OCR_MAX_IMAGE_BYTES", 20 * 1024 * 1024, minimum=1)
OCR_MAX_DOCUMENT_BYTES = env_int("OCR_MAX_DOCUMENT_BYTES", 50 * 1024 * 1024, minimum=1)

# Background work. With no broker configured, Celery keeps its queue in a SQLite file under DATA_DIR,
# so one machine needs no server; CELERY_BROKER_URL=redis://... lets workers on many hosts share the work.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or f"sqla+sqlite:///{DATA_DIR / 'celery-broker.sqlite3'}"
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "ocrportal")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # job state lives in the portal's own table
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 30 * 60, minimum=10)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 300
# Redis re-delivers an unacknowledged task after the visibility timeout: longer than any task may run.
# The embedded broker's SQLite file is written by the web processes, the worker and its scheduler at once:
# a writer waits up to 30 s for another's lock (SQLite's default, 5 s, lost messages on a busy machine: a
# sweep's requeue failed with "database is locked"), and the file is in WAL mode (see ocrportal/celery.py).
EMBEDDED_BROKER = CELERY_BROKER_URL.startswith("sqla+sqlite:///")
if CELERY_BROKER_URL.startswith(("redis", "rediss")):
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 2}
elif EMBEDDED_BROKER:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"connect_args": {"timeout": 30}}
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "jobs-sweep": {"task": "documents.tasks.jobs_sweep", "schedule": env_float("JOB_SWEEP_SECONDS", 30.0)},
}
# A running job renews its lease as it makes progress; one whose lease ran out (its worker died) is
# picked up again by the sweep, at most JOB_MAX_ATTEMPTS times before the document fails.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 300, minimum=1)
JOB_REQUEUE_AFTER_SECONDS = env_int("JOB_REQUEUE_AFTER_SECONDS", 600, minimum=1)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3, minimum=1)
# The lease is renewed before each OCR attempt and as pages render: it must outlast the longest stretch
# between two renewals, or a second worker could take the job over while this one is still at work (it is
# fenced off then, but the work is done twice). Between renewals: one OCR attempt and the back-off after a
# failed one; or reading the PDF's page sizes and rendering one page twice (a JPEG, then a PNG of a drawn page).
SLOWEST_OCR_ATTEMPT = OCR_POOL_TIMEOUT + OCR_CONNECT_TIMEOUT + OCR_WRITE_TIMEOUT + OCR_READ_TIMEOUT
if JOB_LEASE_SECONDS <= max(SLOWEST_OCR_ATTEMPT + OCR_RETRY_MAX_DELAY, 3 * RENDER_PAGE_TIMEOUT):
    raise ImproperlyConfigured(
        f"JOB_LEASE_SECONDS is {JOB_LEASE_SECONDS} s, but one OCR attempt and its back-off may take "
        f"{SLOWEST_OCR_ATTEMPT + OCR_RETRY_MAX_DELAY:g} s (OCR_POOL_TIMEOUT + OCR_CONNECT_TIMEOUT + "
        f"OCR_WRITE_TIMEOUT + OCR_READ_TIMEOUT + OCR_RETRY_MAX_DELAY) and reading a PDF page may take "
        f"{3 * RENDER_PAGE_TIMEOUT} s (3 × RENDER_PAGE_TIMEOUT): set JOB_LEASE_SECONDS above both, or lower them."
    )

# API tokens (django-rest-knox): stored as digests, shown once, ending after API_TOKEN_HOURS, revoked by
# POST /api/auth/logout/ (this token), /api/auth/logout-all/ (all of the user's) and by a password change.
REST_KNOX = {"TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_HOURS", 10, minimum=1)), "AUTO_REFRESH": False}
API_TOKENS_PER_USER = env_int("API_TOKENS_PER_USER", 10, minimum=1)  # a new one ends the oldest beyond this

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so unauthenticated calls get 401 with a WWW-Authenticate header.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["documents.permissions.IsReviewer"],
    "DEFAULT_PARSER_CLASSES": [
        "documents.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "documents.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "documents.api.exceptions.exception_handler",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50, minimum=1),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ocrportal API",
    "DESCRIPTION": "Upload documents, read their OCR results, correct fields and export reviewed data.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["documents.permissions.IsReviewer"],
    # The docs page loads Swagger UI from the app's own static files: no CDN, nothing inline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Review: fields under LOW are flagged for a second look, HIGH and above are shown as sure; a claim on a
# document lapses after this many minutes without a save, so a reviewer who walked away blocks nobody.
REVIEW_CONFIDENCE_LOW = env_float("REVIEW_CONFIDENCE_LOW", 0.8)
REVIEW_CONFIDENCE_HIGH = env_float("REVIEW_CONFIDENCE_HIGH", 0.95)
REVIEW_CLAIM_MINUTES = env_int("REVIEW_CLAIM_MINUTES", 30, minimum=1)
if not 0 <= REVIEW_CONFIDENCE_LOW <= REVIEW_CONFIDENCE_HIGH <= 1:
    raise ImproperlyConfigured("REVIEW_CONFIDENCE_LOW ≤ REVIEW_CONFIDENCE_HIGH, both between 0 and 1")

# Exports: a ticked checkbox as its checkedText ("text") or as true/false ("boolean").
EXPORT_CHECKBOX_FORMAT = env_choice("EXPORT_CHECKBOX_FORMAT", "text", ("text", "boolean"))

# Security. Production assumes TLS (terminated here or at a proxy that sets X-Forwarded-Proto).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Pages load scripts and styles from the app's own origin only: no inline script or style anywhere, so
# OCR text that slipped into markup could still not run.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
BEHIND_TLS_PROXY = PRODUCTION and env_bool("BEHIND_TLS_PROXY", True)
# Proxies in front that add the client's address to X-Forwarded-For: the address login throttling counts.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 1 if BEHIND_TLS_PROXY else 0, minimum=0)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The built-in engine is called over loopback by this host's workers, which speak plain HTTP to it.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^ocr/local/"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per OCR call at INFO is noise; our client logs what matters (never the secret).
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # faiss tries its AVX builds first and logs each one the wheel lacks before loading the one it has.
        "faiss.loader": {"level": "WARNING"},
        # The security audit trail, one JSON object per line (documents/audit.py); route it where audits go.
        "ocrportal.audit": {"level": "INFO"},
    },
}

FILE_UPLOAD_HANDLERS = [
    "documents.uploads.SubmittedNameHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
