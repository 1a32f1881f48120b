"""Registry configuration: global defaults and per-event-type overrides, resolved purely.

An event type's own setting wins; a setting it does not have falls back to the global one
(Confluent's subject-level vs global config). Validation defaults live here too, so one resource
(`/config`, `/event-types/{key}/config`) answers "how is this type checked?".
"""

from __future__ import annotations

import msgspec

from registry.core.compatibility import Level, Policy
from registry.core.lint.rules import RuleCode
from registry.core.validation import EnvelopeRules, Mode, ValidationOptions

__all__ = ["BUILTIN", "EffectiveConfig", "EnvelopeOverrides", "Mode", "TypeConfig", "resolve"]


class EnvelopeOverrides(
    msgspec.Struct, frozen=True, omit_defaults=True, rename="camel", forbid_unknown_fields=True
):
    """Switch individual Yespo envelope rules off (or back on); unset means inherit."""

    event_type_key: bool | None = None
    key_value: bool | None = None
    contact: bool | None = None
    param_names: bool | None = None
    body_size: bool | None = None


class TypeConfig(
    msgspec.Struct, frozen=True, omit_defaults=True, rename="camel", forbid_unknown_fields=True
):
    """Settings of one event type (or the global defaults); ``None`` means inherit.

    Unknown members are refused, not dropped: a typo such as ``compatibilty`` must not be
    answered with 200 while the old level silently stays in force.
    """

    compatibility: Level | None = None
    policy: Policy | None = None
    validation_mode: Mode | None = None
    coerce: bool | None = None
    envelope: EnvelopeOverrides | None = None
    validate_params: bool | None = None
    """Yespo's *Validate parameters* switch of the event type (drop-in endpoints only)."""
    lint_blocking: tuple[RuleCode, ...] | None = None
    """Lint rules whose findings refuse a registration (``lint_failed``); ``[]``: none."""


class EffectiveConfig(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """What actually applies to an event type after inheritance."""

    compatibility: Level
    policy: Policy
    validation_mode: Mode
    coerce: bool
    envelope: EnvelopeRules
    validate_params: bool = True
    """On: a single event missing a required param gets Yespo's 400; off: 200, as production."""
    lint_blocking: tuple[str, ...]
    """Lint rules that refuse a registration (no default: the OpenAPI document shows none)."""

    def validation_options(
        self, *, mode: Mode | None = None, coerce: bool | None = None
    ) -> ValidationOptions:
        """Options for validating one event; per-request values win over the configuration."""
        return ValidationOptions(
            mode=mode or self.validation_mode,
            coerce=self.coerce if coerce is None else coerce,
            envelope=self.envelope,
        )


BUILTIN = EffectiveConfig(
    compatibility=Level.BACKWARD,
    policy=Policy.STRICT,
    validation_mode="lenient",
    coerce=False,
    envelope=EnvelopeRules(),
    validate_params=True,
    lint_blocking=(),
)


def _envelope(base: EnvelopeRules, overrides: EnvelopeOverrides | None) -> EnvelopeRules:
    if overrides is None:
        return base
    changes = {
        field: value
        for field in EnvelopeOverrides.__struct_fields__
        if (value := getattr(overrides, field)) is not None
    }
    return msgspec.structs.replace(base, **changes)


def resolve(*layers: TypeConfig | None, base: EffectiveConfig = BUILTIN) -> EffectiveConfig:
    """Apply ``layers`` (global first, then the event type's) on top of ``base``."""
    result = base
    for layer in layers:
        if layer is None:
            continue
        result = EffectiveConfig(
            compatibility=layer.compatibility or result.compatibility,
            policy=layer.policy or result.policy,
            validation_mode=layer.validation_mode or result.validation_mode,
            coerce=result.coerce if layer.coerce is None else layer.coerce,
            envelope=_envelope(result.envelope, layer.envelope),
            validate_params=(
                result.validate_params if layer.validate_params is None else layer.validate_params
            ),
            lint_blocking=(
                result.lint_blocking if layer.lint_blocking is None else layer.lint_blocking
            ),
        )
    return result
