"""PAKS settings, read from environment variables.

The defaults run the embedded setup: SQLite, local media, console e-mail, DEBUG off.
With PAKS_ENV=production every secret and host must come from the environment, and start-up
fails loudly when one is missing.
"""

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PAKS_ENV = env_str("PAKS_ENV", "embedded")
if PAKS_ENV not in {"embedded", "production"}:
    raise ValueError(f"PAKS_ENV must be 'embedded' or 'production', not {PAKS_ENV!r}")
PRODUCTION = PAKS_ENV == "production"

DEBUG = env_bool("DEBUG", False)
# The embedded setup runs on a developer's machine only; production must bring its own key.
SECRET_KEY = (
    env_str("SECRET_KEY")
    if PRODUCTION
    else env_str("SECRET_KEY", "django-insecure-embedded-only-never-use-in-production")
)
ALLOWED_HOSTS = (
    env_list("ALLOWED_HOSTS")
    if PRODUCTION
    else env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "simple_history",
    "import_export",
    "django_guid",
    # The project's apps from the bottom of the stack up: each imports only those before it
    # (the import-linter contracts in pyproject.toml keep it so).
    "taxonomy",
    "accounts",
    "countries",
    "events",
    "paks",
    "paks.search",
    "paks.webhooks",
    "paks.imports",
    "workspace",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",  # first: every later log line has the id
    "core.replicas.ReplicaMiddleware",  # before anything reads the database
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Pages and JSON compressed (static files come compressed from WhiteNoise). CSRF tokens
    # are masked anew on each response, which keeps BREACH from reading them.
    "django.middleware.gzip.GZipMiddleware",
    # An ETag (of the content) on every page and API read that sets none itself, and 304 for
    # a client that has it already: mirrors re-read details cheaply. After GZip, so that it
    # reads the body before compression.
    "django.middleware.http.ConditionalGetMiddleware",
    "paks.middleware.UploadSizeLimitMiddleware",
    "paks.middleware.DatabaseBusyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Pages take their language from the address (/fr/…, English without a prefix); the API
    # and the admin from the client's Accept-Language.
    "paks.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who made a change, for the history of every model that keeps one.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it answers locked-out sign-in attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "paks.urls"
WSGI_APPLICATION = "paks.wsgi.application"
ASGI_APPLICATION = "paks.asgi.application"

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
            ],
        },
    },
]

# DATABASE_URL selects the database (postgres://user@host:5432/name); SQLite is the default.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the search's facet query looks expensive to the planner, and
    # compiling it took 560 ms of a 1.2 s request that takes 0.6 s without.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under concurrent requests: readers never wait for the writer
    # (WAL), a write waits up to 20 s for another to finish instead of failing at once, and
    # every transaction takes the write lock when it begins, so that two writers queue
    # instead of deadlocking halfway (and a stale ETag is then a 412, not a 500).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env_int("PAKS_SQLITE_TIMEOUT_SECONDS", 20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# A read replica of the primary (PostgreSQL streaming replication): public reads go to it
# (core.replicas). Tests never make a database of their own for it: it mirrors the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"]
if PRODUCTION and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ValueError("PAKS_ENV=production needs DATABASE_URL pointing at PostgreSQL")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out person is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in guessing: after AXES_FAILURE_LIMIT wrong passwords for one account from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES. Attempts are kept for the audit.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "core.net.request_client_address"

# The proxies in front (nginx, a load balancer): client addresses are read from their
# X-Forwarded-For only (core.net). A list of addresses or networks, or how many there are.
PAKS_TRUSTED_PROXIES = env_list("PAKS_TRUSTED_PROXIES", [])
PAKS_PROXY_COUNT = env_int("PAKS_PROXY_COUNT", 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The six official languages of the United Nations, in the UN's order.
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers in each language's way (Django's formats; English's own: paks/formats/en).
FORMAT_MODULE_PATH = ["paks.formats"]
# Stored in UTC; each event carries its own time zone and is shown in it.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files go to S3-compatible object storage (django-storages) when a bucket is named;
# credentials come from the environment as boto3 reads them (AWS_ACCESS_KEY_ID, ...).
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL", "") or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", "") or None
    AWS_LOCATION = env_str("AWS_LOCATION", "media")
    # Files are private: the portal serves them itself, after its own permission check.
    AWS_DEFAULT_ACL = "private"
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False

REDIS_URL = env_str("REDIS_URL", "")
if PRODUCTION and not REDIS_URL:
    # Without a cache every process shares, each gunicorn worker would keep its own rate
    # counts and lockouts: two workers let twice the limit through.
    raise ValueError(
        "PAKS_ENV=production needs REDIS_URL: rate limits, sign-in and token lockouts and the "
        "public cache must be shared by every process"
    )
if REDIS_URL:
    # django-redis keeps one client per process; Django's own Redis cache builds a new
    # client object for every operation, which costs more than the round trip itself.
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}

# Background work (document processing) through Django's Tasks API. The embedded default keeps
# the queue in the database (`manage.py db_worker`); production puts it in Redis for RQ
# workers (`manage.py rqworker --job-class django_tasks_rq.Job`).
PAKS_TASK_BACKEND = env_str("PAKS_TASK_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if PAKS_TASK_BACKEND not in _TASK_BACKENDS:
    raise ValueError(f"PAKS_TASK_BACKEND must be one of {sorted(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[PAKS_TASK_BACKEND]}}
if PAKS_TASK_BACKEND == "rq" and not REDIS_URL:
    raise ValueError("PAKS_TASK_BACKEND=rq needs REDIS_URL")
# Limits on reading one document, in its own process: CPU and wall-clock seconds, memory.
PAKS_PROCESSING_SECONDS = env_int("PAKS_PROCESSING_SECONDS", 60)
PAKS_PROCESSING_MEMORY_MB = env_int("PAKS_PROCESSING_MEMORY_MB", 768)
# Webhooks: http:// and this machine's addresses as endpoints (local development and tests;
# production posts to public https:// addresses only), and how long deliveries are logged.
PAKS_WEBHOOKS_ALLOW_HTTP = env_bool("PAKS_WEBHOOKS_ALLOW_HTTP", not PRODUCTION)
PAKS_WEBHOOKS_KEEP_DAYS = env_int("PAKS_WEBHOOKS_KEEP_DAYS", 30)
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": PAKS_PROCESSING_SECONDS * 2,
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PAKS <no-reply@paks.localhost>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The portal's address as people reach it, for links in e-mails.
PAKS_SITE_URL = env_str("PAKS_SITE_URL", "http://127.0.0.1:8000")
# An invitation link works once, for this many days.
PAKS_INVITATION_DAYS = env_int("PAKS_INVITATION_DAYS", 14)
# A country's information is stale when no focal point confirmed it for this many days;
# remind_stale_countries then reminds its focal points, at most once per reminder interval.
PAKS_STALE_AFTER_DAYS = env_int("PAKS_STALE_AFTER_DAYS", 180)
PAKS_STALE_REMINDER_DAYS = env_int("PAKS_STALE_REMINDER_DAYS", 30)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24) * 3600

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every response: nothing but the portal's own files,
# no inline script or style but a nonce'd block where a template needs one, and the one
# style of the bare 500 page (rendered without a request, so without a nonce) by its hash.
ERROR_PAGE_STYLE = "'sha256-lwQEDtH0z+dFAqgrLtc9bwH5fpvy1UHz9nIS0NEZ56k='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE, ERROR_PAGE_STYLE],
        "img-src": [SELF, "data:"],  # data: for the API docs' icons
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy: the portal uses none of these browser features, nor may anything it
# embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    # The portal's own domain and its subdomains, HTTPS only, as the browsers' preload list
    # asks (turn off for a domain that shares subdomains with plain-HTTP services).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGIN_URL = "account:sign-in"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "paks:home"

REST_FRAMEWORK = {
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "paks.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    # Tokens for API clients; the session (with its CSRF check) for the browsable API.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "paks.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON bodies are checked for depth and array sizes before any field is read.
    "DEFAULT_PARSER_CLASSES": [
        "paks.api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Each view declares the role each action needs (see paks.api.permissions).
    "DEFAULT_PERMISSION_CLASSES": ["paks.api.permissions.Roles"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "paks.api.schema.RoleAwareSchema",
    "EXCEPTION_HANDLER": "paks.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "paks.api.throttling.AnonymousRateThrottle",
        "paks.api.throttling.TokenRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("PAKS_API_ANON_RATE", "120/minute"),
        "token": env_str("PAKS_API_TOKEN_RATE", "600/minute"),
    },
}
# Anonymous API reads are cached this long (dropped at once when public content changes);
# only with a cache shared by all processes, so 0 (off) without REDIS_URL.
PAKS_API_CACHE_SECONDS = env_int("PAKS_API_CACHE_SECONDS", 300 if REDIS_URL else 0)
# Wrong API tokens allowed from one address before it is answered 429 for the lockout period.
# The HTML case search, per client address (the API has its own rates above); empty: none.
PAKS_SEARCH_RATE = env_str("PAKS_SEARCH_RATE", "120/minute")
PAKS_TOKEN_FAILURE_LIMIT = env_int("PAKS_TOKEN_FAILURE_LIMIT", 10)
PAKS_TOKEN_LOCKOUT_SECONDS = env_int("PAKS_TOKEN_LOCKOUT_SECONDS", 900)
# Uploads larger than this are refused, before their body is read when they declare their size.
PAKS_MAX_UPLOAD_BYTES = env_int("PAKS_MAX_UPLOAD_MB", 50) * 1024 * 1024
# Admin and command imports (paks/imports): a sheet is saved whole or not at all.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The most rows of one sheet the admin imports: the task worker holds the sheet and its
# report in memory (some 2 KB a row); `manage.py import_data` takes any number.
PAKS_IMPORT_MAX_ROWS = env_int("PAKS_IMPORT_MAX_ROWS", 50_000)

SPECTACULAR_SETTINGS = {
    "TITLE": "PAKS API",
    "DESCRIPTION": (
        "Public Administration Knowledge Space: published country cases in e-government, "
        "their documents, the events where they were presented, countries, organizations, "
        "themes and SDGs."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from local static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "paks.api.schema.add_error_responses",
        "paks.api.schema.either_page_of_cases",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "events.models.Event.Kind",
        "OrganizationKindEnum": "countries.models.Organization.Kind",
        "DocumentKindEnum": "paks.models.Document.Kind",
        "ContributionKindEnum": "paks.models.Contribution.Kind",
    },
}

# Every log line carries the id of the request it belongs to (django-guid; X-Request-ID in
# and out, a new UUID when a request has none), also in the worker for the tasks a request
# queued. In production each line is one JSON object, for the log collector.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,  # a client's id is kept only when it is a UUID
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
}
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "plain")
if LOG_FORMAT not in ("json", "plain"):
    raise ValueError("LOG_FORMAT must be json or plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
        },
        "plain": {"format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # It says at INFO, for every request, that it made an id: the lines it marks are enough.
    # WeasyPrint says at INFO each step of every PDF it makes; its warnings are kept.
    "loggers": {
        "django_guid": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
