"""JSON Schema compatibility (schema evolution), Confluent semantics.

BACKWARD: the new schema accepts every payload the old one accepted. FORWARD: the old schema
accepts every payload the new one accepts. ``diff`` lists typed ``Change``s classified by the
directions they break; ``check`` keeps those that matter for a ``Level``; ``check_against``
applies a level to a history of versions.

Decisions (where Confluent, Karapace or Apicurio leave room):

* STRICT: a property removed from an OPEN model breaks FORWARD (new payloads may carry the name
  with any value, the old schema constrains it): Confluent's BACKWARD rule 18 read with the schemas
  swapped. Adding one to an open model breaks BACKWARD unless its schema is ``true``/``{}``.
* LENIENT means "payloads never carry names their own schema does not declare" (``properties`` or
  ``patternProperties``): an added name cannot occur in old payloads, a removed one cannot occur in
  new payloads, and ``additionalProperties`` changes break nothing. Closed models still reject a
  property they do not list, so adding one to a closed model breaks FORWARD and removing one
  breaks BACKWARD even under LENIENT (Confluent's LENIENT accepts the latter).
* A newly required property breaks BACKWARD even when it has a ``default``: the registry validates
  payloads, and a validator does not fill in defaults (Confluent accepts it).
* A ``required`` name that ``properties`` does not declare is a requirement all the same, and an
  ``additionalItems`` change without array-form ``items`` breaks nothing (it has no effect).
* ``allOf`` branches that constrain nothing more (``true``, repeats, a copy of the sibling
  keywords) are ignored, and an ``allOf`` of one branch is that branch; ``unevaluatedItems`` is a
  tuple's catch-all when nothing beside it evaluates items (else any change of it breaks both
  ways).
* ``format``, ``pattern``, ``contentEncoding`` and ``contentMediaType`` are constraints compared by
  equality; ``oneOf`` exclusivity is not modelled; any change of an ``if`` breaks both ways.
* Paths are JSON Pointers into the new schema (into the old one for removed things, and the message
  says so). After a ``$ref`` they continue inside the referenced definition, so they are real
  pointers; each definition pair is compared once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from registry.core.compatibility.checking import check, check_against
from registry.core.compatibility.codes import CODES
from registry.core.compatibility.findings import Change, CompatibilityResult, Finding
from registry.core.compatibility.levels import Direction, Level, Policy

if TYPE_CHECKING:
    from registry.core.compatibility.diffing import diff


def __getattr__(name: str) -> Any:
    """``diff`` and its rules (most of this package) load when first used: the levels, the
    findings and a check against no earlier version need none of them."""
    if name == "diff":
        from registry.core.compatibility.diffing import diff

        return diff
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CODES",
    "Change",
    "CompatibilityResult",
    "Direction",
    "Finding",
    "Level",
    "Policy",
    "check",
    "check_against",
    "diff",
]
