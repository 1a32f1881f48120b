"""/ccompat/v7 over HTTP in process: Confluent's error bodies, media type, flags and edges.

The real clients drive the common paths in test_ccompat_clients.py; this module pins what they
do not reach: each Confluent error code we answer, the unsupported features, hostile input and
that ccompat writes land in the same audit trail as native ones.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

MEDIA = "application/vnd.schemaregistry.v1+json"
BASE = "/ccompat/v7"
ORDER = {"type": "object", "properties": {"orderId": {"type": "string"}}}
_ids = itertools.count(1)


def new_subject() -> str:
    return f"cc{next(_ids)}-value"


def body(schema: Any = ORDER, **extra: Any) -> dict[str, Any]:
    return {"schema": json.dumps(schema), "schemaType": "JSON", **extra}


def post(client: Any, path: str, payload: Any, **kwargs: Any) -> Any:
    return client.post(
        BASE + path, content=json.dumps(payload), headers={"Content-Type": MEDIA}, **kwargs
    )


def confluent(r: Any, status: int, error_code: int) -> str:
    """The response is Confluent's error body, with exactly this status and error code."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == MEDIA
    answer = r.json()
    assert set(answer) == {"error_code", "message"}
    assert answer["error_code"] == error_code
    return str(answer["message"])


def ok(r: Any) -> Any:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == MEDIA
    return r.json()


@pytest.fixture
def cc(shared_client: Any) -> Any:
    return shared_client


def registered(cc: Any, *schemas: Any) -> str:
    name = new_subject()
    for schema in schemas:
        ok(post(cc, f"/subjects/{name}/versions", body(schema)))
    return name


def test_register_answers_only_the_id_and_lookup_the_confluent_shape(cc: Any) -> None:
    name = new_subject()
    created = ok(post(cc, f"/subjects/{name}/versions", body()))
    assert list(created) == ["id"]
    found = ok(post(cc, f"/subjects/{name}", body()))
    assert found == {
        "subject": name,
        "version": 1,
        "id": created["id"],
        "schemaType": "JSON",
        "schema": json.dumps(ORDER, separators=(",", ":")),
    }
    assert ok(cc.get(f"{BASE}/schemas/ids/{created['id']}")) == {
        "schemaType": "JSON",
        "schema": found["schema"],
    }
    assert ok(cc.get(f"{BASE}/schemas/ids/{created['id']}/schema")) == ORDER
    assert ok(cc.get(f"{BASE}/subjects/{name}/versions/1/schema")) == ORDER


def test_plain_json_bodies_are_accepted_too(cc: Any) -> None:
    name = new_subject()
    r = cc.post(f"{BASE}/subjects/{name}/versions", json=body())
    assert ok(r)["id"] > 0


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"schema": json.dumps(ORDER)}, 422, 42201),  # schemaType absent: AVRO
        (body(schemaType="PROTOBUF"), 422, 42201),
        ({"schema": "{not json", "schemaType": "JSON"}, 422, 42201),
        ({"schema": "[1]", "schemaType": "JSON"}, 422, 42201),
        (body({"type": "strin"}), 422, 42201),
        (body({"$ref": "https://example.com/s.json"}), 422, 42201),
        (body(metadata={"properties": {"owner": "x"}}), 422, 42201),
        (body(ruleSet={"domainRules": []}), 422, 42201),
        (body(id=7), 422, 42205),
        (body(version=3), 422, 42205),
        ({"schemaType": "JSON"}, 422, 422),
        ({"schema": 5, "schemaType": "JSON"}, 422, 422),
        (body(references=[{"name": "a", "subject": "noSuchSubject", "version": 1}]), 422, 42201),
        (body(references=[{"name": "a", "subject": "x", "version": 0}]), 422, 42201),
    ],
    ids=[
        "avro-default",
        "protobuf",
        "not-json",
        "not-a-schema",
        "meta-schema",
        "remote-ref",
        "metadata",
        "rule-set",
        "explicit-id",
        "explicit-version",
        "no-schema",
        "schema-number",
        "reference-missing",
        "reference-version-0",
    ],
)
def test_refused_registrations_leave_no_subject(
    cc: Any, payload: Any, status: int, code: int
) -> None:
    name = new_subject()
    confluent(post(cc, f"/subjects/{name}/versions", payload), status, code)
    confluent(cc.get(f"{BASE}/subjects/{name}/versions"), 404, 40401)


def test_malformed_json_is_400(cc: Any) -> None:
    r = cc.post(f"{BASE}/subjects/x-value/versions", content=b"{", headers={"Content-Type": MEDIA})
    confluent(r, 400, 400)


def test_a_subject_breaking_the_key_rules(cc: Any) -> None:
    confluent(post(cc, "/subjects/a%3Cb/versions", body()), 422, 422)
    confluent(cc.get(f"{BASE}/subjects/a%3Cb/versions"), 404, 40401)


def test_not_found_codes_and_messages(cc: Any) -> None:
    name = registered(cc, ORDER)
    assert confluent(cc.get(f"{BASE}/subjects/nope/versions/1"), 404, 40401) == (
        "Subject 'nope' not found."
    )
    assert confluent(cc.get(f"{BASE}/subjects/{name}/versions/9"), 404, 40402) == (
        "Version 9 not found."
    )
    assert confluent(cc.get(f"{BASE}/schemas/ids/999999"), 404, 40403) == "Schema 999999 not found"
    other = {"type": "object", "properties": {"x": {"type": "string"}}}
    confluent(post(cc, f"/subjects/{name}", body(other)), 404, 40403)
    confluent(cc.get(f"{BASE}/no/such/path"), 404, 404)


@pytest.mark.parametrize("raw", ["0", "-2", "2147483648", "x", "1.5", "9" * 400])
def test_invalid_versions_are_42202(cc: Any, raw: str) -> None:
    name = registered(cc, ORDER)
    confluent(cc.get(f"{BASE}/subjects/{name}/versions/{raw}"), 422, 42202)


def test_latest_and_minus_one_are_the_newest_usable_version(cc: Any) -> None:
    more = {**ORDER, "properties": {**ORDER["properties"], "note": {"type": "string"}}}
    name = registered(cc, ORDER)
    ok(cc.put(f"{BASE}/config/{name}", json={"compatibility": "NONE"}))
    ok(post(cc, f"/subjects/{name}/versions", body(more)))
    assert ok(cc.get(f"{BASE}/subjects/{name}/versions/latest"))["version"] == 2
    assert ok(cc.get(f"{BASE}/subjects/{name}/versions/-1"))["version"] == 2


@pytest.mark.parametrize(
    ("value", "shown"),
    [("True", True), ("true", True), ("TRUE", True), ("False", False), ("no", False)],
)
def test_query_booleans_as_confluent_reads_them(cc: Any, value: str, shown: bool) -> None:
    more = {**ORDER, "properties": {**ORDER["properties"], "n": {"type": "string"}}}
    name = registered(cc, ORDER)
    ok(cc.put(f"{BASE}/config/{name}", json={"compatibility": "NONE"}))
    ok(post(cc, f"/subjects/{name}/versions", body(more)))
    assert ok(cc.delete(f"{BASE}/subjects/{name}/versions/1")) == 1
    versions = ok(cc.get(f"{BASE}/subjects/{name}/versions", params={"deleted": value}))
    assert versions == ([1, 2] if shown else [2])


def test_soft_deleted_versions_and_subjects(cc: Any) -> None:
    more = {**ORDER, "properties": {**ORDER["properties"], "n": {"type": "string"}}}
    name = registered(cc, ORDER)
    ok(cc.put(f"{BASE}/config/{name}", json={"compatibility": "NONE"}))
    ok(post(cc, f"/subjects/{name}/versions", body(more)))
    confluent(cc.delete(f"{BASE}/subjects/{name}/versions/1?permanent=true"), 404, 40407)
    assert ok(cc.delete(f"{BASE}/subjects/{name}/versions/1")) == 1
    confluent(cc.delete(f"{BASE}/subjects/{name}/versions/1"), 404, 40406)
    message = confluent(cc.delete(f"{BASE}/subjects/{name}/versions/1?permanent=true"), 422, 42205)
    assert "immutable" in message
    assert ok(cc.get(f"{BASE}/subjects/{name}/versions", params={"deletedOnly": "true"})) == [1]
    confluent(post(cc, f"/subjects/{name}", body()), 404, 40403)
    assert ok(post(cc, f"/subjects/{name}?deleted=true", body()))["version"] == 1
    assert ok(cc.delete(f"{BASE}/subjects/{name}")) == [1, 2]
    confluent(cc.delete(f"{BASE}/subjects/{name}"), 404, 40404)
    confluent(cc.get(f"{BASE}/subjects/{name}/versions/2"), 404, 40401)
    assert ok(cc.get(f"{BASE}/subjects/{name}/versions/2?deleted=true"))["version"] == 2
    assert name in ok(cc.get(f"{BASE}/subjects", params={"deletedOnly": "true"}))
    assert name not in ok(cc.get(f"{BASE}/subjects"))
    assert ok(cc.delete(f"{BASE}/subjects/{name}?permanent=true")) == [1, 2]
    confluent(cc.get(f"{BASE}/subjects/{name}/versions?deleted=true"), 404, 40401)


def test_a_refused_registration_under_a_soft_deleted_subject_leaves_it_deleted(cc: Any) -> None:
    name = registered(cc, ORDER)
    ok(cc.delete(f"{BASE}/subjects/{name}"))
    broken = {"type": "object", "properties": {"orderId": {"type": "integer"}}}
    confluent(post(cc, f"/subjects/{name}/versions", body(broken)), 409, 409)
    assert name not in ok(cc.get(f"{BASE}/subjects"))


def test_config_global_subject_and_default_to_global(cc: Any) -> None:
    name = registered(cc, ORDER)
    assert ok(cc.get(f"{BASE}/config")) == {"compatibilityLevel": "BACKWARD"}
    assert ok(cc.get(f"{BASE}/config/")) == {"compatibilityLevel": "BACKWARD"}
    confluent(cc.get(f"{BASE}/config/{name}"), 404, 40408)
    assert ok(cc.get(f"{BASE}/config/{name}?defaultToGlobal=true")) == {
        "compatibilityLevel": "BACKWARD"
    }
    r = cc.put(f"{BASE}/config/{name}", json={"compatibilityLevel": "forward_transitive"})
    assert ok(r) == {"compatibility": "FORWARD_TRANSITIVE"}
    native = cc.get(f"/event-types/{name}/config").json()
    assert native["own"] == {"compatibility": "FORWARD_TRANSITIVE"}
    assert ok(cc.delete(f"{BASE}/config/{name}")) == {"compatibilityLevel": "FORWARD_TRANSITIVE"}
    confluent(cc.delete(f"{BASE}/config/{name}"), 404, 40408)
    confluent(cc.put(f"{BASE}/config/{name}", json={"compatibility": "SIDEWAYS"}), 422, 42203)
    confluent(cc.put(f"{BASE}/config/{name}", json={}), 422, 42203)
    r = cc.put(f"{BASE}/config/{name}", json={"compatibility": "FULL", "alias": "other"})
    confluent(r, 422, 422)


def test_config_for_a_subject_without_schemas_creates_it(cc: Any) -> None:
    name = new_subject()
    assert ok(cc.put(f"{BASE}/config/{name}", json={"compatibility": "NONE"})) == {
        "compatibility": "NONE"
    }
    assert ok(cc.get(f"{BASE}/config/{name}")) == {"compatibilityLevel": "NONE"}
    assert ok(cc.get(f"{BASE}/subjects/{name}/versions")) == []


def test_mode_is_readwrite_only(cc: Any) -> None:
    name = registered(cc, ORDER)
    assert ok(cc.get(f"{BASE}/mode")) == {"mode": "READWRITE"}
    assert ok(cc.put(f"{BASE}/mode", json={"mode": "READWRITE"})) == {"mode": "READWRITE"}
    assert ok(cc.put(f"{BASE}/mode/{name}?force=True", json={"mode": "readwrite"})) == {
        "mode": "READWRITE"
    }
    for mode in ("READONLY", "IMPORT", "READONLY_OVERRIDE"):
        confluent(cc.put(f"{BASE}/mode", json={"mode": mode}), 422, 42204)
    confluent(cc.get(f"{BASE}/mode/{name}"), 404, 40409)
    assert ok(cc.get(f"{BASE}/mode/{name}?defaultToGlobal=true")) == {"mode": "READWRITE"}
    confluent(cc.get(f"{BASE}/mode/nope"), 404, 40401)


def test_types_and_server_version(cc: Any) -> None:
    assert ok(cc.get(f"{BASE}/schemas/types")) == ["JSON"]
    assert set(ok(cc.get(f"{BASE}/v1/metadata/version"))) == {"version", "commitId"}


def test_compatibility_tests_verbose_and_not(cc: Any) -> None:
    name = registered(cc, ORDER)
    broken = body({"type": "object", "properties": {"orderId": {"type": "integer"}}})
    path = f"/compatibility/subjects/{name}/versions"
    assert ok(post(cc, f"{path}/latest", broken)) == {"is_compatible": False}
    verbose = ok(post(cc, f"{path}/1?verbose=True", broken))
    assert verbose["is_compatible"] is False
    assert verbose["messages"][0].startswith(
        "Found incompatible change: Difference{jsonPath='#/properties/orderId/type', "
        "type=TYPE_CHANGED}"
    )
    assert verbose["messages"][-2:] == ["{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD'}"]
    assert ok(post(cc, f"{path}?verbose=true", body())) == {"is_compatible": True, "messages": []}
    confluent(post(cc, "/compatibility/subjects/nope/versions/latest", body()), 404, 40401)
    confluent(post(cc, f"{path}/7", body()), 404, 40402)


def test_references_and_referenced_by(cc: Any) -> None:
    address = registered(cc, {"type": "object", "properties": {"zip": {"type": "string"}}})
    shipment = new_subject()
    refs = [{"name": "address.json", "subject": address, "version": -1}]
    schema = {"type": "object", "properties": {"to": {"$ref": "address.json"}}}
    created = ok(post(cc, f"/subjects/{shipment}/versions", body(schema, references=refs)))
    stored = ok(cc.get(f"{BASE}/subjects/{shipment}/versions/1"))
    assert stored["references"] == [{"name": "address.json", "subject": address, "version": 1}]
    assert ok(cc.get(f"{BASE}/subjects/{address}/versions/1/referencedby")) == [created["id"]]
    again = body(schema, references=[{**refs[0], "version": 1}])
    assert ok(post(cc, f"/subjects/{shipment}", again))["id"] == created["id"]
    assert ok(post(cc, f"/subjects/{shipment}/versions", again)) == created
    ok(cc.delete(f"{BASE}/subjects/{address}"))
    confluent(cc.delete(f"{BASE}/subjects/{address}?permanent=true"), 422, 42206)


def test_ccompat_writes_are_audited_like_native_ones(cc: Any) -> None:
    name = registered(cc, ORDER)
    ok(cc.put(f"{BASE}/config/{name}", json={"compatibility": "FULL"}))
    ok(cc.delete(f"{BASE}/subjects/{name}"))
    entries = cc.get("/audit", params={"key": name}).json()["items"]
    assert [e["action"] for e in entries] == [
        "event_type.create",
        "version.register",
        "config.type",
        "event_type.delete",
    ]


def test_deeply_nested_bodies_are_refused_cleanly(cc: Any) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    r = cc.post(
        f"{BASE}/subjects/deep-value/versions",
        content=f'{{"schema": "{{}}", "schemaType": "JSON", "x": {deep}}}',
        headers={"Content-Type": MEDIA},
    )
    assert r.status_code in (400,), r.text
    assert r.headers["content-type"] in (MEDIA, "application/problem+json")
