"""The test suite: fast hashing, in-memory e-mail, media in a throw-away folder."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker started by a test (tests/cms/test_worker.py) is told the same folders.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="utbildning-test-media-")
PRIVATE_MEDIA_ROOT = os.environ.get("PRIVATE_MEDIA_ROOT") or tempfile.mkdtemp(
    prefix="utbildning-test-private-"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "cms.private_files.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tasks run inside the request in tests, on purpose: each test sees a task's effect at once.
# The worker's own tests (tests/cms/test_worker.py) start real workers on the database queue
# with TEST_TASKS_BACKEND=database.
if os.environ.get("TEST_TASKS_BACKEND") != "database":
    TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": TASKS["default"]["QUEUES"],  # noqa: F405
        }
    }
# The worker's tests retry after fractions of a second, not minutes.
TASK_RETRY = {
    **TASK_RETRY,  # noqa: F405
    "backoff_seconds": float(os.environ.get("TEST_TASK_BACKOFF_SECONDS", "60")),
    "attempts": int(os.environ.get("TEST_TASK_ATTEMPTS", "4")),
}
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))

# The demo app: `seed_demo` for the demo's own tests and the browser tests.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: with the in-memory one, the browser
    # tests' live server hands a single connection to every request thread, so two requests
    # at once (a video's pause and end beacons) would interleave their transactions.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.mkdtemp(prefix="utbildning-test-db-"), "test.sqlite3")
    }
