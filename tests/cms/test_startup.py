"""Django starts without the libraries that only a PDF, an XLSX file or a QR code needs.

Every process pays for what Django imports at start: each `manage.py` command, each worker,
each test run. WeasyPrint (with fontTools under it) and openpyxl are imported by the
functions that render a PDF or write a workbook, not by the modules that `django.setup()`
and the URL configuration load.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Django's start, then every URL module, the way `manage.py check` walks them.
CODE = """
import json, sys
import django
django.setup()
from django.urls import URLResolver, get_resolver

def walk(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            walk(pattern)

walk(get_resolver())
print(json.dumps(sorted(name for name in sys.modules if "." not in name)))
"""


@pytest.fixture(scope="module")
def loaded_at_start() -> set[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", CODE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def test_django_starts_and_loads_its_urls(loaded_at_start):
    assert {"django", "wagtail", "cms", "courses"} <= loaded_at_start


@pytest.mark.parametrize(
    "module",
    [
        "weasyprint",
        "fontTools",
        "pypdf",
        "openpyxl",
        "segno",
    ],
)
def test_heavy_library_is_not_imported_at_start(loaded_at_start, module):
    assert module not in loaded_at_start, f"{module} is imported when Django starts"
