"""The rule table: each rule is a small function ``rule(old, new, at, ctx) -> Iterator[Change]``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

from registry.core.compatibility.context import Ctx, Here, Schema
from registry.core.compatibility.findings import Change
from registry.core.compatibility.rules import (
    arrays,
    combinators,
    logic,
    object_keywords,
    objects,
    scalars,
    tags,
)

Rule = Callable[[Schema, Schema, Here, Ctx], Iterable[Change]]

RULES: Final[tuple[Rule, ...]] = (
    scalars.type_rule,
    scalars.enum_rule,
    scalars.numeric_bounds_rule,
    scalars.multiple_of_rule,
    scalars.exact_keywords_rule,
    scalars.size_bounds_rule,
    scalars.unique_items_rule,
    objects.properties_rule,
    objects.additional_properties_rule,
    objects.pattern_properties_rule,
    object_keywords.required_rule,
    object_keywords.dependent_required_rule,
    object_keywords.dependent_schemas_rule,
    object_keywords.property_names_rule,
    arrays.items_rule,
    arrays.contains_rule,
    combinators.combinators_rule,
    logic.not_rule,
    logic.conditional_rule,
    logic.ref_rule,
    tags.tags_rule,
)
