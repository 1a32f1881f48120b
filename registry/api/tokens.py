"""Admin endpoints for API tokens: issue (the secret is shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, JSONBody

from registry.api.deps import Tokens, WhoActs
from registry.api.wire import READ_ERRORS, WRITE_ERRORS, problem_responses
from registry.core.auth import PRINCIPAL_KEY, Principal, Scope, TokenRecord

Value = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class TokenIn(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    name: Value
    scope: Scope
    key_prefixes: Annotated[list[Value], msgspec.Meta(max_length=100)] = []
    tags: Annotated[list[Value], msgspec.Meta(max_length=100)] = []
    expires_at: str | None = None
    """ISO 8601 instant; none: never expires."""


class TokenOut(msgspec.Struct, rename="camel"):
    id: str
    name: str
    scope: Scope
    creator: str
    created_at: str
    expires_at: str | None
    last_used_at: str | None
    revoked_at: str | None
    key_prefixes: list[str]
    tags: list[str]

    @classmethod
    def of(cls, token: TokenRecord) -> TokenOut:
        return cls(
            id=token.id,
            name=token.name,
            scope=token.scope,
            creator=token.creator,
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
            key_prefixes=list(token.key_prefixes),
            tags=list(token.tags),
        )


class TokenIssued(msgspec.Struct, rename="camel"):
    token: str
    """The secret: shown this once, stored only as a hash."""
    info: TokenOut


class TokenList(msgspec.Struct):
    items: list[TokenOut]


def _principal(request: Request[Any, Any, Any]) -> Principal | None:
    value = request.scope.get(PRINCIPAL_KEY)
    return value if isinstance(value, Principal) else None


class TokenController(Controller):
    path = "/tokens"
    tags = ["tokens"]

    @post(
        "/",
        responses=problem_responses(WRITE_ERRORS),
        operation_id="createToken",
        sync_to_thread=True,
        summary="Issue a token (admin); its secret is in this answer only",
    )
    def create(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[TokenIn],
        tokens: Tokens,
        who: WhoActs,
    ) -> TokenIssued:
        principal = _principal(request)
        issued = tokens.create(
            name=data.name,
            scope=data.scope,
            creator=principal.name if principal else "api",
            key_prefixes=data.key_prefixes,
            tags=data.tags,
            expires_at=data.expires_at,
            actor=who,
        )
        return TokenIssued(token=issued.secret, info=TokenOut.of(issued.token))

    @get(
        "/",
        responses=problem_responses(READ_ERRORS),
        operation_id="listTokens",
        sync_to_thread=True,
        summary="Every token's metadata (never a secret)",
    )
    def list_tokens(self, tokens: Tokens) -> TokenList:
        return TokenList(items=[TokenOut.of(t) for t in tokens.list()])

    @delete(
        "/{token_id:str}",
        responses=problem_responses(WRITE_ERRORS),
        operation_id="revokeToken",
        sync_to_thread=True,
        status_code=200,
        summary="Revoke a token (every worker refuses it within a second)",
    )
    def revoke(self, token_id: FromPath[str], tokens: Tokens, who: WhoActs) -> TokenOut:
        return TokenOut.of(tokens.revoke(token_id=token_id, actor=who))
