"""The README's performance table is generated from the committed benchmark JSON, never typed."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_table_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "bench_table", ROOT / "scripts" / "bench_table.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_table_is_the_rendering_of_benchmarks_results_json() -> None:
    table = load_table_module()
    result = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    between = readme.split(table.START, 1)[1].split(table.END, 1)[0]
    assert between.strip() == table.render_table(result).strip()


def test_every_row_of_issue_14_is_in_the_results() -> None:
    result = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    assert len(result["rounds"]) == result["settings"]["rounds"] >= 3
    assert set(result["ratios"]) >= {
        "validate_vs_echo", "validate_vs_raw_echo", "validate_vs_hand", "auth_on_vs_off",
        "batch_vs_decode", "batch_vs_hand", "workers_2_vs_1",
        "cli_faster_than_check_jsonschema", "in_process_vs_decode",
    }  # fmt: skip
    assert result["median"]["batch_peak_rss_mb"] > 0


@pytest.mark.parametrize("script", ["benchmark.py", "benchmark_replicas.py", "hostile.py"])
def test_each_measuring_script_still_starts(script: str) -> None:
    """They are not run by the suite (minutes of load); their imports are, so a refactor of a
    shared helper (as once broke benchmark_replicas.py) fails here, not in the next session."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
