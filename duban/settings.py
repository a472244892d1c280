"""Duban's one settings module: every value that differs between machines comes from the environment.

The table of settings lives in README.md; keep the two in step.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
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
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
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
    "duban.incentives",
    # Surveys before the assessment: the demo's assessment scores the survey responses' timeliness.
    "duban.surveys",
    "duban.assessment",
    "duban.cockpit",
]

MIDDLEWARE = [
    # First and last: the request metrics (django-prometheus); then the request id and the request log.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "duban.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "duban.core.health.HealthzMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duban.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "duban.accounts.middleware.AccountSecurityMiddleware",
    "duban.core.middleware.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "duban.core.middleware.SecurityHeadersMiddleware",
    "duban.audit.middleware.AuditContextMiddleware",
    # Inside the audit context, so that a repeat answered from the first submission writes nothing.
    "duban.core.once.OnceMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "duban.urls"


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (a container's share)
    except AttributeError:
        return os.cpu_count() or 1


# `duban serve` (gunicorn, docs/deploy.md): worker processes, threads in each, and how long SIGTERM
# lets the requests in flight finish before the workers are stopped.
DUBAN_WORKERS = max(1, int(os.environ.get("DUBAN_WORKERS") or _cores()))
DUBAN_THREADS = max(1, int(os.environ.get("DUBAN_THREADS", "8")))
DUBAN_GRACEFUL_TIMEOUT = max(1, int(os.environ.get("DUBAN_GRACEFUL_TIMEOUT", "30")))
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
# On PostgreSQL the application may connect as a role that only reads and appends to the audit logs
# (`duban db grant-app-role`), while the tables' owner, DUBAN_MIGRATE_DATABASE_URL, migrates them:
# `duban` connects as the owner for the commands that need it (duban/cli.py: OWNER_COMMANDS), which
# it says by setting DUBAN_DB_AS_OWNER (docs/security.md).
_APP_DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'duban.sqlite3'}"
DUBAN_MIGRATE_DATABASE_URL = os.environ.get("DUBAN_MIGRATE_DATABASE_URL", "")
DUBAN_DB_AS_OWNER = env_flag("DUBAN_DB_AS_OWNER") and bool(DUBAN_MIGRATE_DATABASE_URL)
DATABASES = {
    "default": dj_database_url.parse(
        DUBAN_MIGRATE_DATABASE_URL if DUBAN_DB_AS_OWNER else _APP_DATABASE_URL,
        conn_max_age=int(os.environ.get("DUBAN_DB_CONN_MAX_AGE", "60")),
    )
}
# The role the application connects as: what `duban db grant-app-role` grants when given no name.
DUBAN_APP_DB_ROLE = dj_database_url.parse(_APP_DATABASE_URL).get("USER") or ""
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
    # The tests' database is a file too, not Django's in-memory default: the browser tests' live
    # server then opens a connection per request thread, as the platform does, instead of sharing the
    # test's one connection between threads (concurrent requests on it hung a CI run).
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "tests.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "duban.accounts.backends.BoundedModelBackend",
]
# Argon2id at OWASP's minimum cost (docs/decisions/0009-password-hashing.md).
PASSWORD_HASHERS = [
    "duban.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "duban.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "duban.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "duban.accounts.validators.NamePinyinValidator"},
    {"NAME": "duban.accounts.validators.CityYearValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cockpit:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated);
# every address the platform records or throttles comes from core.net.client_address.
DUBAN_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("DUBAN_TRUSTED_PROXIES", "").split(",") if p.strip()
]

# Repeated failed logins are throttled per user name and address (django-axes), and per address
# whatever the user name (accounts/backends.py); at most DUBAN_LOGIN_CONCURRENCY password checks
# run at once in one process, so a flood of logins cannot exhaust memory.
AXES_FAILURE_LIMIT = int(os.environ.get("DUBAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DUBAN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_LOCKOUT_CALLABLE = "duban.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "duban.core.net.client_address"
# Lockouts are lifted by the security administrator on the platform's pages, not in the Django admin.
AXES_ENABLE_ADMIN = False
DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("DUBAN_LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
DUBAN_LOGIN_CONCURRENCY = int(os.environ.get("DUBAN_LOGIN_CONCURRENCY", "4"))
DUBAN_LOGIN_WAIT_SECONDS = float(os.environ.get("DUBAN_LOGIN_WAIT_SECONDS", "10"))

# Passwords are changed at first login (after the office set them) and every this many days (0: never).
DUBAN_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("DUBAN_PASSWORD_MAX_AGE_DAYS", "90"))
# A signed-in session ends after this many minutes without a request.
DUBAN_SESSION_IDLE_MINUTES = int(os.environ.get("DUBAN_SESSION_IDLE_MINUTES", "30"))
# Two-factor authentication (TOTP) for the office and administrators; on by default in production
# only, so that the demo's office account signs in with its password alone (docs/security.md).
DUBAN_REQUIRE_2FA = env_flag("DUBAN_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = os.environ.get("DUBAN_OTP_ISSUER", "督办平台")
# The security log (logins, refusals, exports) is kept at least this long; the purge refuses less.
DUBAN_SECURITY_LOG_RETENTION_DAYS = max(183, int(os.environ.get("DUBAN_SECURITY_LOG_RETENTION_DAYS", "183")))

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
# A workbook larger than this (KB; some hundreds of rows) is imported by the background worker while
# the user watches its progress, instead of inside the request (core/imports.py: import_start).
DUBAN_IMPORT_INLINE_MAX_KB = int(os.environ.get("DUBAN_IMPORT_INLINE_MAX_KB", "32"))
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
# The absolute limit of a session; the idle limit (DUBAN_SESSION_IDLE_MINUTES) is usually reached first.
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: a call without credentials answers 401 with `WWW-Authenticate: Token`.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
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
    # The schema and its pages are for signed-in users only (an intranet government system).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # One name per choice set shared by several fields (`check --deploy` stays free of warnings).
    "ENUM_NAME_OVERRIDES": {
        "BondProjectStateEnum": "duban.bonds.models.choices.ProjectState",
        "MeetingKindEnum": "duban.directives.models.MeetingKind",
        "DirectiveStateEnum": "duban.directives.models.State",
        "LightEnum": "duban.directives.models.Light",
        "LightReasonLightEnum": "duban.directives.api.serializers.REASON_LIGHTS",
        "DecisionActionEnum": "duban.weekly.models.DecisionAction",
        "ObligationStateEnum": "duban.ppp.models.contracts.Obligation.State",
        "MinutesDraftStateEnum": "duban.minutes.models.DraftState",
        "PPPClassEnum": "duban.ppp.models.common.ClassChoice",
        "PPPStepCodeEnum": "duban.ppp.models.projects.STEP_CHOICES",
        "SurveyResponseStateEnum": "duban.surveys.models.ResponseState",
        # A directive's source keeps the name it had before the assessment's indicators had one too.
        "SourceEnum": "duban.directives.models.Source",
        "AssessmentSourceEnum": "duban.assessment.models.schemes.Source",
        # open / closed: a weekly cycle and a survey round
        "OpenClosedStateEnum": "duban.surveys.models.RoundState",
    },
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
    "knox",
    "otp_totp",
    "django_otp",
    "axes",
    "django_q",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "audit",
    "core.submission",
    # A background import's own record (its progress and outcome); what it imports is audited.
    "core.importjob",
    # The survey answers' values table is derived from the answers (which are audited).
    "surveys.surveyvalue",
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("password", "last_login", "tree_path", "modified_at", "version")
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "organisation.leader", "m2m_fields": ["units", "themes"]},
    {
        "model": "accounts.user",
        "exclude_fields": ["password", "last_login", "auth_token_set"],
        "m2m_fields": ["groups"],
    },
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
# The local time of day (HH:MM) after which each working day's digest of informational notices goes
# out to those who read them once a day (notifications.services.send_digests; leaders by default).
DUBAN_DIGEST_TIME = os.environ.get("DUBAN_DIGEST_TIME", "08:30")
# The platform's address, for the links in e-mails, robot messages and SMS (relative paths otherwise).
DUBAN_SITE_URL = os.environ.get("DUBAN_SITE_URL", "")
# Channels beyond the inbox (notifications/services/deliveries.py): the platform's DingTalk custom robot
# (its webhook with access_token, and its 加签 secret), WeCom group robot (webhook with key), the SMS
# gateway (POST JSON {"phone", "text"}, bearer token). Units' own robots are kept by the office.
DUBAN_DINGTALK_WEBHOOK = os.environ.get("DUBAN_DINGTALK_WEBHOOK", "")
DUBAN_DINGTALK_SECRET = os.environ.get("DUBAN_DINGTALK_SECRET", "")
DUBAN_WECOM_WEBHOOK = os.environ.get("DUBAN_WECOM_WEBHOOK", "")
DUBAN_SMS_URL = os.environ.get("DUBAN_SMS_URL", "")
DUBAN_SMS_TOKEN = os.environ.get("DUBAN_SMS_TOKEN", "")
DUBAN_SMS_SIGNATURE = os.environ.get("DUBAN_SMS_SIGNATURE", "")
DUBAN_NOTIFY_TIMEOUT = float(os.environ.get("DUBAN_NOTIFY_TIMEOUT", "5"))
DUBAN_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("DUBAN_NOTIFY_MAX_ATTEMPTS", "5"))
# Quiet hours: non-urgent messages wait outside these local hours of a working day (the working
# calendar) for the start of the next working day's hours.
DUBAN_QUIET_HOURS = env_flag("DUBAN_QUIET_HOURS", True)
DUBAN_WORK_START = os.environ.get("DUBAN_WORK_START", "09:00")
DUBAN_WORK_END = os.environ.get("DUBAN_WORK_END", "18:00")

# Logs (core/logs.py): one line per event on standard error, as readable text or as JSON lines for a
# log collector; every line of a request carries its request id. `duban.request` writes each request
# at INFO (an access log, with DUBAN_LOG_LEVEL=INFO) and a request slower than
# DUBAN_SLOW_REQUEST_SECONDS at WARNING (0: no slow-request lines).
DUBAN_LOG_FORMAT = os.environ.get("DUBAN_LOG_FORMAT", "json" if PRODUCTION else "text").strip().lower()
if DUBAN_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("DUBAN_LOG_FORMAT must be json or text.")
DUBAN_SLOW_REQUEST_SECONDS = float(os.environ.get("DUBAN_SLOW_REQUEST_SECONDS", "1"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "duban.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "duban.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": DUBAN_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DUBAN_LOG_LEVEL", "WARNING")},
}
# The audit trail's correlation id is the request id (the client's own header is not believed).
AUDITLOG_CID_GETTER = "duban.core.logs.current_request_id"

# Health and metrics (core/health.py, core/metrics.py). /healthz fails its job check when a queued
# job, or a scheduled one that is due, has waited longer than this (the worker is down or behind).
DUBAN_HEALTH_MAX_JOB_AGE_SECONDS = int(os.environ.get("DUBAN_HEALTH_MAX_JOB_AGE_SECONDS", "900"))
# /metrics answers the signed-in office and administrators, and a scraper that sends
# `Authorization: Bearer <token>`; unset, no token is accepted.
DUBAN_METRICS_TOKEN = os.environ.get("DUBAN_METRICS_TOKEN") or None

# API tokens (django-rest-knox): stored as hashes, shown once, expiring, revoked at logout and at a
# password change.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(os.environ.get("DUBAN_API_TOKEN_DAYS", "30"))),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": 10,
    "AUTO_REFRESH": False,
}

# Security headers (docs/security.md). The content security policy allows the platform's own assets
# only; inline scripts and <style> elements carry the request's nonce. Style attributes stay allowed
# (progress bars' widths): they cannot run code.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DUBAN_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "style-src-elem": ["'self'", NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# HSTS preload (security.W021) is for public sites on the browsers' preload list; a government
# intranet host is not submitted there, so the header carries no preload directive by default.
SILENCED_SYSTEM_CHECKS = [] if env_flag("DUBAN_HSTS_PRELOAD", False) else ["security.W021"]

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("DUBAN_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DUBAN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DUBAN_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_flag("DUBAN_HSTS_PRELOAD", False)

# The cache is shared by every process of the platform (docs/deploy.md): the login limit per address
# and the working calendar must be the same in each. Without Redis, a folder in the data directory,
# which the processes of one host share; several hosts share Redis (DUBAN_REDIS_URL).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("DUBAN_CACHE_DIR") or str(DATA_DIR / "cache"),
    },
    # The live progress of background jobs (core/jobs.py): shared by the web processes and the worker.
    "jobs": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(os.environ.get("DUBAN_CACHE_DIR") or DATA_DIR / "cache") / "jobs"),
    },
}
if os.environ.get("DUBAN_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["DUBAN_REDIS_URL"],
    }
    CACHES["jobs"] = CACHES["default"]
