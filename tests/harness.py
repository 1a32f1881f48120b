"""The CLI test harness: ``event-registry`` with its HTTP client routed into an in-process app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from click.testing import CliRunner, Result
from litestar import Litestar
from litestar.testing import TestClient

from registry.cli import main
from registry.core.model import EventTypeQuery
from registry.core.service import RegistryService

URL = "http://registry.test"


class InProcessClient(TestClient[Litestar]):
    """A TestClient used without ``with``: its transport has nothing to close."""

    def close(self) -> None:
        return None


@dataclass
class Cli:
    """Runs ``event-registry`` with every HTTP request answered by ``app``."""

    app: Litestar
    seen: list[httpx.Request] = field(default_factory=list)

    @property
    def service(self) -> RegistryService:
        return self.app.dependencies["service"].dependency()  # type: ignore[no-any-return]

    def keys(self) -> list[str]:
        """Every event type key in the registry, soft-deleted ones too (through the service)."""
        page = self.service.list_event_types(query=EventTypeQuery(include_deleted=True, limit=500))
        return [t.key for t in page.items]

    def factory(self, base_url: str, headers: dict[str, str]) -> httpx.Client:
        client = InProcessClient(self.app, base_url=base_url, raise_server_exceptions=True)
        client.headers.update(headers)
        client.event_hooks["request"].append(self.seen.append)
        return client

    def http(self) -> TestClient[Litestar]:
        return TestClient(self.app, base_url=URL)

    def __call__(self, *args: str, input: str | bytes | None = None) -> Result:
        return CliRunner().invoke(
            main, list(args), obj={"client_factory": self.factory}, input=input
        )


def seed(service: RegistryService, key: str, schema: Any, **meta: Any) -> None:
    service.create_event_type(key=key, **meta)
    service.register_version(key=key, schema=schema)
