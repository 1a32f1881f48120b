"""The checker is pure: no web/storage imports, no module-level mutable state."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[4] / "registry" / "core" / "compatibility"
MODULES = sorted(PACKAGE.rglob("*.py"))
FORBIDDEN = ("litestar", "sqlite_utils", "sqlite3")


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_forbidden_imports(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.split(".")[0] in FORBIDDEN]


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_level_containers_are_constants(module: Path) -> None:
    """Module-level dicts/lists/sets are tables: named in UPPER_CASE (or private _UPPER)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        value = getattr(node, "value", None)
        if isinstance(
            value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp | ast.SetComp
        ):
            for target in targets:
                assert isinstance(target, ast.Name)
                name = target.id
                assert name.startswith("__") or name.lstrip("_").isupper(), f"{module.name}: {name}"
