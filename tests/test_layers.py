"""Models are the bottom layer: no module under a models package imports a selector or a
service (they may name a selector as a string, see courses.models.pages.page_context)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS = [
    *(ROOT / "cms" / "models").glob("*.py"),
    *(ROOT / "courses" / "models").glob("*.py"),
    *(ROOT / "quizzes" / "models").glob("*.py"),
    ROOT / "certificates" / "models.py",
]


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_models_import_no_selector_or_service():
    offending = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported(path) if {"selectors", "services"} & set(name.split("."))
        )
        for path in MODELS
    }
    assert {path: names for path, names in offending.items() if names} == {}
