"""The demo is an app of its own: only it and its tests import it, production lacks it."""

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("cms", "courses", "quizzes", "certificates")


def _imports_demo(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name == "demo" or name.startswith("demo.") for name in names):
            return True
    return False


def test_nothing_but_the_demo_and_its_tests_imports_it():
    sources = [ROOT / "manage.py"]
    for folder in (*APPS, "tests"):
        sources += (ROOT / folder).rglob("*.py")
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources
        if (ROOT / "tests" / "demo") not in path.parents and _imports_demo(path)
    ]
    assert offenders == []


def test_no_demo_module_is_left_in_the_apps():
    left = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).iterdir()
        if path.name.startswith("demo")
    ]
    assert left == []


def test_production_does_not_install_the_demo():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print('demo' in settings.INSTALLED_APPS)"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.production"}
    environment["SECRET_KEY"] = "x" * 50
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
