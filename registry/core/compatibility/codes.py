"""Every finding code the checker can emit, with its meaning, plus the keyword tables behind them.

A code is stable and never reused. Directions in brackets say which way the change usually
breaks: [B] backward (old payloads rejected), [F] forward (new payloads rejected by the old
schema), [B+F] both, [B|F] depends on the nested difference.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class SizeBound(NamedTuple):
    """A non-negative integer bound keyword (``minLength``...) and what it measures."""

    keyword: str
    stem: str
    lower: bool
    measure: str
    noun: str


SIZE_BOUNDS: Final = (
    SizeBound("minLength", "min_length", True, "string length", "strings"),
    SizeBound("maxLength", "max_length", False, "string length", "strings"),
    SizeBound("minItems", "min_items", True, "array length", "arrays"),
    SizeBound("maxItems", "max_items", False, "array length", "arrays"),
    SizeBound("minProperties", "min_properties", True, "number of properties", "objects"),
    SizeBound("maxProperties", "max_properties", False, "number of properties", "objects"),
    SizeBound("minContains", "min_contains", True, "number of items matching `contains`", "arrays"),
    SizeBound(
        "maxContains", "max_contains", False, "number of items matching `contains`", "arrays"
    ),
)

# Keywords whose value is compared by equality only: any change is incompatible both ways.
EXACT_KEYWORDS: Final = (
    ("pattern", "pattern"),
    ("format", "format"),
    ("contentEncoding", "content_encoding"),
    ("contentMediaType", "content_media_type"),
)


def _size_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for b in SIZE_BOUNDS:
        tighter, looser = ("increased", "decreased") if b.lower else ("decreased", "increased")
        codes[f"{b.stem}_added"] = f"[B] `{b.keyword}` added: limits the {b.measure}"
        codes[f"{b.stem}_removed"] = f"[F] `{b.keyword}` removed: no longer limits the {b.measure}"
        codes[f"{b.stem}_{tighter}"] = f"[B] `{b.keyword}` tightened"
        codes[f"{b.stem}_{looser}"] = f"[F] `{b.keyword}` relaxed"
    return codes


def _exact_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for keyword, stem in EXACT_KEYWORDS:
        codes[f"{stem}_added"] = f"[B] `{keyword}` added where there was none"
        codes[f"{stem}_removed"] = f"[F] `{keyword}` removed"
        codes[f"{stem}_changed"] = f"[B+F] `{keyword}` changed (values are not compared by meaning)"
    return codes


_CORE: Final = {
    "false_schema_added": "[B] the schema became `false`: it rejects everything",
    "false_schema_removed": "[F] the schema was `false` and now accepts values",
    "type_narrowed": "[B] `type` accepts fewer JSON types (incl. number -> integer)",
    "type_widened": "[F] `type` accepts more JSON types (incl. integer -> number)",
    "type_changed": "[B+F] `type` both drops and adds JSON types",
    "enum_added": "[B] `enum`/`const` added: only listed values are accepted",
    "enum_removed": "[F] `enum`/`const` removed: any value is accepted",
    "enum_value_added": "[F] a value was added to `enum`/`const`",
    "enum_value_removed": "[B] a value was removed from `enum`/`const`",
    "minimum_added": "[B] a lower numeric bound was added",
    "minimum_removed": "[F] the lower numeric bound was removed",
    "minimum_increased": "[B] the lower numeric bound was raised (or became exclusive)",
    "minimum_decreased": "[F] the lower numeric bound was lowered (or became inclusive)",
    "maximum_added": "[B] an upper numeric bound was added",
    "maximum_removed": "[F] the upper numeric bound was removed",
    "maximum_increased": "[F] the upper numeric bound was raised (or became inclusive)",
    "maximum_decreased": "[B] the upper numeric bound was lowered (or became exclusive)",
    "multiple_of_added": "[B] `multipleOf` added",
    "multiple_of_removed": "[F] `multipleOf` removed",
    "multiple_of_reduced": "[F] `multipleOf` became a divisor of the old one (10 -> 5)",
    "multiple_of_expanded": "[B] `multipleOf` became a multiple of the old one (5 -> 10)",
    "multiple_of_changed": "[B+F] `multipleOf` changed to an unrelated value (7 -> 13)",
    "unique_items_added": "[B] `uniqueItems: true` added",
    "unique_items_removed": "[F] `uniqueItems: true` removed",
    "contains_added": "[B] `contains` added",
    "contains_removed": "[F] `contains` removed",
    "tuple_item_added": "[B|F] a positional item was added; compared with the old catch-all",
    "tuple_item_removed": "[B|F] a positional item was removed; compared with the new catch-all",
    "additional_items_narrowed": "[B] the catch-all for items beyond the tuple got narrower",
    "additional_items_widened": "[F] the catch-all for items beyond the tuple got wider",
    "additional_items_changed": "[B+F] the catch-all for items beyond the tuple changed",
    "property_added_to_open_model": "[B in STRICT] property added where any value was allowed",
    "property_added_to_closed_model": "[F] property added where undeclared ones were forbidden",
    "property_added_to_partially_open_model": "[B|F] property added; compared with the catch-all",
    "property_removed_from_open_model": "[F in STRICT] property removed; any value now allowed",
    "property_removed_from_closed_model": "[B] property removed from a closed model",
    "property_removed_from_partially_open_model": "[B|F] property removed; compared with catch-all",
    "additional_properties_narrowed": "[B in STRICT] undeclared properties accept fewer values",
    "additional_properties_widened": "[F in STRICT] undeclared properties accept more values",
    "additional_properties_changed": "[B+F in STRICT] undeclared properties changed both ways",
    "pattern_property_added": "[B|F] a `patternProperties` entry was added",
    "pattern_property_removed": "[B|F] a `patternProperties` entry was removed",
    "required_added": "[B] a property became required",
    "required_removed": "[F] a property is no longer required",
    "dependent_required_added": "[B] `dependentRequired`/`dependencies` requires more names",
    "dependent_required_removed": "[F] `dependentRequired`/`dependencies` requires fewer names",
    "dependent_schema_added": "[B] a `dependentSchemas`/`dependencies` schema was added",
    "dependent_schema_removed": "[F] a `dependentSchemas`/`dependencies` schema was removed",
    "all_of_branch_added": "[B] an `allOf` branch was added",
    "all_of_branch_removed": "[F] an `allOf` branch was removed",
    "any_of_branch_added": "[F] an `anyOf` branch was added",
    "any_of_branch_removed": "[B] an `anyOf` branch was removed",
    "one_of_branch_added": "[F] a `oneOf` branch was added",
    "one_of_branch_removed": "[B] a `oneOf` branch was removed",
    "combinator_added": "[B] `allOf`/`anyOf`/`oneOf` added",
    "combinator_removed": "[F] `allOf`/`anyOf`/`oneOf` removed",
    "combinator_changed": "[B|F] the combinator kind changed (allOf -> anyOf widens)",
    "not_added": "[B] `not` added",
    "not_removed": "[F] `not` removed",
    "negated_schema_changed": "[B|F] the schema inside `not` changed (effect is inverted)",
    "condition_added": "[B] `if`/`then`/`else` added",
    "condition_removed": "[F] `if`/`then`/`else` removed",
    "condition_changed": "[B+F] the `if` schema changed: payloads may switch branch",
    "ref_changed": "[B+F] an unresolvable (non-local) `$ref` changed",
    "comparison_too_complex": "[B+F] the comparison exceeded its work budget; not provably "
    "compatible either way",
    "tags_changed": "[none] data-contract tags (`x-pii`, `x-owner`, `x-*`) changed: annotations "
    "only, compatible at every level",
}

CODES: Final[dict[str, str]] = {**_CORE, **_size_codes(), **_exact_codes()}
"""Every code the checker emits -> one-line meaning."""
