"""A user's clone has no ../shared: modules that read it must still import, and skip per test."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def test_the_apicurio_module_imports_without_shared_data(tmp_path: Path) -> None:
    """tests/test_docs.py imports DIFFERENT from it; a module-level skip was an ImportError."""
    clone = tmp_path / "clone" / "tests" / "unit" / "core" / "compatibility"
    clone.mkdir(parents=True)
    copy = clone / "test_apicurio.py"
    shutil.copy(TESTS / "unit" / "core" / "compatibility" / "test_apicurio.py", copy)
    spec = importlib.util.spec_from_file_location("apicurio_without_shared", copy)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except pytest.skip.Exception as exc:
        pytest.fail(f"the module skipped at import time: {exc}")
    assert not module.DATA.is_file()
    assert module.DIFFERENT == {}
    assert "../shared" in module.MISSING
    [case] = module._cases()
    assert case.marks[0].kwargs["reason"] == module.MISSING
