"""Envelope and service-level codes through POST /validate, and switching envelope rules off.

The Yespo envelope (shared/domain/yespo-events.md §2, §3, §5): eventTypeKey and keyValue rules,
contact identification, the params array, the 20 KB body limit, ``occurred``. Service-level
codes come from the registry itself: unknown event types and schema versions.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from registry.settings import Settings
from registry.store.sqlite import SqliteStore
from tests.api.reports import Validate, codes, create_type, only, poster, set_config

KEY = "orderCreated"
SCHEMA = {
    "type": "object",
    "properties": {"orderId": {"type": "string"}, "total": {"type": "number"}},
}
FORBIDDEN = "<;\u2019\\/|\"`'^?!,>"


def event(params: Any = None, **members: Any) -> dict[str, Any]:
    sent: dict[str, Any] = {"eventTypeKey": KEY, "keyValue": "c-7f3a91", **members}
    if params is not None:
        sent["params"] = params
    return sent


@pytest.fixture(scope="module")
def check(shared_client: Any) -> Validate:
    create_type(shared_client, KEY, schema=SCHEMA)
    create_type(shared_client, "orderDelivered", schema=SCHEMA)
    create_type(shared_client, "pageViewed")  # no schema version yet
    return poster(shared_client)


# -- params array -------------------------------------------------------------------------------


def test_duplicate_param(check: Validate) -> None:
    params = [{"name": "orderId", "value": "A"}, {"name": "total", "value": 1}]
    params.append({"name": "orderId", "value": "B"})
    violation = only(check(event(params)), "duplicate_param")
    assert (violation["severity"], violation["path"], violation["param"]) == (
        "error",
        "/params/2/name",
        "orderId",
    )
    assert "first at /params/0" in violation["message"]


def test_missing_param_value(check: Validate) -> None:
    report = check(event([{"name": "orderId", "value": "A"}, {"name": "email"}]))
    violation = only(report, "missing_param_value")
    assert (violation["path"], violation["param"]) == ("/params/1", "email")
    assert violation["message"] == "param 'email' has a name but no value"


def test_null_value_is_a_value(check: Validate) -> None:
    report = check(event([{"name": "orderId", "value": None}]))
    assert codes(report) == [("type_mismatch", "error")]


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ([{"name": "n" * 101, "value": 1}], "/params/0/name"),
        ({"n" * 101: 1}, "/params/" + "n" * 101),
    ],
    ids=["list", "object"],
)
def test_param_name_too_long(check: Validate, params: Any, path: str) -> None:
    violation = only(check(event(params)), "param_name_too_long")
    assert (violation["path"], violation["param"]) == (path, "n" * 101)
    assert "101 characters long; the maximum is 100" in violation["message"]


def test_param_name_of_100_characters_is_fine(check: Validate) -> None:
    assert "param_name_too_long" not in dict(codes(check(event({"n" * 100: 1}))))


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ("orderId=A", "/params"),
        (7, "/params"),
        (["orderId"], "/params/0"),
        ([{"value": "A"}], "/params/0/name"),
        ([{"name": 5, "value": "A"}], "/params/0/name"),
        ([{"name": "", "value": "A"}], "/params/0/name"),
        ({"": "A"}, "/params/"),
    ],
    ids=[
        "string",
        "number",
        "entry-not-object",
        "no-name",
        "name-not-string",
        "empty-name-list",
        "empty-name-object",
    ],
)
def test_invalid_params(check: Validate, params: Any, path: str) -> None:
    violation = only(check(event(params)), "invalid_params")
    assert (violation["severity"], violation["path"]) == ("error", path)


def test_empty_params_list_is_allowed(check: Validate) -> None:
    assert check(event([]))["valid"] is True


# -- the event itself ---------------------------------------------------------------------------


@pytest.mark.parametrize("body", [[event()], "orderCreated", 42, None], ids=repr)
def test_malformed_event(check: Validate, body: Any) -> None:
    report = check(body)
    assert codes(report) == [("malformed_event", "error")]
    assert report["errors"][0]["path"] == ""
    assert report["eventTypeKey"] is None


def test_body_that_is_not_json_is_an_http_problem(client: Any) -> None:
    r = client.post(
        "/validate", content=b"{'eventTypeKey': 1}", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json()["code"] == "malformed_json"


@pytest.mark.parametrize(
    ("member", "suggestion"), [("parms", "params"), ("keyvalue", "keyValue"), ("foo", None)]
)
def test_unknown_member_is_a_warning(check: Validate, member: str, suggestion: str | None) -> None:
    report = check({**event({"orderId": "A"}), member: 1})
    violation = only(report, "unknown_member")
    assert (report["valid"], violation["severity"], violation["path"]) == (
        True,
        "warning",
        f"/{member}",
    )
    assert violation.get("suggestion") == suggestion


@pytest.mark.parametrize("occurred", ["2023-03-22T14:30", "2023-01-05", "2024-11-02T09:15:00.123Z"])
def test_occurred_in_yespo_formats_is_fine(check: Validate, occurred: str) -> None:
    assert check(event({"orderId": "A"}, occurred=occurred))["valid"] is True


@pytest.mark.parametrize("occurred", ["22.03.2023", "2023-03-22T14", 1679495400, ""])
def test_invalid_occurred(check: Validate, occurred: Any) -> None:
    violation = only(check(event({"orderId": "A"}, occurred=occurred)), "invalid_occurred")
    assert (violation["path"], violation["actual"]) == ("/occurred", occurred)


def test_payload_too_large(check: Validate) -> None:
    big = event({"orderId": "A", "note": "x" * 20_500})
    size = len(msgspec.json.encode(big))
    violation = only(check(big), "payload_too_large")
    assert (violation["path"], violation["expected"], violation["actual"]) == ("", 20_480, size)
    assert violation["message"] == f"event body is {size} bytes; Yespo accepts at most 20480"


def test_body_of_exactly_20_kb_is_fine(check: Validate) -> None:
    sent = event({"orderId": "A", "note": ""})
    padding = 20_480 - len(msgspec.json.encode(sent))
    sent["params"]["note"] = "x" * padding
    assert len(msgspec.json.encode(sent)) == 20_480
    assert "payload_too_large" not in dict(codes(check(sent)))


# -- eventTypeKey -------------------------------------------------------------------------------


@pytest.mark.parametrize("char", list(FORBIDDEN), ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_invalid_event_type_key_names_the_char_and_position(check: Validate, char: str) -> None:
    key = f"order{char}Created"
    violation = only(check({**event(), "eventTypeKey": key}), "invalid_event_type_key")
    assert (violation["path"], violation["position"], violation["actual"]) == (
        "/eventTypeKey",
        5,
        key,
    )
    assert violation["message"] == (
        f"eventTypeKey contains the forbidden character {char!r} at index 5"
    )


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("k" * 101, "101 characters long; the maximum is 100"),
        ("", "must not be empty"),
        (42, "must be a string, got integer"),
        (None, "must be a string, got null"),
    ],
    ids=["101-chars", "empty", "number", "null"],
)
def test_invalid_event_type_key_other_rules(check: Validate, key: Any, fragment: str) -> None:
    violation = only(check({**event(), "eventTypeKey": key}), "invalid_event_type_key")
    assert fragment in violation["message"]


def test_missing_event_type_key(check: Validate) -> None:
    sent = event()
    del sent["eventTypeKey"]
    violation = only(check(sent), "invalid_event_type_key")
    assert (violation["path"], violation["message"]) == (
        "/eventTypeKey",
        "eventTypeKey is required",
    )


def test_unknown_event_type_suggests_a_registered_key(check: Validate) -> None:
    report = check({**event(), "eventTypeKey": "ordrCreated"})
    assert (report["eventTypeKey"], report["version"], report["schemaId"]) == (
        "ordrCreated",
        None,
        None,
    )
    violation = only(report, "unknown_event_type")
    assert (violation["path"], violation["suggestion"], violation["actual"]) == (
        "/eventTypeKey",
        "orderCreated",
        "ordrCreated",
    )
    assert "did you mean 'orderCreated'?" in violation["message"]


def test_unknown_event_type_without_a_close_key(check: Validate) -> None:
    violation = only(check({**event(), "eventTypeKey": "SessionStarted"}), "unknown_event_type")
    assert "suggestion" not in violation


def test_unknown_event_type_still_checks_the_envelope(check: Validate) -> None:
    report = check({"eventTypeKey": "Registration form", "params": [{"name": "a", "value": 1}]})
    assert codes(report) == [
        ("missing_contact_identifier", "error"),
        ("unknown_event_type", "error"),
    ]


# -- contact identification ---------------------------------------------------------------------


def test_missing_contact_identifier(check: Validate) -> None:
    report = check({"eventTypeKey": KEY, "params": [{"name": "orderId", "value": "A"}]})
    violation = only(report, "missing_contact_identifier")
    assert (violation["severity"], violation["path"]) == ("error", "")
    assert "no keyValue and no contact identifier param" in violation["message"]


IDENTIFIERS = [
    "contactId",
    "externalCustomerId",
    "email",
    "phone",
    "pushToken",
    "ContactId",
    "EXTERNALCUSTOMERID",
    "Email",
    "Phone",
    "PushToken",
    "Contact_id",
    "EmailAddress",
    "UserEmail",
    "ContactEmail",
    "SMS",
    "PhoneNumber",
]


@pytest.mark.parametrize("shape", ["list", "object"])
@pytest.mark.parametrize("name", IDENTIFIERS)
def test_each_identifier_param_satisfies_the_contact_rule(
    check: Validate, name: str, shape: str
) -> None:
    params: Any = {name: "c-7f3a91", "orderId": "A"}
    if shape == "list":
        params = [{"name": k, "value": v} for k, v in params.items()]
    report = check({"eventTypeKey": KEY, "params": params}, mode="strict")
    assert (report["valid"], codes(report)) == (True, [])


@pytest.mark.parametrize("key_value", ["c-7f3a91", 1730538000])
def test_key_value_satisfies_the_contact_rule(check: Validate, key_value: Any) -> None:
    report = check({"eventTypeKey": KEY, "keyValue": key_value, "params": {"orderId": "A"}})
    assert "missing_contact_identifier" not in dict(codes(report))


@pytest.mark.parametrize("shape", ["list", "object"])
@pytest.mark.parametrize("value", ["null", "NULL", "", " ", None], ids=repr)
def test_null_like_external_customer_id_does_not_count(
    check: Validate, value: Any, shape: str
) -> None:
    params: Any = {"externalCustomerId": value}
    if shape == "list":
        params = [{"name": "externalCustomerId", "value": value}]
    violation = only(check({"eventTypeKey": KEY, "params": params}), "missing_contact_identifier")
    assert "ignored empty or null-like 'externalCustomerId'" in violation["message"]


def test_null_like_key_value_does_not_count_either(check: Validate) -> None:
    report = check({"eventTypeKey": KEY, "keyValue": "null", "params": {"orderId": "A"}})
    assert "missing_contact_identifier" in dict(codes(report))


# -- keyValue -----------------------------------------------------------------------------------


def test_numeric_key_value_is_a_warning(check: Validate) -> None:
    report = check(event({"orderId": "A"}, keyValue=1730538000))
    violation = only(report, "invalid_key_value")
    assert (report["valid"], violation["severity"], violation["path"]) == (
        True,
        "warning",
        "/keyValue",
    )
    assert "used as its decimal text" in violation["message"]


def test_key_value_over_300_characters_is_an_error(check: Validate) -> None:
    violation = only(check(event(keyValue="k" * 301)), "invalid_key_value")
    assert (violation["severity"], violation["expected"], violation["actual"]) == (
        "error",
        300,
        301,
    )


def test_key_value_of_300_characters_is_fine(check: Validate) -> None:
    assert check(event(keyValue="k" * 300))["valid"] is True


@pytest.mark.parametrize("char", list(FORBIDDEN), ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_key_value_with_a_forbidden_char_is_an_error(check: Validate, char: str) -> None:
    violation = only(check(event(keyValue=f"a{char}b")), "invalid_key_value")
    assert (violation["severity"], violation["position"]) == ("error", 1)


@pytest.mark.parametrize("value", [True, {"id": 1}, ["a"]], ids=repr)
def test_key_value_of_another_type_is_an_error(check: Validate, value: Any) -> None:
    violation = only(check(event(keyValue=value)), "invalid_key_value")
    assert violation["severity"] == "error"


# -- versions -----------------------------------------------------------------------------------


def test_no_schema_is_a_warning_and_the_envelope_is_still_checked(check: Validate) -> None:
    report = check({"eventTypeKey": "pageViewed", "keyValue": "k", "params": {"page": "/"}})
    assert (report["valid"], codes(report)) == (True, [("no_schema", "warning")])
    assert only(report, "no_schema")["path"] == "/eventTypeKey"
    report = check({"eventTypeKey": "pageViewed", "params": {"page": "/"}})
    assert codes(report) == [("missing_contact_identifier", "error"), ("no_schema", "warning")]


def test_version_not_found(check: Validate) -> None:
    report = check(event({"orderId": "A"}, version=9))
    violation = only(report, "version_not_found")
    assert (violation["path"], violation["actual"]) == ("/version", 9)
    assert report["version"] is None


@pytest.mark.parametrize("version", ["abc", 0, -1, 1.5, True, None, "1"], ids=repr)
def test_invalid_version(check: Validate, version: Any) -> None:
    violation = only(check(event({"orderId": "A"}, version=version)), "invalid_version")
    assert violation["path"] == "/version"


def test_explicit_versions_select_the_schema(validate: Validate, client: Any) -> None:
    create_type(client, KEY, schema=SCHEMA)
    set_config(client, KEY, compatibility="NONE")
    strict_total = {"type": "object", "properties": {"total": {"type": "integer"}}}
    assert (
        client.post(f"/event-types/{KEY}/versions", json={"schema": strict_total}).status_code
        == 201
    )
    sent = event({"total": 1.5})
    assert (validate(sent)["version"], codes(validate(sent))) == (2, [("type_mismatch", "error")])
    assert (
        validate({**sent, "version": 1})["version"],
        validate({**sent, "version": 1})["valid"],
    ) == (1, True)
    assert validate({**sent, "version": "latest"})["version"] == 2


def test_deprecated_version(validate: Validate, client: Any) -> None:
    create_type(client, KEY, schema=SCHEMA)
    r = client.patch(
        f"/event-types/{KEY}/versions/1",
        json={"state": "deprecated", "sunset": "2030-01-01", "note": "use v2"},
    )
    assert r.status_code == 200, r.text
    report = validate(event({"orderId": "A"}))
    violation = only(report, "deprecated_version")
    assert (report["valid"], report["version"], violation["severity"], violation["path"]) == (
        True,
        1,
        "warning",
        "/version",
    )
    assert violation["message"] == (
        "version 1 of 'orderCreated' is deprecated; sunset 2030-01-01; no successor yet; use v2"
    )
    client.post(f"/event-types/{KEY}/versions", json={"schema": {**SCHEMA, "required": []}})
    violation = only(validate(event({"orderId": "A"}, version=1)), "deprecated_version")
    assert violation["suggestion"] == "2"
    assert "move to version 2" in violation["message"]
    assert codes(validate(event({"orderId": "A"}))) == []  # latest is 2


def test_version_disabled(validate: Validate, client: Any, settings: Settings) -> None:
    create_type(client, KEY, schema=SCHEMA)
    client.post(f"/event-types/{KEY}/versions", json={"schema": {"type": "object"}})
    assert (
        client.patch(f"/event-types/{KEY}/versions/2", json={"state": "disabled"}).status_code
        == 200
    )
    report = validate(event({"orderId": "A"}, version=2))
    violation = only(report, "version_disabled")
    assert (violation["path"], violation["actual"], report["version"]) == ("/version", 2, None)
    assert validate(event({"orderId": "A"}))["version"] == 1  # latest skips disabled versions
    last = client.patch(f"/event-types/{KEY}/versions/1", json={"state": "disabled"})
    assert (last.status_code, last.json()["code"]) == (409, "version_state_conflict")
    # Still reachable when two PATCHes race (each sees the other version as usable), here as
    # another process writing the same database:
    other = SqliteStore(settings.db)
    other.set_version_state(key=KEY, version=1, state="disabled", sunset=None, note=None)
    other.close()
    violation = only(validate(event({"orderId": "A"})), "no_schema")
    assert violation["message"] == (
        "every schema version of 'orderCreated' is disabled; only the envelope was checked"
    )


# -- switching envelope rules off per event type ------------------------------------------------

SWITCHES = [
    # (envelope member, event that breaks only that rule, code)
    ("keyValue", event({"orderId": "A"}, keyValue="a?b"), "invalid_key_value"),
    ("contact", {"eventTypeKey": KEY, "params": {"orderId": "A"}}, "missing_contact_identifier"),
    (
        "paramNames",
        event([{"name": "orderId", "value": "A"}, {"name": "orderId", "value": "B"}]),
        "duplicate_param",
    ),
    ("paramNames", event([{"name": "orderId"}]), "missing_param_value"),
    ("paramNames", event({"n" * 101: 1}), "param_name_too_long"),
    ("bodySize", event({"orderId": "A", "note": "x" * 20_500}), "payload_too_large"),
]


@pytest.mark.parametrize(
    ("rule", "sent", "code"), SWITCHES, ids=[f"{s[0]}-{s[2]}" for s in SWITCHES]
)
def test_each_envelope_rule_can_be_switched_off_per_event_type(
    validate: Validate, client: Any, rule: str, sent: dict[str, Any], code: str
) -> None:
    create_type(client, KEY, schema=SCHEMA)
    assert code in dict(codes(validate(sent)))
    set_config(client, KEY, envelope={rule: False})
    assert code not in dict(codes(validate(sent)))
    set_config(client, KEY, envelope={rule: True})
    assert code in dict(codes(validate(sent)))


def test_switching_one_rule_off_leaves_the_others_on(validate: Validate, client: Any) -> None:
    create_type(client, KEY, schema=SCHEMA)
    set_config(client, KEY, envelope={"contact": False})
    sent = {"eventTypeKey": KEY, "keyValue": "a?b", "params": [{"name": "x"}]}
    assert codes(validate(sent)) == [
        ("invalid_key_value", "error"),
        ("missing_param_value", "error"),
    ]


def test_switches_are_per_event_type(validate: Validate, client: Any) -> None:
    create_type(client, KEY, schema=SCHEMA)
    create_type(client, "orderDelivered", schema=SCHEMA)
    set_config(client, KEY, envelope={"contact": False})
    assert validate({"eventTypeKey": KEY, "params": {}})["valid"] is True
    assert codes(validate({"eventTypeKey": "orderDelivered", "params": {}})) == [
        ("missing_contact_identifier", "error")
    ]


def test_event_type_key_rule_is_switched_off_globally(validate: Validate, client: Any) -> None:
    """A registered key always passes the key rules (registration enforces the same ones), so
    the eventTypeKey rule only matters for unregistered keys: it is switched off globally."""
    sent = {"eventTypeKey": "bad?key", "keyValue": "k"}
    assert codes(validate(sent)) == [
        ("invalid_event_type_key", "error"),
        ("unknown_event_type", "error"),
    ]
    set_config(client, None, envelope={"eventTypeKey": False})
    assert codes(validate(sent)) == [("unknown_event_type", "error")]


def test_global_switch_is_inherited_and_overridden_per_type(
    validate: Validate, client: Any
) -> None:
    create_type(client, KEY, schema=SCHEMA)
    sent = {"eventTypeKey": KEY, "params": {}}
    set_config(client, None, envelope={"contact": False})
    assert validate(sent)["valid"] is True
    set_config(client, KEY, envelope={"contact": True})
    assert codes(validate(sent)) == [("missing_contact_identifier", "error")]
