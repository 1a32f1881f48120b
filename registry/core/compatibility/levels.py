"""Compatibility levels, policies and directions (Confluent Schema Registry semantics)."""

from __future__ import annotations

import enum


class Direction(enum.StrEnum):
    """Which way a schema change is judged."""

    BACKWARD = "BACKWARD"
    """The new schema (reader) accepts every payload the old schema accepted."""
    FORWARD = "FORWARD"
    """The old schema accepts every payload the new schema accepts."""


class Policy(enum.StrEnum):
    """How to treat properties a schema does not declare (Confluent ``compatibilityPolicy``)."""

    STRICT = "STRICT"
    """Open / closed / partially-open content models are taken literally.

    Adding a property to an OPEN model breaks backward compatibility: old payloads may already
    carry that name with another type. Removing one from an open model breaks forward.
    """
    LENIENT = "LENIENT"
    """Producers never send undeclared properties (not in ``properties``/``patternProperties``).

    So adding or removing an OPTIONAL property is compatible both ways in an open model, and changes
    to ``additionalProperties`` never break anything. Closed models still reject payloads that
    really carry a property they do not declare.
    """


class Level(enum.StrEnum):
    """Compatibility level of an event type (the seven Confluent levels)."""

    NONE = "NONE"
    """No check: any schema may follow any other."""
    BACKWARD = "BACKWARD"
    """The new schema accepts every payload the latest version accepted (consumers first)."""
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    """BACKWARD against every active version, not only the latest."""
    FORWARD = "FORWARD"
    """The latest version accepts every payload the new schema accepts (upgrade producers first)."""
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    """FORWARD against every active version, not only the latest."""
    FULL = "FULL"
    """Both BACKWARD and FORWARD against the latest version."""
    FULL_TRANSITIVE = "FULL_TRANSITIVE"
    """Both BACKWARD and FORWARD against every active version."""

    @property
    def directions(self) -> frozenset[Direction]:
        """The directions this level checks (empty for NONE)."""
        base = self.value.removesuffix("_TRANSITIVE")
        if base == "NONE":
            return frozenset()
        if base == "FULL":
            return frozenset(Direction)
        return frozenset({Direction(base)})

    @property
    def transitive(self) -> bool:
        """Whether every earlier active version is checked, not only the latest."""
        return self.value.endswith("_TRANSITIVE")
