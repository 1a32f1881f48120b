"""Every TokenStore implementation behaves the same (memory is the reference)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from registry.core.auth import TokenRecord, hash_secret, new_secret
from registry.core.errors import TokenNotFound
from registry.core.ports import TokenStore
from registry.core.tokens import TokenService
from registry.store.tokens_memory import InMemoryTokenStore
from registry.store.tokens_sqlite import SqliteTokenStore


@pytest.fixture(params=["memory", "sqlite"])
def tokens(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TokenStore]:
    store: TokenStore = (
        InMemoryTokenStore() if request.param == "memory" else SqliteTokenStore(tmp_path / "t.db")
    )
    yield store
    store.close()


def record(token_id: str, secret: str, **fields: object) -> TokenRecord:
    base: dict[str, object] = {
        "id": token_id,
        "name": f"name-{token_id}",
        "scope": "read",
        "secret_hash": hash_secret(secret),
        "creator": "tests",
        "created_at": f"2026-01-01T00:00:0{token_id[-1]}.000Z",
    }
    base.update(fields)
    return TokenRecord(**base)  # type: ignore[arg-type]


def test_a_token_is_found_by_the_hash_of_its_secret_only(tokens: TokenStore) -> None:
    stored = tokens.add(token=record("t1", "s1", key_prefixes=("mobile",), tags=("sdk",)))
    assert tokens.find(secret_hash=hash_secret("s1")) == stored
    assert tokens.find(secret_hash=hash_secret("s2")) is None
    assert tokens.find(secret_hash="s1") is None
    assert tokens.get(token_id="t1") == stored


def test_ids_and_secret_hashes_are_unique(tokens: TokenStore) -> None:
    tokens.add(token=record("t1", "s1"))
    with pytest.raises(ValueError, match="already stored"):
        tokens.add(token=record("t1", "other"))
    with pytest.raises(ValueError, match="already stored"):
        tokens.add(token=record("t2", "s1"))


def test_list_is_oldest_first_and_keeps_revoked_tokens(tokens: TokenStore) -> None:
    tokens.add(token=record("t2", "s2"))
    tokens.add(token=record("t1", "s1"))
    tokens.revoke(token_id="t2", at="2026-02-01T00:00:00.000Z")
    assert [t.id for t in tokens.list()] == ["t1", "t2"]


def test_revoke_keeps_the_first_time_and_names_missing_tokens(tokens: TokenStore) -> None:
    tokens.add(token=record("t1", "s1"))
    first = tokens.revoke(token_id="t1", at="2026-02-01T00:00:00.000Z")
    again = tokens.revoke(token_id="t1", at="2026-03-01T00:00:00.000Z")
    assert first.revoked_at == again.revoked_at == "2026-02-01T00:00:00.000Z"
    assert tokens.find(secret_hash=hash_secret("s1")) == first
    with pytest.raises(TokenNotFound):
        tokens.revoke(token_id="nope", at="2026-02-01T00:00:00.000Z")
    with pytest.raises(TokenNotFound):
        tokens.get(token_id="nope")


def test_touch_records_the_last_use_and_ignores_missing_tokens(tokens: TokenStore) -> None:
    tokens.add(token=record("t1", "s1"))
    tokens.touch(token_id="t1", at="2026-02-01T00:00:00.000Z")
    tokens.touch(token_id="missing", at="2026-02-01T00:00:00.000Z")
    assert tokens.get(token_id="t1").last_used_at == "2026-02-01T00:00:00.000Z"


def test_the_database_file_never_holds_a_secret(tmp_path: Path) -> None:
    db = tmp_path / "registry.db"
    store = SqliteTokenStore(db)
    service = TokenService(store)
    secrets = [service.create(name=f"n{i}", scope="admin", creator="t").secret for i in range(3)]
    store.close()
    content = b"".join(p.read_bytes() for p in tmp_path.iterdir())  # db, -wal and -shm
    for secret in secrets:
        assert secret.encode() not in content
        assert secret[3:].encode() not in content  # not even without the er_ prefix
        assert hash_secret(secret).encode() in content


def test_secrets_are_random_and_long() -> None:
    secrets = {new_secret() for _ in range(1000)}
    assert len(secrets) == 1000
    assert all(s.startswith("er_") and len(s) == 46 for s in secrets)
