"""erpimpl settings, driven entirely by environment variables (see README, "Configuration").

Sections: core, apps, middleware, database, auth, i18n/tz, static/media, templates, DRF,
Celery, email, logging, security.
"""

import ipaddress
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from erpimpl.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ERPIMPL_VAR_DIR", str(BASE_DIR / "var")))

# --- core -------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment; for development, a generated key kept in a local file."""
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- apps -------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",
    "projects",
    "phases.discovery",
    "phases.design",
    "phases.development",
    "datamigration",
    "testing",
    "golive",
    "support",
]

# --- middleware -------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "projects.roles.RoleMemo",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]
ROOT_URLCONF = "erpimpl.urls"
WSGI_APPLICATION = "erpimpl.wsgi.application"

# --- database ---------------------------------------------------------------------------
# DB_CONN_MAX_AGE (seconds a connection outlives its request) defaults to 0: one connection
# per request, closed at its end. The development server answers each client connection on
# a thread of its own, so a kept connection per thread leaks one database connection per
# open browser or API session (PostgreSQL ran out of clients after ~1,700 requests). Set it
# (e.g. 60) only where a server reuses its threads: gunicorn (see README, "Running in
# production") and the Celery workers. Health checks drop a kept connection that died.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file-backed test database, so a real worker process can read what a test wrote.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 30}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -------------------------------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# Failed sign-ins (the login page and the API token door alike) are counted in the database
# per account and per client address, so every web process sees the same count
# (projects/services/logins.py). Past a limit, sign-in is refused until the window has passed.
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15)
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20)
for _name in ("LOGIN_FAILURE_WINDOW_MINUTES", "LOGIN_FAILURES_PER_ACCOUNT", "LOGIN_FAILURES_PER_ADDRESS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the client. Empty: the
# client is the connection's address, and X-Forwarded-For is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network.") from _exc
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- i18n / tz --------------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

# --- static / media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from it; collectstatic fills it
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from the npm registry (package.json); they are served straight
# from node_modules under /static/vendor/ and collected with everything else.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/frappe-gantt", NODE_MODULES / "frappe-gantt" / "dist"),
    ("vendor/bpmn-js", NODE_MODULES / "bpmn-js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Every zip container a user sends (xlsx, docx, pptx, zip) is checked before anything unpacks
# it (projects/containers.py): entries, total unpacked size, compression ratio per entry.
# Master data has its own limits (DATAMIGRATION_XLSX_*).
UPLOAD_ARCHIVE_MAX_ENTRIES = env_int("UPLOAD_ARCHIVE_MAX_ENTRIES", 10_000)
UPLOAD_ARCHIVE_MAX_UNPACKED_MB = env_int("UPLOAD_ARCHIVE_MAX_UNPACKED_MB", 200)
UPLOAD_ARCHIVE_MAX_RATIO = env_int("UPLOAD_ARCHIVE_MAX_RATIO", 200)
# A requirement import refuses a file with more rows, counted while it is read.
REQUIREMENT_IMPORT_MAX_ROWS = env_int("REQUIREMENT_IMPORT_MAX_ROWS", 5000)

# --- templates --------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["projects.templatetags.projects_tags"],
        },
    },
]

# --- DRF --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "projects.authentication.TokenAuthentication",  # knox's, refusing tokens older than the password
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "projects.api.filtering.RequestedFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "erpimpl.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "erpimpl.schema.ErpimplAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "EXCEPTION_HANDLER": "erpimpl.errors.api_exception_handler",
    # No query parameter is reserved by DRF: ``?format=`` would answer 404 on every endpoint
    # without a renderer of that name. Downloads name their format ``file_format``.
    "URL_FORMAT_OVERRIDE": None,
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 90)),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "erpimpl API",
    "DESCRIPTION": "REST API of erpimpl: ERP implementation projects from kick-off to support.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name get explicit component names (one line per set).
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "projects.models.Project.Status",
        "PhaseStatusEnum": "projects.models.Phase.Status",
        "TaskStatusEnum": "projects.models.Task.Status",
        "PhaseKindEnum": "projects.models.PhaseKind",
        "ApprovalDecisionEnum": "projects.models.Approval.Decision",
        "SignoffDecisionEnum": "projects.models.SIGNOFF_DECISIONS",
        "DesignStatusEnum": "phases.design.models.DesignStatus",
        "FunctionKindEnum": "phases.design.models.FunctionDescription.Kind",
        "TechnicalRequirementStatusEnum": "phases.design.models.TechnicalRequirement.Status",
        "BusinessAreaEnum": "phases.discovery.models.BusinessArea",
        "StakeholderLevelEnum": "phases.discovery.models.Level",
        "RequirementSourceEnum": "phases.discovery.models.Requirement.Source",
        "RequirementPriorityEnum": "phases.discovery.models.Requirement.Priority",
        "RequirementFitGapEnum": "phases.discovery.models.Requirement.FitGap",
        "RequirementResolutionEnum": "phases.discovery.models.Requirement.Resolution",
        "RequirementStatusEnum": "phases.discovery.models.Requirement.Status",
        "RaidItemKindEnum": "phases.discovery.models.RaidItem.Kind",
        "RaidItemStatusEnum": "phases.discovery.models.RaidItem.Status",
        "PlanDocumentKindEnum": "phases.discovery.models.PlanDocument.Kind",
        "RaciLetterEnum": "phases.discovery.models.RaciAssignment.Letter",
        "MasterDataFieldTypeEnum": "datamigration.models.FieldDefinition.Type",
        "TestCaseTypeEnum": "testing.models.CaseType",
    },
}

# --- Celery -----------------------------------------------------------------------------
# Without CELERY_BROKER_URL the broker is kombu's filesystem transport under var/broker:
# a real broker shared by the web process and the worker, with no server to install.
BROKER_DIR = VAR_DIR / "broker"
for _folder in ("queue", "processed", "control"):
    (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL") or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60)}
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 5 * 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 6 * 60)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic jobs (run by `celery beat`, or a worker started with -B in development).
CELERY_BEAT_SCHEDULE = {
    # Re-queue migration runs whose worker died (lease expired); see datamigration/README.md.
    "datamigration-reconcile-runs": {
        "task": "datamigration.tasks.migration_runs_reconcile_task",
        "schedule": env_int("MIGRATION_RECONCILE_SECONDS", 60),
    },
    # Readiness runs whose worker died (lease expired) go on; see golive/tasks.py.
    "golive-reconcile-readiness-runs": {
        "task": "golive.tasks.readiness_runs_reconcile_task",
        "schedule": 60,
    },
    # One static entry finds the projects due a readiness check (go-live within the window).
    "golive-scheduled-readiness-runs": {
        "task": "golive.tasks.readiness_runs_schedule_task",
        "schedule": crontab(hour=env_int("READINESS_SCHEDULE_HOUR", 6), minute=0),
    },
}
# Projects whose go-live is this many days away or fewer get a readiness check every day.
READINESS_SCHEDULE_DAYS = env_int("READINESS_SCHEDULE_DAYS", 42)
# A readiness run's lease: a worker silent this long is taken to be gone (its run goes on elsewhere).
READINESS_LEASE_SECONDS = env_int("READINESS_LEASE_SECONDS", 60)

# --- email ------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "erpimpl <noreply@localhost>")
#: The site's address as users reach it: links in e-mails (sign-off notices) start with it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- security ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
# A weak key stops start-up outside DEBUG (the thresholds of Django's deploy check security.W009);
# the key generated into .secret_key for development passes.
if not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production (DEBUG is off): it must be at least 50 random characters "
        "with at least 5 different ones, not starting with 'django-insecure'. Generate one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'. (In development leave SECRET_KEY "
        "unset: a strong key is generated into .secret_key.)"
    )
