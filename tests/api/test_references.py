"""Schema references in the native API: ``$ref`` to a declared name is a registered version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from registry.app import create_app
from registry.codegen import TypeSource, generate
from registry.settings import Settings
from tests.api.support import Api, assert_problem

ADDRESS_V1 = {"type": "object", "properties": {"zip": {"type": "string"}}, "required": ["zip"]}
ADDRESS_V2 = {
    "type": "object",
    "properties": {"zip": {"type": "string", "maxLength": 5}},
    "required": ["zip"],
}
ORDER = {"type": "object", "properties": {"shipTo": {"$ref": "address.json"}}}


def refs(key: str, version: int, name: str = "address.json") -> list[dict[str, Any]]:
    return [{"name": name, "eventTypeKey": key, "version": version}]


def register(api: Api, key: str, schema: Any, references: list[dict[str, Any]]) -> Any:
    body = {"schema": schema, "references": references}
    return api.client.post(f"/event-types/{key}/versions", json=body)


def address(api: Api) -> str:
    """An address type with v1 and a stricter v2 (registered under NONE)."""
    key = api.new_type("address")
    api.registered(key, ADDRESS_V1, ADDRESS_V2)
    return key


def test_validation_follows_the_reference(shared_api: Api) -> None:
    addr = address(shared_api)
    order = shared_api.new_type("order")
    r = register(shared_api, order, ORDER, refs(addr, 1))
    assert r.status_code == 201, r.text
    assert r.json()["references"] == refs(addr, 1)
    ok = shared_api.validate(
        {
            "eventTypeKey": order,
            "keyValue": "k",
            "params": [{"name": "shipTo", "value": {"zip": "1"}}],
        }
    )
    assert ok["valid"] is True
    bad = shared_api.validate(
        {
            "eventTypeKey": order,
            "keyValue": "k",
            "params": [{"name": "shipTo", "value": {"zip": 5}}],
        }
    )
    assert [(e["code"], e["path"], e["schemaPath"]) for e in bad["errors"]] == [
        ("type_mismatch", "/params/0/value/zip", "/$defs/address.json/properties/zip/type")
    ]


def test_a_break_inside_the_referenced_type_is_reported_through_the_reference(
    shared_api: Api,
) -> None:
    addr = address(shared_api)
    order = shared_api.new_type("order")
    assert register(shared_api, order, ORDER, refs(addr, 1)).status_code == 201
    body = assert_problem(
        register(shared_api, order, ORDER, refs(addr, 2)), 409, "schema_incompatible"
    )
    assert [(f["code"], f["path"], f["direction"]) for f in body["findings"]] == [
        ("max_length_added", "/$defs/address.json/properties/zip/maxLength", "BACKWARD")
    ]
    dry = shared_api.client.post(
        f"/event-types/{order}/compatibility", json={"schema": ORDER, "references": refs(addr, 2)}
    )
    assert dry.status_code == 200
    assert dry.json()["compatible"] is False


def test_an_undeclared_name_stays_a_remote_reference(shared_api: Api) -> None:
    order = shared_api.new_type("order")
    assert_problem(shared_api.register(order, ORDER), 422, "schema_remote_ref")
    addr = address(shared_api)
    other = {"properties": {"a": {"$ref": "address.json"}, "b": {"$ref": "https://x.test/s"}}}
    assert_problem(register(shared_api, order, other, refs(addr, 1)), 422, "schema_remote_ref")


def test_a_reference_to_no_registered_version_is_refused(shared_api: Api) -> None:
    addr = address(shared_api)
    order = shared_api.new_type("order")
    body = assert_problem(
        register(shared_api, order, ORDER, refs(addr, 3)), 422, "reference_invalid"
    )
    assert body["errors"][0]["pointer"] == "/references"
    assert_problem(
        register(shared_api, order, ORDER, refs("noSuchType", 1)), 422, "reference_invalid"
    )
    twice = refs(addr, 1) + refs(addr, 2)
    assert_problem(register(shared_api, order, ORDER, twice), 422, "reference_invalid")


def test_a_version_referencing_itself_is_a_cycle(shared_api: Api) -> None:
    order = shared_api.new_type("order")
    body = assert_problem(
        register(shared_api, order, ORDER, refs(order, 1)), 422, "reference_cycle"
    )
    assert body["errors"] == [
        {"pointer": "/references", "message": f"reference cycle: {order} v1 -> {order} v1"}
    ]


def test_reference_chains_deeper_than_the_setting_are_refused(tmp_path: Any) -> None:
    app = create_app(Settings(db=str(tmp_path / "d.db"), seed_catalog=False, max_reference_depth=1))
    with TestClient(app=app) as client:
        api = Api(client)
        leaf, middle, top = (api.create_type(k) for k in ("leaf", "middle", "top"))
        assert api.register(leaf, {"type": "string"}).status_code == 201
        assert register(api, middle, {"$ref": "l"}, refs(leaf, 1, "l")).status_code == 201
        r = register(api, top, {"$ref": "m"}, refs(middle, 1, "m"))
        assert_problem(r, 422, "reference_too_deep")


def test_a_referenced_type_cannot_be_purged_while_referenced(shared_api: Api) -> None:
    client = shared_api.client
    addr = address(shared_api)
    order = shared_api.new_type("order")
    assert register(shared_api, order, ORDER, refs(addr, 1)).status_code == 201
    by = client.get(f"/event-types/{addr}/versions/1/referencedby")
    assert by.status_code == 200
    schema_id = shared_api.versions(order)[0]["schemaId"]
    assert by.json() == {
        "eventTypeKey": addr,
        "version": 1,
        "referencedBy": [{"eventTypeKey": order, "version": 1, "schemaId": schema_id}],
    }
    assert client.get(f"/event-types/{addr}/versions/2/referencedby").json()["referencedBy"] == []
    assert client.delete(f"/event-types/{addr}").status_code == 204
    body = assert_problem(
        client.delete(f"/event-types/{addr}?permanent=true"), 409, "version_referenced"
    )
    assert body["referencedBy"] == [{"eventTypeKey": order, "version": 1}]
    assert client.get(f"/event-types/{addr}/versions/1?").status_code == 200  # nothing removed
    assert client.delete(f"/event-types/{order}").status_code == 204
    assert client.delete(f"/event-types/{order}?permanent=true").status_code == 204
    assert client.delete(f"/event-types/{addr}?permanent=true").status_code == 204


def test_a_soft_deleted_type_cannot_be_referenced(shared_api: Api) -> None:
    addr = address(shared_api)
    order = shared_api.new_type("order")
    assert shared_api.client.delete(f"/event-types/{addr}").status_code == 204
    assert_problem(register(shared_api, order, ORDER, refs(addr, 1)), 422, "reference_invalid")


def test_references_are_part_of_identity(shared_api: Api) -> None:
    addr = address(shared_api)
    one, two = shared_api.new_type("order"), shared_api.new_type("order")
    first = register(shared_api, one, ORDER, refs(addr, 1)).json()
    again = register(shared_api, one, ORDER, refs(addr, 1))
    assert again.status_code == 200
    assert again.json()["version"] == 1
    elsewhere = register(shared_api, two, ORDER, refs(addr, 1)).json()
    assert elsewhere["schemaId"] == first["schemaId"]
    shared_api.configure(one, compatibility="NONE")
    newer = register(shared_api, one, ORDER, refs(addr, 2)).json()
    assert newer["version"] == 2
    assert newer["schemaId"] != first["schemaId"]
    assert newer["fingerprint"] != first["fingerprint"]
    by_id = shared_api.client.get(f"/schemas/{first['schemaId']}").json()
    assert by_id["references"] == refs(addr, 1)


def test_downloads_offer_the_dereferenced_form_and_the_bundle_uses_it(shared_api: Api) -> None:
    client = shared_api.client
    addr = address(shared_api)
    order = shared_api.new_type("order")
    schema_id = register(shared_api, order, ORDER, refs(addr, 1)).json()["schemaId"]
    embedded = {
        **ORDER,
        "properties": {"shipTo": {"$ref": "#/$defs/address.json"}},
        "$defs": {"address.json": ADDRESS_V1},
    }
    for url in (f"/event-types/{order}/versions/1/schema", f"/schemas/{schema_id}/schema"):
        assert client.get(url).json() == ORDER
        assert client.get(url, params={"dereference": "false"}).json() == ORDER
        assert client.get(url, params={"dereference": "true"}).json() == embedded
    bundle = client.get("/bundle", params={"prefix": order}).json()["eventTypes"]
    assert bundle[order]["schema"] == embedded
    code = generate("typescript", [TypeSource(order, "", bundle[order]["schema"])])
    assert "zip: string" in code


def test_the_readme_example_registers(shared_api: Api) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Schema references\n", 1)[1].split("\n## ", 1)[0]
    body = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    key, target = shared_api.new_type("order"), body["references"][0]["eventTypeKey"]
    if shared_api.client.get(f"/event-types/{target}").status_code == 404:
        shared_api.create_type(target)
        assert shared_api.register(target, ADDRESS_V1).status_code == 201
    r = shared_api.client.post(f"/event-types/{key}/versions", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["references"] == body["references"]
