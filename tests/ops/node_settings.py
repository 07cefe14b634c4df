"""The settings of the application nodes in tests/ops: production's, except that static
files are not looked up in collectstatic's manifest (building it takes longer than the
whole multi-node test; nginx serves them from the source folder there)."""

from cms.settings.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
