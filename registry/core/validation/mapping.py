"""Turn jsonschema-rs errors on the normalised params object into located :class:`Violation` s."""

from __future__ import annotations

from itertools import islice
from typing import Any

import jsonschema_rs
from msgspec import UNSET

from registry.core.validation.codes import code_for, describe, json_type, shown
from registry.core.validation.coerce import convert
from registry.core.validation.compiled import CompiledSchema, resolve_local
from registry.core.validation.envelope import ParamsView
from registry.core.validation.violations import (
    MAX_NESTED,
    MAX_NESTING,
    MAX_VIOLATIONS,
    Allowance,
    Severity,
    Violation,
)
from registry.core.validation.walk import Token, escape, pointer

__all__ = ["Mapper"]

_UNEXPECTED = ("additionalProperties", "unevaluatedProperties")
_COMPOSITION = ("anyOf", "oneOf")
_MAX_REF_HOPS = 16


class Mapper:
    """Locates engine errors in the payload as sent (list or object params) and words them."""

    __slots__ = ("allowance", "base", "schema", "view")

    def __init__(
        self,
        view: ParamsView,
        schema: CompiledSchema,
        base: str,
        allowance: Allowance | None = None,
    ) -> None:
        self.view = view
        self.schema = schema
        self.base = base
        self.allowance = allowance if allowance is not None else Allowance()

    def unknown_param(
        self,
        name: str,
        severity: Severity,
        *,
        keyword: str | None = None,
        schema_path: str | None = None,
        closed: bool = False,
    ) -> Violation:
        """``unknown_param`` with a did-you-mean while the event's look-ups last."""
        hint = self.schema.suggester("").suggest(name) if self.allowance.suggest() else None
        return unknown_param(
            self.view,
            name,
            severity,
            self.base,
            hint=hint,
            keyword=keyword,
            schema_path=schema_path,
            closed=closed,
        )

    def locate(self, tokens: list[Token]) -> tuple[str, str | None, str]:
        """``(path, param, subject)`` for an instance path inside the params object."""
        if not tokens:
            return f"{self.base}/params", None, "params"
        name, rest = str(tokens[0]), pointer(tokens[1:])
        subject = f"param {name!r}" + (f" at {rest}" if rest else "")
        return f"{self.base}{self.view.value_path(name)}{rest}", name, subject

    def violations(
        self, error: jsonschema_rs.ValidationError, severity: Severity = "error", depth: int = 0
    ) -> list[Violation]:
        """Every violation one engine error stands for (``additionalProperties`` may name many).

        ``depth`` counts the ``composition_failed`` this error is nested in.
        """
        keyword = error.kind.name
        if keyword in _UNEXPECTED:
            return self._unexpected(error, severity)
        if keyword in _COMPOSITION:
            return [self._composition(error, severity, depth)]
        path, param, subject = self.locate(error.instance_path)
        kind = error.kind.as_dict()
        if keyword == "required":
            return [self._required(error, kind, severity)]
        what, expected = describe(keyword, kind, error.instance)
        extra: dict[str, Any] = {}
        if keyword in ("enum", "const"):
            extra = self._enum_extras(expected, error.instance, pointer(error.schema_path))
        elif keyword == "type" and isinstance(error.instance, str):
            extra = _coercible(error.instance, expected)
        return [
            Violation(
                code=code_for(keyword),
                severity=severity,
                path=path,
                param=param,
                keyword=keyword,
                message=f"{subject} {what}" if what else f"{subject}: {error.message}",
                schema_path=pointer(error.schema_path),
                actual=_actual(error.instance),
                **({} if expected is None else {"expected": expected}),
                **extra,
            )
        ]

    def _required(
        self, error: jsonschema_rs.ValidationError, kind: dict[str, Any], severity: Severity
    ) -> Violation:
        missing = str(kind.get("property"))
        path, param, subject = self.locate(error.instance_path)
        if param is None:
            message, param = f"required param {missing!r} is missing", missing
        else:
            message = f"{subject}: required property {missing!r} is missing"
        return Violation(
            code="required_missing",
            severity=severity,
            path=path,
            param=param,
            keyword="required",
            message=message,
            schema_path=pointer(error.schema_path),
            expected=missing,
        )

    def _unexpected(
        self, error: jsonschema_rs.ValidationError, severity: Severity
    ) -> list[Violation]:
        kind = error.kind.as_dict()
        names = [str(n) for n in islice(kind.get("unexpected", []), MAX_VIOLATIONS + 1)]
        schema_path = pointer(error.schema_path)
        if error.instance_path:
            path, param, subject = self.locate(error.instance_path)
            return [
                Violation(
                    code="unknown_property",
                    severity=severity,
                    path=f"{path}/{escape(n)}",
                    param=param,
                    keyword=error.kind.name,
                    schema_path=schema_path,
                    message=f"{subject}: property {n!r} is not allowed",
                )
                for n in names
            ]
        return [
            self.unknown_param(
                n, severity, keyword=error.kind.name, schema_path=schema_path, closed=True
            )
            for n in names
        ]

    def _enum_extras(self, allowed: Any, instance: object, where: str) -> dict[str, Any]:
        values = list(allowed) if isinstance(allowed, list) else [allowed]
        extras: dict[str, Any] = {"allowed": values}
        if isinstance(instance, str) and self.allowance.suggest():
            index = self.schema.suggester(where or "#", (a for a in values if isinstance(a, str)))
            hint = index.suggest(instance)
            if hint is not None:
                extras["suggestion"] = hint
        return extras

    def _composition(
        self, error: jsonschema_rs.ValidationError, severity: Severity, depth: int
    ) -> Violation:
        keyword = error.kind.name
        path, param, subject = self.locate(error.instance_path)
        common: dict[str, Any] = {
            "code": "composition_failed",
            "severity": severity,
            "path": path,
            "param": param,
            "keyword": keyword,
            "schema_path": pointer(error.schema_path),
            "actual": _actual(error.instance),
        }
        branches: list[list[jsonschema_rs.ValidationError]] = error.kind.as_dict().get(
            "context", []
        )
        if type(error.kind).__name__ == "OneOfMultipleValid" or not branches:
            return Violation(
                message=f"{subject} matches more than one alternative of oneOf; "
                "exactly one must match",
                **common,
            )
        best = self._closest(error, branches)
        nested: list[Violation] = []
        for nested_error in islice(branches[best], MAX_NESTED):
            if depth >= MAX_NESTING:
                break  # deeper detail adds size, not insight: the message names the first
            nested += self.violations(nested_error, severity, depth + 1)
        nested = nested[:MAX_NESTED]
        first = nested[0].message if nested else _first_message(branches[best])
        return Violation(
            message=f"{subject} matches none of the {len(branches)} alternatives of {keyword}; "
            f"closest is alternative {best}: {first}",
            branch=best,
            errors=nested,
            **common,
        )

    def _closest(
        self,
        error: jsonschema_rs.ValidationError,
        branches: list[list[jsonschema_rs.ValidationError]],
    ) -> int:
        """The alternative the value most likely meant.

        Ranked by: the value has the alternative's type (no ``type`` error on the value itself);
        then how many of the object's member names the alternative declares; then fewest errors;
        then the first. ``{"iban": 7}`` against ``[{card}, {iban, bic}]`` means the second one
        even though it has more errors.
        """
        depth = len(error.instance_path)
        names = set(error.instance) if isinstance(error.instance, dict) else set()
        at = list(error.schema_path)

        def rank(i: int) -> tuple[bool, int, int, int]:
            wrong_type = any(
                e.kind.name == "type" and len(e.instance_path) == depth for e in branches[i]
            )
            overlap = len(names & _declared(self.schema.schema, [*at, i])) if names else 0
            return wrong_type, -overlap, len(branches[i]), i

        return min(range(len(branches)), key=rank)


def _declared(root: object, tokens: list[Token]) -> set[str]:
    """Member names the subschema at ``tokens`` declares (``properties`` and ``required``).

    ``tokens`` is an engine schema path, which already names the resolved location; only a
    ``$ref`` token on the way, or a branch that is itself a ``$ref``, is followed (locally).
    """
    node = root
    for token in tokens:
        if token == "$ref" and isinstance(node, dict) and isinstance(root, dict):
            node = resolve_local(root, str(node.get("$ref")))
        elif isinstance(node, dict):
            node = node.get(str(token))
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            return set()
    node = _follow(root, node)
    if not isinstance(node, dict):
        return set()
    properties, required = node.get("properties"), node.get("required")
    found = set(properties) if isinstance(properties, dict) else set()
    if isinstance(required, list):
        found |= {n for n in required if isinstance(n, str)}
    return found


def _follow(root: object, node: object) -> object:
    """``node``, or what its local ``$ref`` chain points at when it is only a reference."""
    for _ in range(_MAX_REF_HOPS):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        if "properties" in node or "required" in node or not isinstance(root, dict):
            return node
        node = resolve_local(root, node["$ref"])
    return node


def _first_message(errors: list[jsonschema_rs.ValidationError]) -> str:
    return errors[0].message if errors else "no details"


def unknown_param(
    view: ParamsView,
    name: str,
    severity: Severity,
    base: str,
    *,
    hint: str | None = None,
    keyword: str | None = None,
    schema_path: str | None = None,
    closed: bool = False,
) -> Violation:
    """``unknown_param`` for an undeclared param, with ``hint`` as the did-you-mean."""
    why = "the schema allows no other params" if closed else "it is not declared in the schema"
    message = f"param {name!r} is unknown: {why}" + (f"; did you mean {hint!r}?" if hint else "")
    return Violation(
        code="unknown_param",
        severity=severity,
        path=f"{base}{view.name_path(name)}",
        param=name,
        message=message,
        keyword=keyword,
        schema_path=schema_path,
        suggestion=hint if hint else UNSET,
    )


def _actual(instance: object) -> Any:
    """The offending value, except whole objects (their members are reported separately).

    An object gives ``UNSET`` so ``actual`` is omitted: ``None`` would encode as ``"actual":
    null`` and read as if the param's value were JSON null.
    """
    return UNSET if isinstance(instance, dict) else instance


def _coercible(text: str, expected: Any) -> dict[str, Any]:
    types = expected if isinstance(expected, list) else [expected]
    found = convert(text, [str(t) for t in types])
    return {"coercible": True, "coerced_value": found[1]} if found else {}


def conversion_note(
    mapper: Mapper, tokens: list[Token], original: str, kind: str, value: Any, schema_path: str
) -> Violation:
    """The warning that records a JSON-in-string parse or a coercion the validator applied."""
    path, param, subject = mapper.locate(tokens)
    if kind == "json":
        return Violation(
            code="json_string_parsed",
            severity="warning",
            path=path,
            param=param,
            keyword="type",
            schema_path=schema_path,
            expected=json_type(value),
            message=f"{subject} is a JSON string; parsed it as {json_type(value)} "
            "and validated the result",
        )
    return Violation(
        code="type_mismatch",
        severity="warning",
        path=path,
        param=param,
        keyword="type",
        schema_path=schema_path,
        expected=json_type(value),
        actual=original,
        coercible=True,
        coerced_value=value,
        message=f"{subject} is a string {shown(original)}; "
        f"accepted as {json_type(value)} {shown(value)}",
    )
