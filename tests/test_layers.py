"""The lines between the parts hold: services never import tasks (they queue them by name), and the engine
never imports the portal (they meet over HTTP, as the portal and CLOVA do)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_service_imports_a_task_module():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "documents" / "services").rglob("*.py")
        if any(name == "documents.tasks" or name.startswith("documents.tasks.") for name in imported_modules(path))
    ]
    assert offenders == []


def test_the_engine_never_imports_the_portal():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "ocrengine").rglob("*.py")
        if any(name == "documents" or name.startswith("documents.") for name in imported_modules(path))
    ]
    assert offenders == []


def test_the_portal_never_imports_the_engine():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "documents").rglob("*.py")
        if any(name == "ocrengine" or name.startswith("ocrengine.") for name in imported_modules(path))
    ]
    assert offenders == []
