"""CLI tests run against an in-process app (see tests/harness.py)."""

from __future__ import annotations

import pytest

from registry.app import create_app
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from tests.harness import Cli


@pytest.fixture
def cli() -> Cli:
    return Cli(create_app(Settings(), store=InMemoryStore()))
