"""Local development: DEBUG on, e-mail printed to the console."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-0f3c9a"  # noqa: S105
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# The demo data that `make run` loads (`manage.py seed_demo`); production never seeds one.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

# Static files come from the apps' folders (no collectstatic in development) through
# whitenoise, which answers Range requests, also when `make run` turns DEBUG off to show the
# site's own error pages.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
