"""Talking to a running registry from the CLI: one injectable client, one error policy.

Commands never build ``httpx.Client`` themselves: they ask :func:`connect`, which uses the
``client_factory`` on the click context's ``obj`` when there is one (tests route requests through
an in-process app with ``litestar.testing.TestClient``, an ``httpx.Client`` subclass) and a plain
``httpx.Client`` otherwise.

Every way of not getting a usable answer -- connection refused, timeout, 401/403, a 5xx, an
unexpected status -- is a :class:`CommandError` (exit 2): the command could not do its job, as
opposed to exit 1, "the job was done and found problems".
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import httpx  # imported where a request is made: the CLI starts without it

ClientFactory = Callable[[str, dict[str, str]], "httpx.Client"]
"""``(base_url, headers) -> httpx.Client``."""

URL_OPTION_HELP = "Base URL of a running registry [env EVENT_REGISTRY_URL]."
TOKEN_OPTION_HELP = "Sent as 'Authorization: Bearer TOKEN' [env EVENT_REGISTRY_TOKEN]."
TIMEOUT_SECONDS = 30.0


class CommandError(click.ClickException):
    """The command could not run: configuration, connection or an unusable answer. Exit 2."""

    exit_code = 2


def default_client_factory(base_url: str, headers: dict[str, str]) -> httpx.Client:
    import httpx

    return httpx.Client(base_url=base_url, headers=headers, timeout=TIMEOUT_SECONDS)


def segment(value: str | int) -> str:
    """One percent-encoded path segment that no client or server can resolve away.

    ``quote`` leaves ``.`` alone, so a key ``..`` would become the segment ``..``, which httpx
    (like every URL parser) removes together with the segment before it: ``/event-types/../config``
    is ``/config``. A segment made of dots only is therefore sent as ``%2E``s.
    """
    quoted = urllib.parse.quote(str(value), safe="")
    if quoted and quoted.strip(".") == "":
        return "%2E" * len(quoted)
    return quoted


def path(*segments: str | int) -> str:
    """``/a/b`` with each segment percent-encoded (keys may hold spaces, ``#``, ``%``, ``..``)."""
    return "".join("/" + segment(s) for s in segments)


def problem_of(response: httpx.Response) -> dict[str, Any]:
    """The problem+json body of an error response (or a stand-in when it is not one)."""
    import msgspec  # here: `--help` starts without it

    try:
        body = msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        body = None
    if isinstance(body, dict) and "code" in body:
        return body
    return {"code": f"http_{response.status_code}", "detail": response.text[:200]}


class RegistryClient:
    """A thin wrapper over an ``httpx.Client`` that turns transport failures into exit 2."""

    def __init__(self, client: httpx.Client, base_url: str) -> None:
        self.client = client
        self.base_url = base_url

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        import httpx

        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise CommandError(f"cannot reach the registry at {self.base_url}: {exc}") from exc
        if response.status_code in (401, 403):
            raise CommandError(
                f"the registry refused {method} {url} ({response.status_code}); check --token"
            )
        if response.status_code >= 500:
            problem = problem_of(response)
            raise CommandError(
                f"the registry failed on {method} {url} ({response.status_code}): "
                f"{problem.get('detail', '')}"
            )
        return response

    def json(self, method: str, url: str, *, ok: tuple[int, ...] = (200,), **kw: Any) -> Any:
        """Send and decode the JSON answer; any status outside ``ok`` is a CommandError."""
        response = self.request(method, url, **kw)
        if response.status_code not in ok:
            raise unexpected(method, url, response)
        return response.json() if response.content else None

    def close(self) -> None:
        self.client.close()


def unexpected(method: str, url: str, response: httpx.Response) -> CommandError:
    problem = problem_of(response)
    return CommandError(
        f"{method} {url} answered {response.status_code} {problem.get('code')}: "
        f"{problem.get('detail', '')}"
    )


def connect(ctx: click.Context, url: str, token: str | None) -> RegistryClient:
    """A :class:`RegistryClient` for ``url``, closed when the command ends."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise CommandError(f"--url must be an http(s) URL, got {url!r}")
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    obj = ctx.find_object(dict) or {}
    factory: ClientFactory = obj.get("client_factory", default_client_factory)
    registry = RegistryClient(factory(url.rstrip("/"), headers), url)
    ctx.call_on_close(registry.close)
    return registry


def url_option(required: bool = False) -> Callable[[Any], Any]:
    return click.option(
        "--url", envvar="EVENT_REGISTRY_URL", required=required, help=URL_OPTION_HELP
    )


def token_option() -> Callable[[Any], Any]:
    return click.option(
        "--token", envvar="EVENT_REGISTRY_TOKEN", show_envvar=False, help=TOKEN_OPTION_HELP
    )
