"""Laws of schema evolution at the service level: a schema is compatible with itself.

The pure checker has the same law per rule; here it must survive the whole use case:
canonical dedupe, the configured level and policy, history, dry-run and registration.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.core.compatibility import Level, Policy
from registry.core.config import TypeConfig
from registry.core.service import RegistryService
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from registry.wiring import build_service

names = st.text(st.sampled_from("abcdefgh_"), min_size=1, max_size=6)
scalar_schemas = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(4, 20),
            "pattern": st.sampled_from(["^[A-Z]+$", "^\\d{3}$"]),
            "format": st.sampled_from(["email", "date", "uuid"]),
        },
    ),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["integer", "number"])},
        optional={"minimum": st.integers(-5, 0), "maximum": st.integers(1, 99)},
    ),
    st.fixed_dictionaries(
        {"enum": st.lists(st.integers(0, 9), min_size=1, max_size=4, unique=True)}
    ),
    st.fixed_dictionaries({"type": st.just("boolean")}),
    st.fixed_dictionaries(
        {"type": st.just("array"), "items": st.fixed_dictionaries({"type": st.just("string")})},
        optional={"maxItems": st.integers(1, 5), "uniqueItems": st.booleans()},
    ),
)


@st.composite
def object_schemas(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    children = scalar_schemas if depth >= 1 else st.one_of(scalar_schemas, object_schemas(1))
    properties = draw(st.dictionaries(names, children, max_size=4))
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if properties:
        schema["required"] = draw(st.lists(st.sampled_from(sorted(properties)), unique=True))
    model = draw(st.sampled_from(["open", "closed", "partially_open", "pattern"]))
    if model == "closed":
        schema["additionalProperties"] = False
    elif model == "partially_open":
        schema["additionalProperties"] = draw(scalar_schemas)
    elif model == "pattern":
        schema["patternProperties"] = {"^x_": draw(scalar_schemas)}
    return schema


# Each example of the loop tests runs 14 dry-runs (each a meta-schema check), hence fewer examples.
CONFIGS = [TypeConfig(compatibility=level, policy=policy) for level in Level for policy in Policy]
NON_TRANSITIVE = [c for c in CONFIGS if not c.compatibility or not c.compatibility.transitive]


def service_with(*schemas: dict[str, Any]) -> RegistryService:
    """A fresh service with one event type ``e`` holding ``schemas`` as versions 1, 2, ..."""
    service = build_service(Settings(), InMemoryStore())
    service.create_event_type(key="e")
    service.set_type_config(key="e", config=TypeConfig(compatibility=Level.NONE))
    for schema in schemas:
        service.register_version(key="e", schema=schema)
    return service


@settings(max_examples=30, deadline=None)
@given(st.lists(object_schemas(), min_size=1, max_size=3), st.sampled_from(CONFIGS))
def test_registering_the_same_content_twice_returns_the_same_version(
    history: list[dict[str, Any]], config: TypeConfig
) -> None:
    service = service_with(*history)
    service.set_type_config(key="e", config=config)
    before = service.list_versions(key="e")
    for schema in history:
        again = service.register_version(key="e", schema=schema)
        assert not again.created
        assert again.version.fingerprint in {v.fingerprint for v in before}
        assert again.examples == []
    assert service.list_versions(key="e") == before


@settings(max_examples=15, deadline=None)
@given(object_schemas())
def test_dry_run_of_the_only_version_is_compatible_at_every_level_and_policy(
    schema: dict[str, Any],
) -> None:
    service = service_with(schema)
    for config in CONFIGS:
        service.set_type_config(key="e", config=config)
        result = service.dry_run(key="e", schema=schema)
        assert (result.compatible, result.findings) == (True, []), config
        assert result.level == config.compatibility
        assert result.policy == config.policy


@settings(max_examples=15, deadline=None)
@given(st.lists(object_schemas(), min_size=2, max_size=3))
def test_dry_run_of_the_latest_schema_after_any_history_is_compatible_with_latest(
    history: list[dict[str, Any]],
) -> None:
    service = service_with(*history)
    latest = service.get_version(key="e", version="latest").schema
    for config in CONFIGS:
        service.set_type_config(key="e", config=config)
        against_latest = service.dry_run(key="e", schema=latest, version="latest")
        assert against_latest.compatible, config
        if config in NON_TRANSITIVE:
            assert service.dry_run(key="e", schema=latest).compatible, config


@settings(max_examples=30, deadline=None)
@given(object_schemas(), st.sampled_from(CONFIGS))
def test_registering_the_latest_schema_again_never_raises(
    schema: dict[str, Any], config: TypeConfig
) -> None:
    service = service_with(schema)
    service.set_type_config(key="e", config=config)
    registration = service.register_version(key="e", schema=schema)
    assert (registration.created, registration.version.version) == (False, 1)
