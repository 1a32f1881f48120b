"""Dependencies injected into handlers by name."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency

from registry.core import audit
from registry.core.dryrun import DryRunService
from registry.core.service import RegistryService
from registry.settings import Settings

Service = NamedDependency[RegistryService]
AppSettings = NamedDependency[Settings]
DryRunDep = NamedDependency[DryRunService]
"""The dry-run, recording and inspection use cases (not ``core.evolution.DryRun``, a result)."""
WhoActs = NamedDependency[audit.Actor]
"""``who``: the actor making a change, passed explicitly to every write use case (audit trail)."""
PRINCIPAL_SCOPE_KEY = "registry_principal"
"""Where authentication leaves the caller (``registry.core.auth.Principal``, with a ``name``)."""


def actor_provider(proxies: tuple[Any, ...]) -> Any:
    """The ``actor`` dependency: the principal's name (``anonymous`` without auth) and address;
    ``X-Forwarded-For`` counts only when the peer is one of the trusted ``proxies``."""

    def provide_actor(request: Request[Any, Any, Any]) -> audit.Actor:
        peer = request.client.host if request.client else ""
        address = audit.client_address(peer, request.headers.get("x-forwarded-for"), proxies)
        principal = request.scope.get(PRINCIPAL_SCOPE_KEY)
        return audit.Actor(audit.actor_name(principal), address)

    return provide_actor
