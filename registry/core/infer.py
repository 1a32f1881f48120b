"""Propose an event type's params schema from sample events (pure; no I/O).

The guarantee (tests/property/test_infer_law.py): every sample the proposal was built from is
valid against it, judged by the registry's own validator. The rules, per location (a param, a
member of a nested object, the items of an array):

* **Types.** The JSON types seen, as one ``type`` or a union (``["integer", "string"]``) when
  samples disagree; ``integer`` when every number is a JSON integer, else ``number``; ``null``
  is a type like any other.
* **Required.** A member present in every object that could hold it (``stats`` shows the
  presence as a percentage, so "present in 97 %" is visible too).
* **JSON in strings.** A top-level param whose every string value is JSON array/object text
  (the mobile SDKs send ``items`` as ``"[{...}]"``) is inferred from the decoded values; the
  validator parses such strings the same way, so the proposal says ``"type": "array"``.
* **Masked values** (``***``, as the inspection log stores sensitive fields) teach nothing: a
  location with a masked value gets no ``format``, ``enum`` or ``maxLength``, and its stats say
  ``masked``.
* **Formats**, tried in this order with the validation engine itself (never a regex of ours):
  ``uuid``, ``email``, ``date``, ``date-time`` (RFC 3339), the Yespo date-time form (the
  param-list ``datetime`` pattern: seconds and zone optional), ``uri``. The first that every
  string value satisfies is proposed.
* **Enums** for low-cardinality strings without a format: at least
  :attr:`InferOptions.enum_min_samples` (5) values, at most
  :attr:`InferOptions.enum_max_values` (10) distinct ones, and each distinct value seen twice
  on average (distinct <= values x :attr:`InferOptions.enum_max_ratio`, 0.5); only when every
  value at the location is a string.
* **maxLength** suggestions for plain strings (no enum, no fixed-width format): the next power
  of two at or above twice the longest value, at least :attr:`InferOptions.min_max_length`
  (16); no suggestion when the longest value exceeds :attr:`InferOptions.max_max_length`
  (4096).
* **Nesting.** Objects get ``properties`` and ``required`` the same way; arrays get one
  ``items`` schema merged from every item. Below :data:`MAX_DEPTH` levels anything is accepted.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import msgspec

from registry.core.infer_forms import param_list
from registry.core.inspection import MASK
from registry.core.paramlist import DIALECT
from registry.core.validation.codes import DATE_TIME_PATTERN, json_type
from registry.core.validation.engine import build_validator
from registry.core.validation.envelope import normalise_params
from registry.core.validation.violations import EnvelopeRules

__all__ = ["InferOptions", "ParamStats", "Proposal", "infer", "params_of"]

MAX_DEPTH = 12
"""Value nesting below which anything is accepted (keeps the schema under the default depth
limit of 32)."""
_TYPE_ORDER = ("null", "boolean", "integer", "number", "string", "array", "object")
FORMATS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("uuid", {"format": "uuid"}),
    ("email", {"format": "email"}),
    ("date", {"format": "date"}),
    ("date-time", {"format": "date-time"}),
    ("datetime", {"pattern": DATE_TIME_PATTERN}),
    ("uri", {"format": "uri"}),
)
"""(name, schema keywords) in the order they are tried; ``datetime`` is Yespo's form."""
_FIXED_WIDTH = frozenset({"uuid", "date", "date-time", "datetime"})


class InferOptions(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """The documented thresholds (the defaults are what the CLI and the API use)."""

    enum_min_samples: int = 5
    enum_max_values: int = 10
    enum_max_ratio: float = 0.5
    min_max_length: int = 16
    max_max_length: int = 4096


class ParamStats(msgspec.Struct, frozen=True, kw_only=True, rename="camel", omit_defaults=True):
    """What the samples showed at one location (``items[].sku``: member sku of items' items)."""

    path: str
    present: int
    of: int
    presence: float
    """``present / of`` as a percentage, one decimal."""
    types: dict[str, int]
    masked: int = 0
    """Values stored masked (``***``): excluded from format, enum and length inference."""
    json_in_string: int = 0
    """String values holding JSON array/object text, inferred from what they decode to."""
    distinct: int | None = None
    longest: int | None = None
    format: str | None = None
    enum: bool = False


class Proposal(msgspec.Struct, frozen=True, kw_only=True):
    """The proposed schema, the same as a param list, and what it was learned from."""

    schema: dict[str, Any]
    params: list[dict[str, Any]]
    stats: dict[str, Any]


def params_of(event: object) -> dict[str, Any] | None:
    """The params of one event as the validator sees them (list form -> object), else ``None``.

    ``parameters`` is read as an alias of ``params``, as the dry-run endpoints do.
    """
    if not isinstance(event, dict):
        return None
    if "params" not in event and "parameters" in event:
        event = {**event, "params": event["parameters"]}
    view, _ = normalise_params(event, EnvelopeRules(), "")
    return view.values


def infer(
    samples: list[dict[str, Any]],
    *,
    title: str | None = None,
    options: InferOptions | None = None,
    ignored: int = 0,
) -> Proposal:
    """Propose a schema for ``samples`` (params objects, see :func:`params_of`).

    Args:
        samples: one params object per sample event.
        title: the event type key, copied into ``title``.
        options: thresholds (defaults when ``None``).
        ignored: how many input events were not usable (reported in ``stats``).
    """
    learner = _Learner(options or InferOptions())
    body = learner.object_schema(samples, "", 0, top=True)
    schema = {"$schema": DIALECT, **({"title": title} if title else {}), **body}
    stats = {
        "samples": len(samples),
        "ignored": ignored,
        "thresholds": msgspec.to_builtins(learner.options),
        "params": [msgspec.to_builtins(s) for s in learner.stats],
    }
    return Proposal(schema=schema, params=param_list(schema), stats=stats)


def _decoded(text: str) -> object:
    """The array/object a string holds as JSON text, else ``None``."""
    if text.lstrip()[:1] not in ("[", "{"):
        return None
    try:
        value = msgspec.json.decode(text)
    except (msgspec.DecodeError, RecursionError):
        return None
    return value if isinstance(value, list | dict) else None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _Learner:
    def __init__(self, options: InferOptions) -> None:
        self.options = options
        self.stats: list[ParamStats] = []
        self._formats = [(name, build_validator({"type": "string", **kw})) for name, kw in FORMATS]

    def object_schema(
        self, objects: list[dict[str, Any]], path: str, depth: int, *, top: bool = False
    ) -> dict[str, Any]:
        names: dict[str, list[Any]] = {}
        for obj in objects:
            for name, value in obj.items():
                names.setdefault(name, []).append(value)
        properties = {
            name: self.value_schema(values, _join(path, name), len(objects), depth + 1, top=top)
            for name, values in names.items()
        }
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        required = [n for n, values in names.items() if len(values) == len(objects)]
        if objects and required:
            schema["required"] = required
        return schema

    def value_schema(
        self, values: list[Any], path: str, of: int, depth: int, *, top: bool = False
    ) -> dict[str, Any]:
        if depth > MAX_DEPTH:
            return {}
        masked = sum(v == MASK for v in values)
        json_texts = self._json_texts(values) if top else None
        effective = json_texts if json_texts is not None else values
        types = Counter(json_type(v) for v in effective)
        if json_texts is not None and masked:
            types["string"] += masked
        schema: dict[str, Any] = {"type": _type_keyword(types)}
        stats = ParamStats(
            path=path,
            present=len(values),
            of=of,
            presence=round(100 * len(values) / of, 1) if of else 0.0,
            types=dict(sorted(types.items())),
            masked=masked,
            json_in_string=_strings(values) - masked if json_texts is not None else 0,
        )
        self.stats.append(stats)
        at = len(self.stats) - 1
        strings = [v for v in effective if isinstance(v, str)]
        if strings and not masked:
            facets = self.string_facets(strings, only_strings=len(types) == 1)
            schema.update(facets)
            self.stats[at] = msgspec.structs.replace(
                stats,
                distinct=len(set(strings)),
                longest=max(map(len, strings)),
                format=_format_name(facets),
                enum="enum" in facets,
            )
        objects = [v for v in effective if isinstance(v, dict)]
        if objects:
            nested = self.object_schema(objects, path, depth)
            schema.update({k: v for k, v in nested.items() if k != "type"})
        arrays = [v for v in effective if isinstance(v, list)]
        if arrays:
            items = [item for array in arrays for item in array]
            if items:
                schema["items"] = self.value_schema(items, f"{path}[]", len(items), depth + 1)
        return schema

    def _json_texts(self, values: list[Any]) -> list[Any] | None:
        """The values with JSON text decoded, when every unmasked string is such text."""
        strings = [v for v in values if isinstance(v, str) and v != MASK]
        if not strings:
            return None
        decoded = {s: _decoded(s) for s in set(strings)}
        if any(d is None for d in decoded.values()):
            return None
        return [decoded[v] if isinstance(v, str) and v != MASK else v for v in values if v != MASK]

    def string_facets(self, strings: list[str], *, only_strings: bool) -> dict[str, Any]:
        facets: dict[str, Any] = {}
        name = next(
            (n for n, check in self._formats if all(map(check.is_valid, strings))),
            None,
        )
        if name is not None:
            facets.update(dict(FORMATS)[name])
        distinct = list(dict.fromkeys(strings))
        o = self.options
        if (
            only_strings
            and name is None
            and len(strings) >= o.enum_min_samples
            and len(distinct) <= o.enum_max_values
            and len(distinct) <= len(strings) * o.enum_max_ratio
        ):
            return {"enum": distinct}
        longest = max(map(len, strings))
        if name not in _FIXED_WIDTH and longest <= o.max_max_length:
            facets["maxLength"] = min(o.max_max_length, _suggested_length(longest, o))
        return facets


def _strings(values: list[Any]) -> int:
    return sum(isinstance(v, str) for v in values)


def _suggested_length(longest: int, options: InferOptions) -> int:
    size = options.min_max_length
    while size < 2 * longest:
        size *= 2
    return size


def _type_keyword(types: Counter[str]) -> str | list[str]:
    seen = set(types)
    if "number" in seen:
        seen.discard("integer")
    ordered = [t for t in _TYPE_ORDER if t in seen]
    return ordered[0] if len(ordered) == 1 else ordered


def _format_name(facets: dict[str, Any]) -> str | None:
    if facets.get("pattern") == DATE_TIME_PATTERN:
        return "datetime"
    fmt = facets.get("format")
    return fmt if isinstance(fmt, str) else None
