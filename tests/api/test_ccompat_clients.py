"""The real Kafka-world clients, unchanged, against a live server's /ccompat/v7.

confluent-kafka's ``SchemaRegistryClient`` with its ``JSONSerializer``/``JSONDeserializer``
(no broker needed: serializers only talk to the registry) and python-schema-registry-client's
``SchemaRegistryClient``. Every subject is unique to its test, so the module shares one server.
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live import LiveServer, live_server
from tests.postgres_server import BOTH_DATABASES


def _require(module: str) -> Any:
    """The client library, or a skip (a plain ``pytest`` without the test extra); under CI a
    missing client is a failure, never a skip."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI") or os.environ.get("EVENT_REGISTRY_CI"):
            raise
        pytest.skip(f"{module} is not installed: pip install -e '.[test]'", allow_module_level=True)


sr_module = _require("confluent_kafka.schema_registry")
json_schema = _require("confluent_kafka.schema_registry.json_schema")
serialization = _require("confluent_kafka.serialization")
sr_error = _require("confluent_kafka.schema_registry.error")
psrc = _require("schema_registry.client")

ORDER = {
    "type": "object",
    "title": "Order",
    "properties": {"orderId": {"type": "string"}, "total": {"type": "number"}},
    "required": ["orderId"],
    "additionalProperties": False,
}
ORDER_MORE = {**ORDER, "properties": {**ORDER["properties"], "note": {"type": "string"}}}
ORDER_BROKEN = {**ORDER, "properties": {"orderId": {"type": "integer"}}}
_ids = itertools.count(1)


def subject(prefix: str = "orders") -> str:
    return f"{prefix}{next(_ids)}-value"


def text(schema: Any) -> str:
    return json.dumps(schema)


@pytest.fixture(scope="module", params=BOTH_DATABASES)
def server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[LiveServer]:
    """One server per database for the module: a SQLite file, then a PostgreSQL database."""
    folder: Path = tmp_path_factory.mktemp("ccompat")
    db = (
        request.getfixturevalue("pg_server").fresh_database() if request.param == "postgres" else ""
    )
    with live_server(folder, db=db) as live:
        yield live


@pytest.fixture(scope="module")
def url(server: LiveServer) -> str:
    return f"{server.url}/ccompat/v7"


@pytest.fixture
def sr(url: str) -> Iterator[Any]:
    with sr_module.SchemaRegistryClient({"url": url}) as client:
        yield client


def json_schema_of(schema: Any, references: list[Any] | None = None) -> Any:
    return sr_module.Schema(text(schema), "JSON", references or [])


def test_register_look_up_fetch_by_id_latest_and_versions(sr: Any, server: LiveServer) -> None:
    name = subject()
    schema_id = sr.register_schema(name, json_schema_of(ORDER))
    assert sr.register_schema(name, json_schema_of(ORDER)) == schema_id
    found = sr.lookup_schema(name, json_schema_of(ORDER))
    assert (found.schema_id, found.subject, found.version) == (schema_id, name, 1)
    fetched = sr.get_schema(schema_id)
    assert (fetched.schema_type, json.loads(fetched.schema_str)) == ("JSON", ORDER)
    second = sr.register_schema(name, json_schema_of(ORDER_MORE))
    latest = sr.get_latest_version(name)
    assert (latest.version, latest.schema_id) == (2, second)
    assert json.loads(latest.schema.schema_str) == ORDER_MORE
    assert sr.get_version(name, 1).schema_id == schema_id
    assert sr.get_versions(name) == [1, 2]
    assert name in sr.get_subjects()
    assert sr.get_subjects_by_schema_id(schema_id) == [name]
    assert [(v.subject, v.version) for v in sr.get_schema_versions(schema_id)] == [(name, 1)]
    assert sr.get_schema_types() == ["JSON"]
    native = httpx.get(f"{server.url}/event-types/{name}/versions/2").json()
    assert (native["schemaId"], native["schema"]) == (second, ORDER_MORE)


def test_a_type_registered_natively_is_a_subject(sr: Any, server: LiveServer) -> None:
    key = subject("native")
    assert httpx.post(f"{server.url}/event-types", json={"key": key}).status_code == 201
    r = httpx.post(f"{server.url}/event-types/{key}/versions", json={"schema": ORDER})
    assert r.status_code == 201
    latest = sr.get_latest_version(key)
    assert (latest.version, latest.schema_id) == (1, r.json()["schemaId"])


def test_set_and_get_compatibility_and_test_it(sr: Any) -> None:
    name = subject()
    sr.register_schema(name, json_schema_of(ORDER))
    assert sr.set_compatibility(name, "FULL") == {"compatibility": "FULL"}
    assert sr.get_compatibility(name) == "FULL"
    assert sr.test_compatibility(name, json_schema_of(ORDER_BROKEN)) is False
    assert sr.test_compatibility(name, json_schema_of(ORDER), version=1) is True
    with pytest.raises(sr_error.SchemaRegistryError) as refused:
        sr.register_schema(name, json_schema_of(ORDER_BROKEN))
    assert (refused.value.http_status_code, refused.value.error_code) == (409, 409)
    assert sr.set_compatibility(name, "NONE") == {"compatibility": "NONE"}
    assert sr.register_schema(name, json_schema_of(ORDER_BROKEN)) > 0


def test_global_compatibility_through_the_client(sr: Any) -> None:
    before = sr.get_compatibility()
    assert before == "BACKWARD"
    assert sr.set_compatibility(level="BACKWARD") == {"compatibility": "BACKWARD"}
    assert sr.get_compatibility() == "BACKWARD"


def test_delete_versions_and_subjects(sr: Any, server: LiveServer) -> None:
    name = subject()
    sr.register_schema(name, json_schema_of(ORDER))
    sr.register_schema(name, json_schema_of(ORDER_MORE))
    assert sr.delete_version(name, 1) == 1
    assert sr.get_versions(name) == [1, 2][1:]
    assert sr.get_versions(name, deleted=True) == [1, 2]
    with pytest.raises(sr_error.SchemaRegistryError) as gone:
        sr.get_version(name, 1)
    assert (gone.value.http_status_code, gone.value.error_code) == (404, 40402)
    assert sr.get_version(name, 1, deleted=True).version == 1
    with pytest.raises(sr_error.SchemaRegistryError) as last:
        sr.delete_version(name, 2)
    assert (last.value.http_status_code, last.value.error_code) == (422, 42205)
    with pytest.raises(sr_error.SchemaRegistryError) as first:
        sr.delete_subject(name, permanent=True)
    assert (first.value.http_status_code, first.value.error_code) == (404, 40405)
    assert sr.delete_subject(name) == [1, 2]
    assert name not in sr.get_subjects()
    assert name in sr.get_subjects(deleted=True)
    assert sr.delete_subject(name, permanent=True) == [1, 2]
    assert httpx.get(f"{server.url}/event-types/{name}").status_code == 404


def test_registering_under_a_soft_deleted_subject_brings_it_back(sr: Any) -> None:
    name = subject()
    sr.register_schema(name, json_schema_of(ORDER))
    sr.delete_subject(name)
    sr.register_schema(name, json_schema_of(ORDER_MORE))
    assert sr.get_versions(name) == [1, 2]
    assert name in sr.get_subjects()


def context(topic: str) -> Any:
    return serialization.SerializationContext(topic, serialization.MessageField.VALUE)


RECORD = {"orderId": "o-1", "total": 9.5}


def test_serializer_round_trip_with_auto_register(sr: Any) -> None:
    topic = f"orders{next(_ids)}"
    serializer = json_schema.JSONSerializer(text(ORDER), sr)
    payload = serializer(RECORD, context(topic))
    schema_id = int.from_bytes(payload[1:5], "big")
    assert payload[0] == 0
    assert sr.get_latest_version(f"{topic}-value").schema_id == schema_id
    deserializer = json_schema.JSONDeserializer(None, schema_registry_client=sr)
    assert deserializer(payload, context(topic)) == RECORD
    with pytest.raises(serialization.SerializationError):
        serializer({"total": 1}, context(topic))  # orderId is required


def test_serializer_without_auto_register_needs_the_schema_registered(sr: Any) -> None:
    topic = f"orders{next(_ids)}"
    conf = {"auto.register.schemas": False}
    serializer = json_schema.JSONSerializer(text(ORDER), sr, conf=conf)
    with pytest.raises(sr_error.SchemaRegistryError) as missing:
        serializer(RECORD, context(topic))
    assert (missing.value.http_status_code, missing.value.error_code) == (404, 40401)
    sr.register_schema(f"{topic}-value", json_schema_of(ORDER))
    fresh = json_schema.JSONSerializer(text(ORDER), sr, conf=conf)
    payload = fresh(RECORD, context(topic))
    deserializer = json_schema.JSONDeserializer(text(ORDER), schema_registry_client=sr)
    assert deserializer(payload, context(topic)) == RECORD


def test_serializer_with_use_latest_version(sr: Any) -> None:
    topic = f"orders{next(_ids)}"
    name = f"{topic}-value"
    sr.register_schema(name, json_schema_of(ORDER))
    latest_id = sr.register_schema(name, json_schema_of(ORDER_MORE))
    conf = {"auto.register.schemas": False, "use.latest.version": True}
    serializer = json_schema.JSONSerializer(text(ORDER), sr, conf=conf)
    payload = serializer({**RECORD, "note": "gift"}, context(topic))
    assert int.from_bytes(payload[1:5], "big") == latest_id
    deserializer = json_schema.JSONDeserializer(None, schema_registry_client=sr)
    assert deserializer(payload, context(topic)) == {**RECORD, "note": "gift"}


ADDRESS = {
    "type": "object",
    "properties": {"zip": {"type": "string", "maxLength": 5}},
    "required": ["zip"],
}
SHIPMENT = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "shipTo": {"$ref": "address.json"}},
    "required": ["id", "shipTo"],
}


def test_a_schema_with_a_reference_is_registered_and_resolved_by_the_serializer(
    sr: Any, server: LiveServer
) -> None:
    address = subject("address")
    sr.register_schema(address, json_schema_of(ADDRESS))
    reference = sr_module.SchemaReference("address.json", address, 1)
    topic = f"shipments{next(_ids)}"
    schema = json_schema_of(SHIPMENT, [reference])
    schema_id = sr.register_schema(f"{topic}-value", schema)
    stored = sr.get_schema(schema_id)
    assert [(r.name, r.subject, r.version) for r in stored.references] == [
        ("address.json", address, 1)
    ]
    assert sr.get_referenced_by(address, 1) == [schema_id]
    serializer = json_schema.JSONSerializer(schema, sr, conf={"auto.register.schemas": False})
    record = {"id": "s-1", "shipTo": {"zip": "10115"}}
    payload = serializer(record, context(topic))
    assert int.from_bytes(payload[1:5], "big") == schema_id
    with pytest.raises(serialization.SerializationError):
        serializer({"id": "s-2", "shipTo": {"zip": "1011500"}}, context(topic))  # via the ref
    deserializer = json_schema.JSONDeserializer(None, schema_registry_client=sr)
    assert deserializer(payload, context(topic)) == record
    native = httpx.get(
        f"{server.url}/event-types/{topic}-value/versions/1/schema", params={"dereference": "true"}
    )
    assert native.json()["$defs"]["address.json"] == ADDRESS
    assert sr.delete_subject(address) == [1]
    with pytest.raises(sr_error.SchemaRegistryError) as referenced:
        sr.delete_subject(address, permanent=True)
    assert (referenced.value.http_status_code, referenced.value.error_code) == (422, 42206)


def test_python_schema_registry_client(url: str) -> None:
    client = psrc.SchemaRegistryClient(url=url)
    name = subject()
    schema_id = client.register(name, psrc.schema.JsonSchema(ORDER))
    assert client.get_by_id(schema_id).raw_schema == ORDER
    latest = client.get_schema(name)
    assert (latest.schema_id, latest.version, latest.schema.raw_schema) == (schema_id, 1, ORDER)
    assert client.get_versions(name) == [1]
    assert client.check_version(name, psrc.schema.JsonSchema(ORDER)).version == 1
    assert client.update_compatibility("FULL", name) is True
    assert client.get_compatibility(name) == "FULL"
    verdict = client.test_compatibility(name, psrc.schema.JsonSchema(ORDER_BROKEN), verbose=True)
    assert verdict["is_compatible"] is False
    assert any("jsonPath='#/properties/orderId/type'" in m for m in verdict["messages"])
    assert client.test_compatibility(name, psrc.schema.JsonSchema(ORDER_MORE)) is False  # FULL
    assert client.get_compatibility() == "BACKWARD"  # global, through the empty-subject config/
    second = client.register(name, psrc.schema.JsonSchema(ORDER))
    assert second == schema_id
    assert client.delete_subject(name) == [1]
    assert client.get_versions(name) == []  # the client's answer for 40401


def test_the_readme_example_runs_as_written(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Confluent-compatible API\n", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    exec(code.replace("http://localhost:8080/ccompat/v7", url), {})
    assert capsys.readouterr().out.splitlines() == ["{'orderId': 'o-1'}", "1"]


ADMIN = "adm-" + "a" * 40


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A live server with auth on (the admin token from the settings)."""
    with live_server(tmp_path_factory.mktemp("guarded"), auth="on", admin_token=ADMIN) as live:
        yield live


def issue(server: LiveServer, name: str, scope: str, **restriction: Any) -> str:
    r = httpx.post(
        f"{server.url}/tokens",
        json={"name": name, "scope": scope, **restriction},
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


def basic(server: LiveServer, token: str | None) -> Any:
    conf = {"url": f"{server.url}/ccompat/v7"}
    if token is not None:
        conf["basic.auth.user.info"] = f"kafka:{token}"
    return sr_module.SchemaRegistryClient(conf)


def test_basic_auth_with_the_token_as_password_and_scopes(guarded: LiveServer) -> None:
    reader, writer = issue(guarded, "reader", "read"), issue(guarded, "ci-writer", "write")
    name = subject()
    with basic(guarded, writer) as sr:
        schema_id = sr.register_schema(name, json_schema_of(ORDER))
        with pytest.raises(sr_error.SchemaRegistryError) as admin_only:
            sr.set_compatibility(level="NONE")  # the global config needs admin, as natively
        assert (admin_only.value.http_status_code, admin_only.value.error_code) == (403, 40301)
        sr.delete_subject(name)
        with pytest.raises(sr_error.SchemaRegistryError) as purge:
            sr.delete_subject(name, permanent=True)
        assert (purge.value.http_status_code, purge.value.error_code) == (403, 40301)
    with basic(guarded, reader) as sr:
        assert json.loads(sr.get_schema(schema_id).schema_str) == ORDER
        with pytest.raises(sr_error.SchemaRegistryError) as refused:
            sr.register_schema(subject(), json_schema_of(ORDER))
        assert (refused.value.http_status_code, refused.value.error_code) == (403, 40301)
    with basic(guarded, None) as sr, pytest.raises(sr_error.SchemaRegistryError) as anonymous:
        sr.get_subjects()
    assert (anonymous.value.http_status_code, anonymous.value.error_code) == (401, 401)
    with basic(guarded, ADMIN) as sr:
        assert sr.delete_subject(name, permanent=True) == [1]
    trail = httpx.get(
        f"{guarded.url}/audit", params={"key": name}, headers={"Authorization": f"Bearer {ADMIN}"}
    ).json()["items"]
    assert [(e["action"], e["actor"]) for e in trail] == [
        ("event_type.create", "ci-writer"),
        ("version.register", "ci-writer"),
        ("event_type.delete", "ci-writer"),
        ("event_type.purge", "EVENT_REGISTRY_ADMIN_TOKEN"),
    ]


def test_a_restricted_token_sees_only_its_subjects(guarded: LiveServer) -> None:
    mine, theirs = subject("team"), subject("other")
    with basic(guarded, ADMIN) as sr:
        sr.register_schema(mine, json_schema_of(ORDER))
        other_id = sr.register_schema(theirs, json_schema_of({"type": "string"}))
    token = issue(guarded, "team", "read", keyPrefixes=["team"])
    with basic(guarded, token) as sr:
        assert mine in sr.get_subjects()
        assert theirs not in sr.get_subjects()
        assert sr.get_latest_version(mine).version == 1
        with pytest.raises(sr_error.SchemaRegistryError) as hidden:
            sr.get_latest_version(theirs)
        assert (hidden.value.http_status_code, hidden.value.error_code) == (404, 40401)
        with pytest.raises(sr_error.SchemaRegistryError) as by_id:
            sr.get_schema(other_id)
        assert (by_id.value.http_status_code, by_id.value.error_code) == (404, 40403)
