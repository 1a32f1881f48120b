"""Dependencies injected into handlers by name."""

from __future__ import annotations

from litestar.di import NamedDependency

from registry.core.dryrun import DryRunService
from registry.core.service import RegistryService
from registry.settings import Settings

Service = NamedDependency[RegistryService]
AppSettings = NamedDependency[Settings]
DryRunDep = NamedDependency[DryRunService]
"""The dry-run, recording and inspection use cases (not ``core.evolution.DryRun``, a result)."""
