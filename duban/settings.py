"""Duban's one settings module: every value that differs between machines comes from the environment.

The table of settings lives in README.md; keep the two in step.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DUBAN_ENV = os.environ.get("DUBAN_ENV", "development")
PRODUCTION = DUBAN_ENV == "production"
DEBUG = env_flag("DUBAN_DEBUG")

DATA_DIR = Path(os.environ.get("DUBAN_DATA_DIR", PROJECT_DIR / "data"))


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DUBAN_ENV=production.")
    # The embedded default keeps a generated key beside its database so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "auditlog",
    "axes",
    "django_q",
    "rules.apps.AutodiscoverRulesConfig",
    # The platform, then the capabilities, then the cockpit above them (docs/developing.md). `duban
    # demo` loads each app's demo data in this order: units before users before work.
    "duban.core",
    "duban.organisation",
    "duban.accounts",
    "duban.audit",
    "duban.workcalendar",
    "duban.notifications",
    "duban.directives",
    "duban.weekly",
    "duban.bonds",
    "duban.ppp",
    "duban.minutes",
    "duban.cockpit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duban.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "duban.core.middleware.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "duban.audit.middleware.AuditContextMiddleware",
    # Inside the audit context, so that a repeat answered from the first submission writes nothing.
    "duban.core.once.OnceMiddleware",
    # Last, so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "duban.urls"
WSGI_APPLICATION = "duban.wsgi.application"

# Every form's fields outline themselves in red when invalid (core.forms.DubanBoundField).
FORM_RENDERER = "duban.core.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "duban.core.context_processors.navigation",
            ],
        },
    },
]

# DATABASE_URL selects the database; unset, an embedded SQLite file in the data folder.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'duban.sqlite3'}",
        conn_max_age=int(os.environ.get("DUBAN_DB_CONN_MAX_AGE", "60")),
    )
}
# The embedded SQLite takes several writers at once (requests in threads, the job worker):
# - WAL: readers never wait for a writer;
# - IMMEDIATE transactions: a transaction takes the write lock when it begins. A deferred one reads,
#   then asks for the lock when it first writes; if another writer committed meanwhile SQLite answers
#   "database is locked" at once (its snapshot is stale, so waiting cannot help), whatever the timeout;
# - a busy timeout: a writer waits up to 20 s for the lock instead of failing.
DUBAN_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(DUBAN_SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cockpit:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Repeated failed logins are throttled per user name and address (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("DUBAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DUBAN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("zh-hant", _("繁體中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
NODE_MODULES_DIR = Path(os.environ.get("DUBAN_NODE_MODULES", PROJECT_DIR / "node_modules"))
# Front-end packages come from npm (package-lock.json); only their built files are served.
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES_DIR / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES_DIR / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES_DIR / "echarts" / "dist"),
    ("vendor/tom-select", NODE_MODULES_DIR / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "duban.core.uploads.UploadStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("DUBAN_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"
# Uploads larger than this are refused with a message before they are read.
DUBAN_MAX_UPLOAD_MB = int(os.environ.get("DUBAN_MAX_UPLOAD_MB", "20"))
# An antivirus for uploads: the dotted path of a callable that receives each upload and raises
# ValidationError to refuse it (core/uploads.py). Unset: none.
DUBAN_UPLOAD_SCANNER = os.environ.get("DUBAN_UPLOAD_SCANNER") or None
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Excel imports: what a workbook may unpack to, how many rows it may hold, and how many bad rows an
# import lists (the rest are counted). A bigger sheet is refused with a message, never left to tie up
# a worker.
DUBAN_IMPORT_MAX_UNPACKED_MB = int(os.environ.get("DUBAN_IMPORT_MAX_UNPACKED_MB", "100"))
DUBAN_IMPORT_MAX_ROWS = int(os.environ.get("DUBAN_IMPORT_MAX_ROWS", "50000"))
DUBAN_IMPORT_MAX_ERRORS = int(os.environ.get("DUBAN_IMPORT_MAX_ERRORS", "200"))
# Minutes import: the longest text accepted (characters; a long meeting's minutes are some 30,000),
# and what is extracted while the office waits: longer texts, or an extraction still running after
# the given seconds, go to the background worker with a progress bar.
DUBAN_MINUTES_MAX_CHARS = int(os.environ.get("DUBAN_MINUTES_MAX_CHARS", "500000"))
DUBAN_MINUTES_INLINE_MAX_CHARS = int(os.environ.get("DUBAN_MINUTES_INLINE_MAX_CHARS", "50000"))
DUBAN_MINUTES_INLINE_SECONDS = float(os.environ.get("DUBAN_MINUTES_INLINE_SECONDS", "8"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "duban@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_AGE = 60 * 60 * 10

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "duban.core.api.pagination.StandardPagination",
    "EXCEPTION_HANDLER": "duban.core.api.exception_handlers.exception_handler",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["duban.core.api.filters.ListFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "duban.core.api.schema.DubanAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Duban API",
    "DESCRIPTION": "督办平台接口 — the REST API of Duban, the work-supervision platform.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request and response bodies are separate components: a request's required text is non-blank
    # (minLength 1) and read-only fields are not asked for.
    "COMPONENT_SPLIT_REQUEST": True,
}

# The audit trail: django-auditlog with our own entry model that also records the channel.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "admin",
    "sessions",
    "contenttypes",
    "auth.permission",
    "authtoken",
    "axes",
    "django_q",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "audit",
    "core.submission",
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("password", "last_login", "tree_path", "modified_at", "version")
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "organisation.leader", "m2m_fields": ["units", "themes"]},
    {"model": "accounts.user", "exclude_fields": ["password", "last_login"], "m2m_fields": ["groups"]},
    {"model": "directives.directive", "m2m_fields": ["co_units"]},
)
AUDITLOG_STORE_JSON_CHANGES = True
# auditlog's own LogEntry is swapped out for audit.AuditEntry; skipping its migrations keeps its
# unused table (whose foreign key to users blocks PostgreSQL's table flush) out of the database.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Background jobs and schedules: the database broker by default, Redis when DUBAN_REDIS_URL is set.
Q_CLUSTER = {
    "name": "duban",
    "workers": int(os.environ.get("DUBAN_Q_WORKERS", "2")),
    "timeout": 600,
    "retry": 720,
    "max_attempts": 2,
    "catch_up": True,
    "label": _("后台任务"),
    "orm": "default",
    "sync": env_flag("DUBAN_Q_SYNC"),
}
if os.environ.get("DUBAN_REDIS_URL"):
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = os.environ["DUBAN_REDIS_URL"]

# Working calendar: how many working days before a deadline a directive turns yellow, etc.
DUBAN_CITY_NAME = os.environ.get("DUBAN_CITY_NAME", "云泽市")
DUBAN_OFFICE_NAME = os.environ.get("DUBAN_OFFICE_NAME", "市政府督查室")
# The province whose dated rules (bond coverage minimum, capital cap, …) apply on top of national ones.
DUBAN_PROVINCE = os.environ.get("DUBAN_PROVINCE", "")
# The theme (organisation.Theme, by its code) each programme belongs to: the leaders in charge of that
# theme (分管工作) read the whole programme (its projects and their parts), and the programme's
# directives are filed under it. A city that names its themes otherwise changes the codes here.
DUBAN_PROGRAMME_THEMES = {"bonds": "bond", "ppp": "ppp"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DUBAN_LOG_LEVEL", "WARNING")},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("DUBAN_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["DUBAN_REDIS_URL"],
    }
