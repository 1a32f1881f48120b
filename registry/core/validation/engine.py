"""The one place that builds jsonschema-rs validators, so every caller gets the same options.

Options that matter for safety and behaviour:

* ``validate_formats=True`` -- ``format`` is an assertion (email, date, date-time, uri, uuid,
  ipv4, ipv6, ... are checked), not an annotation.
* ``pattern_options=RegexOptions()`` -- the Rust ``regex`` crate, which matches in linear time;
  a pattern such as ``^(a+)+$`` cannot stall a worker. Patterns that need backtracking
  (look-around, back-references) do not compile; :func:`registry.core.schema_check.check_schema`
  refuses them up front with ``schema_too_complex``.
* ``offline=True`` -- a validator never fetches a URL. Remote resources are only available through
  an explicit in-memory ``registry`` (used by the conformance test, never by the service).
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs

__all__ = ["build_validator", "pattern_engine_verdict"]


def build_validator(
    schema: dict[str, Any] | bool, *, registry: jsonschema_rs.Registry | None = None
) -> jsonschema_rs.Validator:
    """Compile ``schema`` with the registry's standard engine options.

    Raises:
        jsonschema_rs.ValidationError: the engine cannot compile the schema (bad pointer, regex...).
    """
    return jsonschema_rs.validator_for(
        schema,
        validate_formats=True,
        pattern_options=jsonschema_rs.RegexOptions(),
        registry=registry,
        offline=True,
    )


def pattern_engine_verdict(pattern: str) -> str:
    """Classify a regular expression for the linear-time engine.

    Returns:
        ``"ok"`` when the linear engine compiles it, ``"needs_backtracking"`` when only a
        backtracking engine can (look-around, back-references, huge repetitions), or
        ``"invalid"`` when no engine accepts it.
    """
    if _compiles({"pattern": pattern}, jsonschema_rs.RegexOptions()):
        return "ok"
    if _compiles({"pattern": pattern}, jsonschema_rs.FancyRegexOptions()):
        return "needs_backtracking"
    return "invalid"


def _compiles(
    schema: dict[str, Any], options: jsonschema_rs.RegexOptions | jsonschema_rs.FancyRegexOptions
) -> bool:
    try:
        jsonschema_rs.validator_for(schema, pattern_options=options, offline=True)
    except jsonschema_rs.ValidationError:
        return False
    return True
