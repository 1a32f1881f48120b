"""Dependencies injected into handlers by name."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency

from registry.core import audit
from registry.core.auth import ANONYMOUS, PRINCIPAL_KEY, Principal
from registry.core.dryrun import DryRunService
from registry.core.service import RegistryService
from registry.core.tokens import TokenService
from registry.settings import Settings

Service = NamedDependency[RegistryService]
AppSettings = NamedDependency[Settings]
DryRunDep = NamedDependency[DryRunService]
"""The dry-run, recording and inspection use cases (not ``core.evolution.DryRun``, a result)."""
Tokens = NamedDependency[TokenService]
WhoActs = NamedDependency[audit.Actor]
"""``who``: the actor making a change, passed explicitly to every write use case (audit trail)."""


def actor_provider(proxies: tuple[Any, ...]) -> Any:
    """The ``actor`` dependency: the principal's name (``anonymous`` without auth) and address;
    ``X-Forwarded-For`` counts only when the peer is one of the trusted ``proxies``."""

    def provide_actor(request: Request[Any, Any, Any]) -> audit.Actor:
        peer = request.client.host if request.client else ""
        address = audit.client_address(peer, request.headers.get("x-forwarded-for"), proxies)
        principal = request.scope.get(PRINCIPAL_KEY)
        return audit.Actor(audit.actor_name(principal), address)

    return provide_actor


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The caller the auth middleware put in the scope (anonymous when there is none)."""
    value = connection.scope.get(PRINCIPAL_KEY)
    return value if isinstance(value, Principal) else ANONYMOUS


def recorder_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The token id recorded events are labelled with."""
    return principal_of(connection).token_id


def run_owner(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """Whose recorded runs the caller may see and reset: ``None`` for every run (admin, or
    auth off), else the caller's own token id."""
    principal = principal_of(connection)
    return None if principal.sees_every_run else principal.token_id


def visible(principal: Principal, service: RegistryService, key: str) -> bool:
    """Whether ``principal`` sees ``key`` (reads the type's tags only when they matter)."""
    if principal.sees(key):
        return True
    return bool(principal.tags) and principal.sees(key, service.get_event_type(key=key).tags)


def recording(
    connection: ASGIConnection[Any, Any, Any, Any], dryrun: DryRunService
) -> DryRunService:
    """``dryrun`` labelling what it records with the caller's token and user agent."""
    return dryrun.recording_for(recorder_of(connection), connection.headers.get("user-agent"))
