"""Validate one Yespo event: envelope rules plus the params against a compiled schema.

The hot path is a valid event: :func:`_quick_pass` answers it with cheap checks and one
``is_valid`` call. Only when that fails is the full report built.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import Any

import jsonschema_rs

from registry.core.jsonpointer import Token, pointer
from registry.core.keys import FORBIDDEN_KEY_CHARS, MAX_KEY_LENGTH, MAX_KEY_VALUE_LENGTH
from registry.core.validation.coerce import convert, replace_at
from registry.core.validation.compiled import CompiledSchema
from registry.core.validation.envelope import (
    MAX_PARAM_NAME,
    TOP_LEVEL,
    ParamsView,
    check_envelope,
    has_contact,
    identifies,
    is_contact_name,
    normalise_params,
    occurred_ok,
)
from registry.core.validation.mapping import Mapper, conversion_note
from registry.core.validation.violations import (
    MAX_VIOLATIONS,
    RUNTIME_COST_CAP,
    Allowance,
    Severity,
    ValidationOptions,
    Violation,
    sort_violations,
)

__all__ = [
    "QuickCheck",
    "event_type_key_of",
    "passes_quickly",
    "quick_check",
    "validate_event",
    "validate_event_capped",
]

_MAX_CONVERSION_ROUNDS = 8
_DEFAULT_OPTIONS = ValidationOptions()


def event_type_key_of(event: object) -> str | None:
    """The string ``eventTypeKey`` of an event object, else ``None``."""
    if isinstance(event, dict):
        key = event.get("eventTypeKey")
        if isinstance(key, str):
            return key
    return None


def validate_event(
    event: object,
    *,
    schema: CompiledSchema | None,
    options: ValidationOptions = _DEFAULT_OPTIONS,
    body_size: int | None = None,
    base_path: str = "",
) -> list[Violation]:
    """Every violation (errors and warnings) of one event as a client sends it, sorted by path.

    Args:
        event: the decoded JSON of one event ``{"eventTypeKey", "keyValue"?, "params"?, ...}``.
        schema: the compiled schema of its event type; ``None`` runs the envelope rules only.
        options: mode, coercion, envelope rule switches, body limit.
        body_size: raw size in bytes of the event body when known (for ``payload_too_large``).
        base_path: JSON Pointer prefix of every path (``/events/3`` in a batch).

    Returns:
        ``[]`` for a clean event; otherwise violations sorted by path, errors first (at most
        ``MAX_VIOLATIONS`` of the engine's errors are read; see :func:`validate_event_capped`).
    """
    return validate_event_capped(
        event, schema=schema, options=options, body_size=body_size, base_path=base_path
    )[0]


def validate_event_capped(
    event: object,
    *,
    schema: CompiledSchema | None,
    options: ValidationOptions = _DEFAULT_OPTIONS,
    body_size: int | None = None,
    base_path: str = "",
    quick: bool = True,
) -> tuple[list[Violation], bool]:
    """:func:`validate_event`, and whether the engine had more errors than were read;
    ``quick=False``: the caller's quick check of these options already failed, so it is not
    asked again.

    The engine's errors are read lazily and only the first ``MAX_VIOLATIONS`` (+1, to know
    more exist) become violations; did-you-mean look-ups are capped per event
    (:class:`Allowance`), so the work after the engine is linear in the payload.
    """
    if quick and _quick_pass(event, schema, options, body_size):
        return [], False
    found, capped = _all_violations(event, schema, options, body_size, base_path)
    return sort_violations(found), capped


def passes_quickly(
    event: object,
    *,
    schema: CompiledSchema | None,
    options: ValidationOptions = _DEFAULT_OPTIONS,
    body_size: int | None = None,
) -> bool:
    """True when :func:`validate_event` has nothing to report, judged by the cheap checks and
    one ``is_valid``; False means "build the full report" (which is heavier)."""
    return _quick_pass(event, schema, options, body_size)


QuickCheck = Callable[[dict[str, Any], int | None], bool]
"""``check(event, body_size)`` for an event already known to be a dict: True only when the full
check would report nothing."""
_NO_SCHEMA_CHECKS: dict[ValidationOptions, QuickCheck] = {}
_MAX_CHECKS = 64


def quick_check(
    schema: CompiledSchema | None, options: ValidationOptions, *, known_key: str | None = None
) -> QuickCheck:
    """The cheap checks and one ``is_valid``, specialised once for a schema and its options.

    Built once per (schema, options) and kept (:func:`_checker`): per event it reads only
    locals, which is most of what a valid event costs beyond the engine. The checks are exactly
    the envelope rules :func:`_all_violations` reports on, in their cheapest form; any doubt
    answers False (the full path then decides). ``known_key``: the check only ever sees events
    whose ``eventTypeKey`` is this string (the validator's per-type shortcut), so a clean key is
    not checked again per event.
    """
    rules = options.envelope
    max_body = options.max_body_bytes if rules.body_size else None
    check_key, check_kv, check_names, contact = (
        rules.event_type_key,
        rules.key_value,
        rules.param_names,
        rules.contact,
    )
    allowed = FORBIDDEN_KEY_CHARS.isdisjoint  # the pattern's characters; a set walk is cheaper
    is_valid = schema.validator.is_valid if schema is not None else None
    by_mode = schema is not None and schema.unknown_policy == "mode"
    declared = schema.declared if schema is not None else frozenset()
    declares = schema.declares if schema is not None else None
    short_declared = frozenset(n for n in declared if 0 < len(n) <= MAX_PARAM_NAME)
    # the engine also judges the names when the schema can be closed to undeclared ones (every
    # declared name 1..100 characters): a valid event then needs no name check in Python
    closed = (
        schema.closed() if by_mode and schema is not None and declared == short_declared else None
    )
    closed_valid = closed.is_valid if closed is not None else None
    if known_key is not None and _clean_key(known_key):
        check_key = False  # the caller looked the event up by this very key

    def check(event: dict[str, Any], body_size: int | None) -> bool:  # noqa: PLR0911, PLR0912
        if not event.keys() <= TOP_LEVEL:
            return False
        if max_body is not None and body_size is not None and body_size > max_body:
            return False
        if check_key:
            key = event.get("eventTypeKey")
            if type(key) is not str or not _clean_key(key):
                return False
        key_value = event.get("keyValue")
        if (
            check_kv
            and key_value is not None
            and (
                type(key_value) is not str
                or not 0 < len(key_value) <= MAX_KEY_VALUE_LENGTH
                or not allowed(key_value)
            )
        ):
            return False
        if "occurred" in event and not occurred_ok(event["occurred"]):
            return False
        params = event.get("params")
        values: dict[str, Any]
        if type(params) is list:
            try:  # C-speed normalisation; a malformed entry raises and takes the full path
                values = {item["name"]: item["value"] for item in params}
            except (KeyError, TypeError):  # not an object, no name/value, an unhashable name
                return False
            if len(values) != len(params):  # fewer keys: a duplicate name
                return False
        elif type(params) is dict:
            values = params
        elif params is None:
            values = {}
        else:
            return False
        try:  # valid, and every name declared
            passed = closed_valid is not None and closed_valid(values)
        except ValueError:  # a name that is not a string: the checks below decline it
            passed = False
        if not passed and not values.keys() <= short_declared:  # else: every name declared
            if "" in values:
                return False
            if values and (check_names or params is not values):
                try:  # a name that is not a string raises and takes the full path
                    if max(map(len, values)) > MAX_PARAM_NAME:
                        return False
                except TypeError:
                    return False
            if (
                by_mode
                and not values.keys() <= declared
                and not all(declares(n) or is_contact_name(n) for n in values)  # type: ignore[misc]
            ):
                return False
        if (
            contact
            and not identifies(key_value)  # a keyValue naming a contact settles it
            and not has_contact(event, values)  # the keyValue names none: an identifier param?
        ):
            return False
        if passed or is_valid is None:
            return True
        return is_valid(values)

    return check


def _clean_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and FORBIDDEN_KEY_CHARS.isdisjoint(key)


def _checker(schema: CompiledSchema | None, options: ValidationOptions) -> QuickCheck:
    """The kept :func:`quick_check` of ``schema`` under ``options`` (built on first use)."""
    kept = _NO_SCHEMA_CHECKS if schema is None else schema.quick_checks
    found = kept.get(options)
    if found is None:
        found = quick_check(schema, options)
        if len(kept) < _MAX_CHECKS:  # options come from configs: a handful per schema
            kept[options] = found  # a racing thread builds an equal one: harmless
    return found


def _quick_pass(
    event: object, schema: CompiledSchema | None, options: ValidationOptions, body_size: int | None
) -> bool:
    """True only when the full check would report nothing (cheap checks, one ``is_valid``)."""
    return type(event) is dict and _checker(schema, options)(event, body_size)


def _all_violations(
    event: object,
    schema: CompiledSchema | None,
    options: ValidationOptions,
    body_size: int | None,
    base: str,
) -> tuple[list[Violation], bool]:
    if not isinstance(event, dict):
        return [
            Violation(
                code="malformed_event",
                severity="error",
                path=base,
                message=f"an event must be a JSON object, got {type(event).__name__}",
            )
        ], False
    rules = options.envelope
    allowance = Allowance()
    found: list[Violation] = []
    if rules.body_size and body_size is not None and body_size > options.max_body_bytes:
        found.append(
            Violation(
                code="payload_too_large",
                severity="error",
                path=base,
                expected=options.max_body_bytes,
                actual=body_size,
                message=f"event body is {body_size} bytes; "
                f"Yespo accepts at most {options.max_body_bytes}",
            )
        )
    found += check_envelope(event, rules, base, allowance)
    view, problems = normalise_params(event, rules, base)
    found += problems
    if rules.contact and not has_contact(event, view.values):
        found.append(_missing_contact(view, base))
    if schema is None:
        return found, False
    mapper = Mapper(view, schema, base, allowance)
    found += _unknown_params(mapper, options)
    engine, capped = _schema_violations(mapper, options)
    return found + engine, capped


def _missing_contact(view: ParamsView, base: str) -> Violation:
    ignored = [n for n, v in view.values.items() if is_contact_name(n) and not identifies(v)]
    note = f"; ignored empty or null-like {', '.join(repr(n) for n in ignored)}" if ignored else ""
    return Violation(
        code="missing_contact_identifier",
        severity="error",
        path=base,
        message="event has no keyValue and no contact identifier param "
        "(contactId, externalCustomerId, "
        f"email, phone, pushToken){note}",
    )


def _unknown_params(mapper: Mapper, options: ValidationOptions) -> list[Violation]:
    schema = mapper.schema
    if schema.unknown_policy != "mode":
        return []
    severity: Severity = "error" if options.mode == "strict" else "warning"
    unknown = (n for n in mapper.view.values if not schema.declares(n) and not is_contact_name(n))
    return [mapper.unknown_param(name, severity) for name in islice(unknown, MAX_VIOLATIONS + 1)]


def _schema_violations(mapper: Mapper, options: ValidationOptions) -> tuple[list[Violation], bool]:
    """Engine errors, after parsing JSON-in-string values (always) and coercing scalars (opt-in).

    Reads at most ``MAX_VIOLATIONS + 1`` engine errors per round; the flag says more existed.
    """
    schema = mapper.schema
    data: Any = mapper.view.values
    if schema.cost > RUNTIME_COST_CAP:  # stored over the budget: the verdict, no error tree
        return ([] if schema.is_valid(data) else [_over_budget(mapper)]), True
    notes: list[Violation] = []
    for _ in range(_MAX_CONVERSION_ROUNDS):
        errors = schema.errors(data, limit=MAX_VIOLATIONS + 1)
        fixes = _fixes(errors, coerce=options.coerce)
        if not fixes:
            break
        for tokens, original, kind, value, schema_path in fixes:
            data = replace_at(data, tokens, value)
            notes.append(conversion_note(mapper, tokens, original, kind, value, schema_path))
    else:
        errors = schema.errors(data, limit=MAX_VIOLATIONS + 1)
    capped = len(errors) > MAX_VIOLATIONS
    found = notes
    for error in errors[:MAX_VIOLATIONS]:
        found += mapper.violations(error)
        if len(found) > MAX_VIOLATIONS:
            return found, True
    return found, capped


def _over_budget(mapper: Mapper) -> Violation:
    return Violation(
        code="schema_violation",
        severity="error",
        path=f"{mapper.base}/params",
        message=f"params do not match the schema; it costs {mapper.schema.cost} evaluations "
        f"per value, over the budget of {RUNTIME_COST_CAP}, so only this verdict is reported "
        "(register a simpler version for detailed errors)",
    )


def _fixes(
    errors: list[jsonschema_rs.ValidationError], *, coerce: bool
) -> list[tuple[list[Token], str, str, Any, str]]:
    """``(tokens, original, kind, value, schema_path)`` for string values to parse or coerce."""
    fixes: dict[tuple[Token, ...], tuple[list[Token], str, str, Any, str]] = {}
    for error in errors:
        if error.kind.name != "type" or not isinstance(error.instance, str):
            continue
        found = convert(error.instance, error.kind.as_dict().get("types", []))
        if found is None or (found[0] == "scalar" and not coerce):
            continue
        tokens = list(error.instance_path)
        fixes.setdefault(
            tuple(tokens), (tokens, error.instance, found[0], found[1], pointer(error.schema_path))
        )
    return list(fixes.values())
