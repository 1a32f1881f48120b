"""The suggestion index answers the same under every hash seed (sets iterate in hash order)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = (
    "from registry.core.suggest import SuggestIndex\n"
    "index = SuggestIndex({f'p{i:04}' for i in range(7500)})  # a set: hash order\n"
    "print([index.suggest(f'p{i:04}x') for i in range(12)])\n"
)


@pytest.mark.parametrize("seed", ["0", "1", "2", "3"])
def test_the_closest_name_wins_whatever_the_hash_seed(seed: str) -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={"PYTHONHASHSEED": seed, "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    expected = [f"p{i:04}" for i in range(12)]
    assert run.stdout.strip() == repr(expected)
