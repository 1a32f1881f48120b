"""Dependencies injected into handlers by name."""

from __future__ import annotations

from litestar.di import NamedDependency

from registry.core.dryrun import DryRunService
from registry.core.service import RegistryService
from registry.core.tokens import TokenService
from registry.settings import Settings

Service = NamedDependency[RegistryService]
AppSettings = NamedDependency[Settings]
DryRun = NamedDependency[DryRunService]
Tokens = NamedDependency[TokenService]
