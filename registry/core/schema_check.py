"""Decide whether a submitted JSON Schema may be registered.

Order of checks (the first failing family wins, every problem of that family is reported):

1. shape and safety limits -- root must be an object or a boolean; nesting depth and encoded size
   within :class:`SchemaLimits` (``schema_too_complex``);
2. dialect -- ``$schema`` absent (2020-12), draft-07, 2019-09 or 2020-12 (``schema_invalid``);
3. references -- every ``$ref``/``$dynamicRef``/``$recursiveRef`` must resolve inside the
   document: a fragment (``#...``) or a URI equal to an ``$id`` declared in the document
   (``schema_remote_ref``; the registry never fetches URLs);
4. regular expressions -- ``pattern`` and ``patternProperties`` keys must be short enough and
   compile with the linear-time engine (``schema_too_complex``) or at all (``schema_invalid``);
5. evaluation cost -- the worst number of subschema evaluations one value can trigger (in-place
   ``allOf``/``anyOf``/``oneOf``/``not``/``if`` and ``$ref`` fan-out, see
   :mod:`registry.core.validation.cost`) must be within ``SchemaLimits.max_cost``, and no
   reference cycle may apply a subschema to the same value forever (``schema_too_complex``);
6. the dialect's meta-schema (``schema_invalid``, every error): jsonschema-rs's meta check first;
   only when it does not find the schema valid is Python ``jsonschema`` imported, to judge and
   to list every problem (the verdict is Python ``jsonschema``'s; tests/property/test_meta_check.py
   checks that whatever jsonschema-rs passes, Python ``jsonschema`` passes too);
7. a trial compile with the production engine, so :func:`compile_schema` cannot fail later.

Deliberate choice: regular expressions are judged by the engine that runs them (jsonschema-rs with
the Rust ``regex`` crate), not by Python ``re`` -- ``\\p{L}`` is accepted, ``(?=x)`` is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urljoin

import jsonschema_rs
import msgspec

from registry.core.errors import SchemaInvalid, SchemaProblem, SchemaRemoteRef, SchemaTooComplex
from registry.core.jsonpointer import Token, pointer
from registry.core.validation.cost import evaluation_cost
from registry.core.validation.engine import build_engine, pattern_engine_verdict
from registry.core.validation.walk import iter_subschemas, json_depth

__all__ = ["SchemaLimits", "check_schema", "dialect_of", "meta_problems"]

DRAFT7 = "http://json-schema.org/draft-07/schema"
_DIALECTS: dict[str, str] = {
    "https://json-schema.org/draft/2020-12/schema": "Draft202012Validator",
    "https://json-schema.org/draft/2019-09/schema": "Draft201909Validator",
    DRAFT7: "Draft7Validator",
}
"""Supported ``$schema`` URIs (without a trailing ``#``) -> Python ``jsonschema`` class name."""
_REF_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")


class SchemaLimits(msgspec.Struct, frozen=True, kw_only=True):
    """Limits that keep a submitted schema cheap to compile and to run.

    Depth and size come from ``Settings`` (``registry.wiring.schema_limits``), never from here.
    """

    max_depth: int
    """JSON nesting depth of the schema document (``{}`` is 1)."""
    max_bytes: int
    """Size of the schema encoded as compact JSON."""
    max_pattern_length: int = 1000
    """Length of any ``pattern`` / ``patternProperties`` regular expression (a safety bound of
    the regex engine, not a setting)."""
    max_cost: int
    """Subschema evaluations one instance value may trigger (in-place fan-out, per value)."""
    max_reference_depth: int
    """Deepest chain of declared references (core/references.py)."""


def check_schema(
    schema: object,
    *,
    limits: SchemaLimits,
    registry: jsonschema_rs.Registry | None = None,
) -> None:
    """Raise if ``schema`` may not be registered; return ``None`` when it may.

    Args:
        schema: the decoded JSON of the submitted schema.
        limits: size/depth/pattern limits.
        registry: TEST ONLY (official-suite conformance). An in-memory registry of remote
            documents; when given, the remote-reference rule is skipped and references resolve
            through it. The service never passes it: registered schemas must be self-contained.

    Raises:
        SchemaTooComplex: depth, size, pattern length, or a pattern needing backtracking.
        SchemaRemoteRef: a reference that would need another document.
        SchemaInvalid: wrong shape, unknown dialect, meta-schema violations, engine refusal.
    """
    if isinstance(schema, bool):
        return
    if not isinstance(schema, dict):
        raise SchemaInvalid(
            [SchemaProblem(pointer="", message="a schema must be an object or a boolean")]
        )
    _check_limits(schema, limits)
    dialect = dialect_of(schema)
    if registry is None:
        _check_refs(schema, draft7=dialect == DRAFT7)
    _check_patterns(schema, limits)
    _check_cost(schema, limits, draft7=dialect == DRAFT7)
    if not _meta_valid_fast(schema):
        problems = meta_problems(schema, dialect)
        if problems:
            raise SchemaInvalid(problems)
    _trial_compile(schema, registry)


def dialect_of(schema: dict[str, Any]) -> str:
    """The schema's ``$schema`` URI without a trailing ``#`` (default 2020-12); refused when it
    is not a supported dialect."""
    uri = schema.get("$schema", "https://json-schema.org/draft/2020-12/schema")
    dialect = uri.removesuffix("#") if isinstance(uri, str) else None
    if dialect not in _DIALECTS:
        supported = ", ".join(sorted(_DIALECTS))
        raise SchemaInvalid(
            [
                SchemaProblem(
                    pointer="/$schema",
                    keyword="$schema",
                    message=f"unsupported dialect {uri!r}; use one of {supported}",
                )
            ]
        )
    return dialect


def _check_limits(schema: dict[str, Any], limits: SchemaLimits) -> None:
    depth = json_depth(schema, stop_at=limits.max_depth)
    if depth > limits.max_depth:
        raise SchemaTooComplex(
            [SchemaProblem(pointer="", message=f"schema nesting depth exceeds {limits.max_depth}")]
        )
    try:
        size = len(msgspec.json.encode(schema))
    except (TypeError, ValueError, OverflowError) as exc:
        raise SchemaInvalid(
            [SchemaProblem(pointer="", message=f"not a JSON document: {exc}")]
        ) from exc
    if size > limits.max_bytes:
        raise SchemaTooComplex(
            [
                SchemaProblem(
                    pointer="", message=f"schema is {size} bytes; the limit is {limits.max_bytes}"
                )
            ]
        )


def _with_bases(
    schema: dict[str, Any], *, draft7: bool
) -> Iterator[tuple[tuple[Token, ...], dict[str, Any], str]]:
    """Yield every subschema with its base URI (``""`` when the document declares none)."""
    bases: dict[tuple[Token, ...], str] = {}
    for tokens, node in iter_subschemas(schema):
        parent = next(
            (bases[tokens[:n]] for n in range(len(tokens) - 1, -1, -1) if tokens[:n] in bases), ""
        )
        base = parent
        declared = node.get("$id")
        if isinstance(declared, str) and not (draft7 and declared.startswith("#")):
            base = urldefrag(urljoin(parent, declared)).url
        bases[tokens] = base
        yield tokens, node, base


def _check_refs(schema: dict[str, Any], *, draft7: bool) -> None:
    nodes = list(_with_bases(schema, draft7=draft7))
    declared = {base for _, _, base in nodes}
    problems = []
    for tokens, node, base in nodes:
        for keyword in _REF_KEYWORDS:
            ref = node.get(keyword)
            if not isinstance(ref, str) or ref.startswith("#"):
                continue
            target = urldefrag(urljoin(base, ref)).url
            if target not in declared:
                problems.append(
                    SchemaProblem(
                        pointer=pointer((*tokens, keyword)),
                        keyword=keyword,
                        message=f"reference {ref!r} is not inside this schema; "
                        "remote references are not fetched",
                    )
                )
    if problems:
        raise SchemaRemoteRef(problems)


def _patterns(schema: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """Yield ``(pointer, keyword, regex)`` for every regular expression in the schema."""
    for tokens, node in iter_subschemas(schema):
        if isinstance(node.get("pattern"), str):
            yield pointer((*tokens, "pattern")), "pattern", node["pattern"]
        if isinstance(node.get("patternProperties"), dict):
            for key in node["patternProperties"]:
                yield pointer((*tokens, "patternProperties", key)), "patternProperties", key


def _check_patterns(schema: dict[str, Any], limits: SchemaLimits) -> None:
    complex_, invalid = [], []
    for where, keyword, regex in _patterns(schema):
        if len(regex) > limits.max_pattern_length:
            complex_.append(
                SchemaProblem(
                    pointer=where,
                    keyword=keyword,
                    message=f"regular expression longer than {limits.max_pattern_length} chars",
                )
            )
            continue
        verdict = pattern_engine_verdict(regex)
        if verdict == "needs_backtracking":
            complex_.append(
                SchemaProblem(
                    pointer=where,
                    keyword=keyword,
                    message=f"regular expression {regex!r} needs backtracking (look-around, "
                    "back-references or oversized repetition); only linear-time patterns "
                    "are accepted",
                )
            )
        elif verdict == "invalid":
            invalid.append(
                SchemaProblem(
                    pointer=where,
                    keyword=keyword,
                    message=f"{regex!r} is not a valid regular expression",
                )
            )
    if complex_:
        raise SchemaTooComplex(complex_)
    if invalid:
        raise SchemaInvalid(invalid)


def _check_cost(schema: dict[str, Any], limits: SchemaLimits, *, draft7: bool) -> None:
    cost = evaluation_cost(schema, draft7=draft7)
    if cost.cycle:
        message = (
            "a reference cycle applies this subschema to the same value again and again; a "
            "recursive $ref must descend into the value (properties, items, ...)"
        )
    elif cost.worst > limits.max_cost:
        message = (
            f"validating one value against this subschema takes {cost.worst} subschema "
            "evaluations (allOf/anyOf/oneOf/not/if and $ref fan-out on the same value); "
            f"the budget is {limits.max_cost}"
        )
    else:
        return
    raise SchemaTooComplex([SchemaProblem(pointer=cost.pointer, message=message)])


def _meta_valid_fast(schema: dict[str, Any]) -> bool:
    """True when jsonschema-rs's meta check (draft from ``$schema``, as :func:`dialect_of`
    reads it) finds ``schema`` valid; False when it does not, or cannot tell (then
    :func:`meta_problems` decides). Spares importing Python ``jsonschema`` (about 0.1 s) for
    the usual valid schema."""
    try:
        return jsonschema_rs.meta.is_valid(schema) is True
    except Exception:  # an engine refusal is no verdict: Python jsonschema gives it
        return False


def meta_problems(schema: dict[str, Any], dialect: str) -> list[SchemaProblem]:
    """Every violation of the ``dialect`` meta-schema (Python ``jsonschema``), sorted; none
    when the schema is valid. A schema it cannot check at all raises :class:`SchemaInvalid`."""
    import jsonschema  # type: ignore[import-untyped]  # here: a fast start, see above

    meta = getattr(jsonschema, _DIALECTS[dialect])
    try:
        errors = list(meta(meta.META_SCHEMA).iter_errors(schema))
    except Exception as exc:
        raise SchemaInvalid(
            [SchemaProblem(pointer="", message=f"schema cannot be checked: {exc}")]
        ) from exc
    return sorted(
        {
            SchemaProblem(
                pointer=pointer(e.absolute_path), message=e.message, keyword=str(e.validator)
            )
            for e in errors
        },
        key=lambda p: (p.pointer, p.keyword or "", p.message),
    )


def _trial_compile(schema: dict[str, Any], registry: jsonschema_rs.Registry | None) -> None:
    try:
        build_engine(schema, registry=registry)
    except (jsonschema_rs.ValidationError, ValueError, TypeError, OverflowError) as exc:
        message = str(exc).split("\n", 1)[0]
        raise SchemaInvalid(
            [SchemaProblem(pointer="", message=f"schema does not compile: {message}")]
        ) from exc
