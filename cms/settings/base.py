"""Settings shared by every environment. Values that differ per machine come from the
environment; see the README for the full list."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "courses",
    "quizzes",
    "certificates",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # `runserver` leaves static files to whitenoise, which answers Range (as in production).
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so that everything after it reads the cache's generations once per request.
    "cms.generations.GenerationsSnapshotMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cms.middleware.NulBytesRefusedMiddleware",
    "cms.middleware.WagtailSiteCachedMiddleware",
    "cms.middleware.PrivatePagesNotCachedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.middleware.CaptionsMissingMiddleware",
    # Last, so that a locked-out login answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site_shell",
                "courses.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one request writes; the busy timeout makes a
    # second writer wait instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer must not hang the site: connecting gives up after a
    # few seconds (so /healthz says 503 in time) and no statement runs for longer than
    # DB_STATEMENT_TIMEOUT_MS.
    statement_ms = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "30000"))
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "2")),
            "options": f"-c statement_timeout={statement_ms}",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in with the city's identity provider (OpenID Connect, mozilla-django-oidc): on only
# when OIDC_ISSUER is set; without it, local passwords work as before. The provider's
# endpoints come from its discovery document (courses.oidc), each overridable below.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
for _endpoint in ("AUTHORIZATION", "TOKEN", "USER", "JWKS", "END_SESSION"):
    if os.environ.get(f"OIDC_OP_{_endpoint}_ENDPOINT"):
        globals()[f"OIDC_OP_{_endpoint}_ENDPOINT"] = os.environ[f"OIDC_OP_{_endpoint}_ENDPOINT"]
# The claim with the employee number (HR's key); without it the e-mail address is the key.
OIDC_EMPLOYEE_CLAIM = os.environ.get("OIDC_EMPLOYEE_CLAIM", "employeeid")
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
# Provider group -> role ("staff", "manager", "editor", "coordinator"), e.g.
# "grp-samordnare=coordinator,grp-chefer=manager".
OIDC_ROLE_MAP = dict(item.split("=", 1) for item in env_list("OIDC_ROLE_MAP") if "=" in item)
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider's end-session request
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_OP_LOGOUT_URL_METHOD = "courses.oidc.provider_logout_url"
# SessionRefresh sends the browser back to the provider (prompt=none) this often.
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = int(os.environ.get("OIDC_RENEW_SECONDS", "900"))
# "all" (default) or "superusers": password sign-in only for break-glass superusers.
LOCAL_LOGIN = os.environ.get("LOCAL_LOGIN", "all")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "courses.auth_backends.LocalPasswordBackend",
    *(["courses.auth_backends.CityOIDCBackend"] if OIDC_ISSUER else []),
    # More sign-in protocols by configuration, e.g. "djangosaml2.backends.Saml2Backend".
    *env_list("AUTH_BACKENDS"),
]
if OIDC_ISSUER:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
        "courses.oidc.ProviderSessionRefresh",
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-axes: lock an account/address pair out after repeated failed logins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # per account and address
# Failed logins are counted in the database, which every node shares (not in a cache).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "cms.ratelimit.axes_client_ip"
# Proxies whose X-Forwarded-For is believed (comma-separated addresses or networks, e.g.
# "10.0.0.5,10.1.0.0/24"): with none, the client's address is REMOTE_ADDR.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_WHITELIST_CALLABLE = "courses.auth_backends.axes_skips_provider_sign_in"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
# The project's catalogue first (makemessages writes only there, and its translations win);
# then Swedish for wagtailmedia, which ships none (see the header of that .po file).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "cms" / "locale_wagtailmedia"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# CSV downloads (cms.exports): the delimiter and the UTF-8 byte-order mark per language.
# Swedish Excel needs ";" and the mark; each may also be a single value for every language.
CSV_DELIMITER = {"sv": ";", "en": ","}
CSV_BOM = {"sv": True, "en": False}
WAGTAIL_I18N_ENABLED = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Files with personal data (certificates) live apart from public media, with no public
# address: only views that check permission serve them (cms/private_files.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
PRIVATE_STORAGE = {
    "BACKEND": "cms.private_files.PrivateFileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
}


def s3_storages(environ) -> tuple[dict | None, dict | None]:
    """Object storage (django-storages' S3 backend) from the S3_* variables: the public
    bucket's storage (public URLs, or the CDN's when S3_PUBLIC_BASE_URL is set) and the
    private bucket's (addresses signed for a short time only). Either is None when its
    bucket is not named. See docs/operations.md."""
    from urllib.parse import urlsplit

    common = {
        "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,
        "access_key": environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("S3_SECRET_ACCESS_KEY") or None,
        "region_name": environ.get("S3_REGION") or None,
        "addressing_style": environ.get("S3_ADDRESSING_STYLE", "path"),
        "signature_version": "s3v4",
        "file_overwrite": False,  # like the file system: a second upload gets its own name
        "default_acl": None,  # the bucket's own policy decides who reads
    }
    public = private = None
    if environ.get("S3_BUCKET_PUBLIC"):
        options = {**common, "bucket_name": environ["S3_BUCKET_PUBLIC"], "querystring_auth": False}
        base = urlsplit(environ.get("S3_PUBLIC_BASE_URL", ""))
        if base.netloc:
            options["custom_domain"] = base.netloc + base.path.rstrip("/")
            options["url_protocol"] = (base.scheme or "https") + ":"
        public = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    if environ.get("S3_BUCKET_PRIVATE"):
        options = {
            **common,
            "bucket_name": environ["S3_BUCKET_PRIVATE"],
            "querystring_auth": True,
            "querystring_expire": 60,  # cms.private_files asks for its own, as short
        }
        private = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    return public, private


_s3_public, _s3_private = s3_storages(os.environ)
MEDIA_STORAGE = _s3_public or MEDIA_STORAGE
PRIVATE_STORAGE = _s3_private or PRIVATE_STORAGE
# How a permitted download of a private file is answered (cms/private_files.py): with the
# private bucket, a redirect to a short-lived signed address.
PRIVATE_FILES_SERVE = os.environ.get(
    "PRIVATE_FILES_SERVE", "signed-url" if _s3_private else "django"
)  # django|nginx|signed-url
PRIVATE_ACCEL_PREFIX = os.environ.get("PRIVATE_ACCEL_PREFIX", "/_private/")
# SCORM packages (courses.scorm): limits a zip must keep to be unpacked at all.
SCORM_MAX_ENTRIES = int(os.environ.get("SCORM_MAX_ENTRIES", 10000))
SCORM_MAX_BYTES = int(os.environ.get("SCORM_MAX_BYTES", 1024 * 1024 * 1024))
SCORM_MAX_RATIO = float(os.environ.get("SCORM_MAX_RATIO", 100))
STORAGES = {
    "default": MEDIA_STORAGE,
    "private": PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Sessions are read from the cache and written through to the database: a page view does not
# query the session table while the cache holds it, and a cache restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "utbildning",
    }
}
if os.environ.get("REDIS_URL"):
    # Shared by every node and worker: sessions (cached_db above), rate limits
    # (cms.ratelimit) and the cached roles and contacts, whose invalidation must reach all
    # processes. Without it each process has its own cache: fine for one process.
    CACHES["default"] = {
        # Django's Redis backend, reusing its redis-py client (cms.cache says why).
        "BACKEND": "cms.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "utbildning"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }

# Learner pages (a course, a module, /my/) kept for their reader's browser this many seconds
# at most, while nothing they show changes (cms.page_cache); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

# Background work: django-tasks on its database queue, run by `manage.py worker` (cms.worker).
# Queues: "default" (certificates, e-mail: short tasks) and "bulk" (the morning reminders,
# digests, imports and follow-up files: long ones), so a long job never delays a certificate.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "bulk"],
    }
}
# A task that raises is run again after 1, 4 and 16 minutes, then left failed for the admin.
TASK_RETRY = {"attempts": 4, "backoff_seconds": 60, "factor": 4}
# A worker not heard from for this long is gone; its running task is queued again.
TASK_WORKER_TIMEOUT = int(os.environ.get("TASK_WORKER_TIMEOUT", "60"))
# Scheduled jobs (cms.schedule), local time; weekdays 0 = Monday.
SCHEDULE = {
    "reminders": {"task": "courses.tasks.reminders_daily_task", "at": "06:30"},
    "session-reminders": {"task": "courses.tasks.session_reminders_daily_task", "at": "08:00"},
    "manager-digest": {"task": "courses.tasks.digests_weekly_task", "at": "07:00", "weekdays": [0]},
    "prune-task-results": {"task": "cms.tasks.task_results_prune_task", "at": "03:15"},
    "prune-signin-refusals": {"task": "courses.tasks.signin_refusals_prune_task", "at": "03:25"},
    "retention": {"task": "courses.tasks.retention_task", "at": "03:45"},
}
# Retention (courses.services.retention, table in the README): months each kind of record is
# kept; None keeps it. The nightly job only logs what it would remove (Admin > Retention
# log) until RETENTION_ENABLED is true.
RETENTION_ENABLED = env_bool("RETENTION_ENABLED", False)
RETENTION = {
    "sign_ins": {"months": 12},  # sign-ins and failed sign-ins (django-axes)
    "notices": {"months": 24},  # automatic e-mails (reminders, session notices, digests)
    "reminders": {"months": 24},  # reminders a manager sent
    "quiz_answers": {"months": 36},  # test attempts and answers, after the course's completion
    # Completions and their certificates: kept while valid, then per the city's archive
    # decision (None: kept). When set: months after expiry or withdrawal, and only once the
    # follow-ups that counted them are adopted.
    "completions": {"months": None},
    # Finished background tasks: days, pruned by the "prune-task-results" job (cms.tasks).
    "task_results": {"succeeded_days": 14, "failed_days": 90},
}
# Workers down longer than this skip a slot rather than send yesterday's reminders late.
SCHEDULE_CATCH_UP_HOURS = 12

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "utbildning@example.se")

WAGTAIL_SITE_NAME = "Utbildning mot våldsbejakande extremism"
# The public address; by default the one `make run` serves (its PORT). Every absolute
# address is made from it by cms.addresses.absolute_url.
SITE_URL = os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
WAGTAILADMIN_BASE_URL = SITE_URL
# On PostgreSQL the database backend uses full-text search; "swedish" stems Swedish words
# (samtalen -> samtal). Other databases ignore SEARCH_CONFIG.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "swedish"}
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "vtt"]
# No avatars from outside hosts: Wagtail would send each admin user's e-mail hash to one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

WAGTAILMEDIA = {
    "MEDIA_MODEL": "wagtailmedia.Media",
    "AUDIO_EXTENSIONS": ["mp3", "ogg", "wav", "m4a"],
    "VIDEO_EXTENSIONS": ["mp4", "webm", "ogv"],
}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
