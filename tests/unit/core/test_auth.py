"""Scopes, principals, the loopback rule, Host names and the token verdict cache."""

from __future__ import annotations

import pytest

from registry.core.auth import (
    SCOPES,
    Principal,
    auth_enabled,
    host_name,
    includes,
    is_loopback,
    parse_hosts,
)
from registry.core.errors import InvalidRequest, InvalidToken, TokenExpired
from registry.core.tokens import REVOCATION_SECONDS, TOUCH_SECONDS, TokenService
from registry.store.tokens_memory import InMemoryTokenStore


@pytest.mark.parametrize("granted", SCOPES)
@pytest.mark.parametrize("needed", SCOPES)
def test_scopes_nest(granted: str, needed: str) -> None:
    assert includes(granted, needed) is (SCOPES.index(granted) >= SCOPES.index(needed))  # type: ignore[arg-type]


def test_read_is_the_smallest_scope_and_admin_the_largest() -> None:
    assert Principal(name="a", scope="read").scopes == {"read"}
    assert Principal(name="a", scope="validate").scopes == {"read", "validate"}
    assert Principal(name="a", scope="admin").scopes == set(SCOPES)


@pytest.mark.parametrize(
    ("host", "auth", "insecure", "expected"),
    [
        ("127.0.0.1", "auto", False, False),
        ("localhost", "auto", False, False),
        ("::1", "auto", False, False),
        ("127.0.0.2", "auto", False, False),
        ("127.0.0.1", "on", False, True),
        ("0.0.0.0", "auto", False, True),
        ("10.1.2.3", "on", False, True),
        ("0.0.0.0", "off", True, False),
    ],
)
def test_auth_defaults_to_off_on_loopback_only(
    host: str, auth: str, insecure: bool, expected: bool
) -> None:
    assert auth_enabled(host=host, auth=auth, insecure_no_auth=insecure) is expected


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "registry.internal"])
def test_auth_off_on_another_address_is_refused_without_the_insecure_flag(host: str) -> None:
    with pytest.raises(ValueError, match="--insecure-no-auth"):
        auth_enabled(host=host, auth="off", insecure_no_auth=False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("localhost.evil.com", False),
        ("10.0.0.1", False),
    ],
)
def test_loopback(name: str, expected: bool) -> None:
    assert is_loopback(name) is expected


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost:8080", "localhost"),
        ("LOCALHOST", "localhost"),
        ("[::1]:80", "::1"),
        ("::1", "::1"),
        ("example.com", "example.com"),
        ("", ""),
    ],
)
def test_host_name_drops_the_port(header: str, name: str) -> None:
    assert host_name(header) == name


def test_allowed_hosts_always_include_loopback_and_the_bound_address() -> None:
    assert parse_hosts("", "127.0.0.1") == {"localhost", "127.0.0.1", "::1"}
    assert parse_hosts("Registry.example.com, ", "0.0.0.0") == {
        "localhost",
        "127.0.0.1",
        "::1",
        "registry.example.com",
    }
    assert "10.0.0.5" in (parse_hosts("", "10.0.0.5") or set())
    assert parse_hosts("*", "0.0.0.0") is None


def test_a_restricted_principal_sees_matching_prefixes_or_tags_only() -> None:
    sdk = Principal(name="sdk", scope="read", key_prefixes=("mobile",), tags=("app",))
    assert sdk.sees("mobileOpened")
    assert sdk.sees("orderCreated", ["app"])
    assert not sdk.sees("orderCreated", ["shop"])
    assert Principal(name="all", scope="read").sees("anything")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def service(clock: Clock, wall: list[str] | None = None) -> TokenService:
    times = wall if wall is not None else ["2026-06-01T00:00:00.000Z"]
    return TokenService(InMemoryTokenStore(), monotonic=clock, clock=lambda: times[0])


def test_a_revoked_token_is_refused_once_the_cached_verdict_is_a_second_old() -> None:
    clock = Clock()
    shared = InMemoryTokenStore()  # one database, two processes
    other_worker = TokenService(shared, monotonic=clock)
    issued = other_worker.create(name="ci", scope="write", creator="t")
    this_worker = TokenService(shared, monotonic=clock)
    assert this_worker.authenticate(issued.secret)[0].name == "ci"
    other_worker.revoke(token_id=issued.token.id)
    clock.now += REVOCATION_SECONDS - 0.01
    assert this_worker.authenticate(issued.secret)[0].name == "ci"  # the documented bound
    clock.now += 0.01
    with pytest.raises(InvalidToken):
        this_worker.authenticate(issued.secret)


def test_last_use_is_due_at_most_once_a_minute_per_token() -> None:
    clock = Clock()
    tokens = service(clock)
    first = tokens.create(name="a", scope="read", creator="t").secret
    second = tokens.create(name="b", scope="read", creator="t").secret
    dues = []
    for step in (0, 1, 30, TOUCH_SECONDS - 32, 2, 1):
        clock.now += step
        dues.append(tokens.authenticate(first)[1])
    assert dues == [True, False, False, False, True, False]
    assert tokens.authenticate(second)[1] is True


def test_an_expired_token_is_refused() -> None:
    wall = ["2026-06-01T00:00:00.000Z"]
    tokens = service(Clock(), wall)
    issued = tokens.create(
        name="a", scope="read", creator="t", expires_at="2026-06-01T00:00:01+00:00"
    )
    assert issued.token.expires_at == "2026-06-01T00:00:01.000Z"
    assert tokens.authenticate(issued.secret)[0].name == "a"
    wall[0] = "2026-06-01T00:00:01.000Z"
    with pytest.raises(TokenExpired):
        tokens.authenticate(issued.secret)


def test_an_unknown_secret_is_refused_and_the_settings_admin_token_works() -> None:
    from registry.core.auth import hash_secret

    tokens = TokenService(InMemoryTokenStore(), admin_hash=hash_secret("a-long-admin-secret"))
    with pytest.raises(InvalidToken):
        tokens.authenticate("er_unknown")
    principal = tokens.authenticate("a-long-admin-secret")[0]
    assert (principal.name, principal.scope) == ("EVENT_REGISTRY_ADMIN_TOKEN", "admin")


@pytest.mark.parametrize(
    ("name", "scope", "pointer"),
    [
        ("", "read", "name"),
        (" ", "read", "name"),
        ("a\x00", "read", "name"),
        ("ok", "owner", "scope"),
        ("ok", "READ", "scope"),
    ],
)
def test_bad_new_tokens_are_refused(name: str, scope: str, pointer: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        service(Clock()).create(name=name, scope=scope, creator="t")
    assert info.value.pointer == pointer
