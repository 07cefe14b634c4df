"""Production: every secret comes from the environment; nothing insecure by default."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

DEBUG = env_bool("DEBUG", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Nothing frames the site but Wagtail's own preview, whose views say SAMEORIGIN themselves.
X_FRAME_OPTIONS = "DENY"
# HTTPS: redirect and HSTS on by default; a TLS-terminating proxy that redirects itself can
# switch the redirect off (SECURE_SSL_REDIRECT=false), and HSTS is set in seconds (0: off).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Monitoring asks over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
STORAGES = {
    "default": MEDIA_STORAGE,  # noqa: F405 (the public bucket when S3_BUCKET_PUBLIC is set)
    "private": PRIVATE_STORAGE,  # noqa: F405 (the private bucket when S3_BUCKET_PRIVATE is)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Persistent database connections: a request reuses its worker's connection instead of
# opening one (on SQLite: and running the WAL pragmas) for every request, which cost more
# CPU than /healthz itself. On PostgreSQL each worker keeps a small psycopg pool instead
# (Django requires CONN_MAX_AGE 0 with a pool); DB_POOL=false goes back to one persistent
# connection per worker, for a server-side pooler (pgbouncer) in front of the database.
# CONN_HEALTH_CHECKS: a connection the database dropped is replaced, not failed on.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
if "DB_CONN_MAX_AGE" not in os.environ:
    DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(  # noqa: F405
    "DB_POOL", True
):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
    DATABASES["default"]["OPTIONS"]["pool"] = {  # noqa: F405
        "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "1")),
        "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "4")),
        # A request waits this long for a free connection before it fails.
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }

# Private files: signed addresses of the private bucket, or on disk nginx serves them
# (X-Accel-Redirect) unless told otherwise.
PRIVATE_FILES_SERVE = os.environ.get(
    "PRIVATE_FILES_SERVE", "signed-url" if os.environ.get("S3_BUCKET_PRIVATE") else "nginx"
)
