"""api -> core <- store: the core imports neither the web framework nor the storage driver."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "registry"
FORBIDDEN_IN_CORE = {
    "litestar",
    "sqlite_utils",
    "sqlite3",
    "psycopg",
    "psycopg_pool",
    "uvicorn",
    "click",
    "httpx",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(folder: str, forbidden: set[str]) -> list[str]:
    found = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        bad = {m for m in imported_modules(path) if m.split(".")[0] in forbidden}
        found += [f"{path.relative_to(PACKAGE)} imports {m}" for m in sorted(bad)]
    return found


def test_core_imports_no_framework_or_driver() -> None:
    assert offenders("core", FORBIDDEN_IN_CORE) == []


def test_core_does_not_import_outer_layers() -> None:
    found = []
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        found += [
            f"{path.name} imports {m}"
            for m in imported_modules(path)
            if m.startswith(("registry.api", "registry.store", "registry.cli", "registry.app"))
        ]
    assert found == []


def test_store_does_not_import_api() -> None:
    found = []
    for path in sorted((PACKAGE / "store").rglob("*.py")):
        found += [m for m in imported_modules(path) if m.startswith(("registry.api", "litestar"))]
    assert found == []


def test_only_the_postgres_package_imports_psycopg() -> None:
    """SQLite users need no PostgreSQL driver: psycopg stays inside registry/store/postgres."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "postgres" in path.relative_to(PACKAGE).parts:
            continue
        found += [
            f"{path.relative_to(PACKAGE)} imports {m}"
            for m in imported_modules(path)
            if m.split(".")[0] in {"psycopg", "psycopg_pool"}
        ]
    assert found == []
