"""The four views in a real browser against a live server: what a person sees and clicks."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import httpx
import pytest

from registry.core.jsonpointer import MISSING, resolve
from tests.ui.conftest import ADMIN, TOKEN_KEY, Page

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


def new_type(http: httpx.Client, schema: dict[str, Any]) -> str:
    key = f"ui{uuid.uuid4().hex[:10]}"
    created = http.post("/event-types", json={"key": key, "owner": "ui-tests"})
    assert created.status_code == 201, created.text
    version = http.post(f"/event-types/{key}/versions", json={"schema": schema})
    assert version.status_code == 201, version.text
    return key


def test_the_catalog_searches_and_opens_a_type(ui: Page) -> None:
    listed = ui.http.get("/event-types", params={"limit": 500}).json()["items"]
    page = ui.open("#/")
    page.wait_for_selector("#catalog-list li")
    assert page.locator("#catalog-list li").count() == len(listed)
    page.fill("#catalog-search", "mobile")
    mobile = sorted(t["key"] for t in listed if "mobile" in t["tags"])
    shown = page.locator("#catalog-list li").evaluate_all("items => items.map(i => i.dataset.key)")
    assert sorted(shown) == mobile
    page.fill("#catalog-search", "")
    page.click("#catalog-list a:text-is('orderCreated')")
    page.wait_for_selector("#versions li")
    versions = ui.http.get("/event-types/orderCreated/versions").json()["versions"]
    latest = versions[-1]
    assert page.locator("#versions li").count() == len(versions)
    assert page.inner_text(f"#versions li[data-version='{latest['version']}']") == (
        f"v{latest['version']} {latest['state']} registered {latest['createdAt'][:10]}"
    )
    shown = page.locator("table.params tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.param)"
    )
    assert shown == list(latest["schema"]["properties"])
    required = page.inner_text("tr[data-param='externalOrderId'] td:nth-child(3)")
    assert required == "yes"
    status = page.inner_text("tr[data-param='status'] td:nth-child(4)")
    assert status.startswith('one of "INITIALIZED", "IN_PROGRESS", "DELIVERED"')
    examples = ui.http.get("/event-types/orderCreated/examples").json()["examples"]
    assert page.locator("#examples li strong").all_inner_texts() == [x["name"] for x in examples]


INVALID = {
    "eventTypeKey": "orderCreated",
    "params": [
        {"name": "email", "value": "b@example.org"},
        {"name": "externalOrderid", "value": "SO-1"},
        {"name": "totalCost", "value": "abc"},
        {"name": "status", "value": "DELIVERD"},
        {"name": "date", "value": "2024-11-02T09:15:00"},
        {"name": "items", "value": [{"externalItemId": "A", "name": "Mug", "quantity": "two"}]},
    ],
}


def test_pasted_event_is_highlighted_at_every_pointer_of_its_report(ui: Page) -> None:
    # json.dumps writes every value the same way inside the document as alone, so the text at
    # a pointer's range must be json.dumps of the value the pointer names
    text = json.dumps(INVALID)
    report = ui.http.post(
        "/validate", content=text, headers={"Content-Type": "application/json"}
    ).json()
    violations = [*report["errors"], *report["warnings"]]
    assert {v["path"] for v in violations} >= {
        "/params/1/name",
        "/params/2/value",
        "/params/3/value",
    }
    page = ui.open("#/play")
    page.fill("#payload", text)
    page.wait_for_selector("#violations li")
    listed = page.locator("#violations li").evaluate_all(
        "items => items.map(i => i.dataset.pointer)"
    )
    assert listed == [v["path"] for v in violations]
    marks = page.locator(".overlay mark").evaluate_all(
        "marks => marks.map(m => [m.dataset.pointer, m.textContent, m.className])"
    )
    assert {pointer for pointer, _, _ in marks} == {v["path"] for v in violations}
    for pointer, covered, severity in marks:
        value = resolve(INVALID, pointer)
        assert value is not MISSING, pointer
        assert covered == json.dumps(value), pointer
        expected = (
            "error"
            if any(v["severity"] == "error" and v["path"] == pointer for v in violations)
            else "warning"
        )
        assert severity == expected, pointer
    # "Show in editor" selects exactly that range in the textarea
    page.click("#violations li[data-pointer='/params/2/value'] button.show")
    selected = page.eval_on_selector(
        "#payload", "a => a.value.slice(a.selectionStart, a.selectionEnd)"
    )
    assert selected == '"abc"'
    errors, warnings = len(report["errors"]), len(report["warnings"])
    assert page.inner_text("#verdict") == (
        f"Invalid against v{report['version']}: {errors} error(s), {warnings} warning(s)"
    )


def test_a_suggestion_is_one_click_and_the_link_keeps_the_payload(
    ui: Page, browser_context: Any
) -> None:
    page = ui.open("#/play?type=orderCreated&example=bad-status")
    fix = page.locator("#violations li[data-code='not_in_enum'] button.fix")
    assert fix.inner_text() == 'Apply "DELIVERED"'
    assert page.get_attribute("#verdict", "data-valid") == "false"
    fix.click()
    page.wait_for_selector("#verdict[data-valid='true']")
    value = page.input_value("#payload")
    assert json.loads(value)["params"][3] == {"name": "status", "value": "DELIVERED"}
    assert page.locator(".overlay mark").count() == 0
    # the shareable link holds the payload in the fragment, never in the query
    url = page.url
    assert "?" not in url.split("#", 1)[0]
    fragment = url.split("#", 1)[1]
    encoded = fragment.split("p=", 1)[1]
    assert base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode() == value
    again = browser_context.new_page()  # a new tab: its sessionStorage starts empty
    again.add_init_script(f"sessionStorage.setItem({TOKEN_KEY!r}, {json.dumps(ADMIN)})")
    try:
        again.goto(url)
        again.wait_for_selector("#verdict[data-valid='true']")
        assert again.input_value("#payload") == value
    finally:
        again.close()


V1 = {
    "type": "object",
    "properties": {"a": {"type": "string"}, "b": {"type": "number"}},
    "required": ["a"],
}
BREAKING = {
    "type": "object",
    "properties": {"a": {"type": "integer"}, "b": {"type": "number"}},
    "required": ["a", "b"],
}


def test_an_incompatible_schema_shows_each_finding_on_the_diff(ui: Page) -> None:
    key = new_type(ui.http, V1)
    example = {
        "payload": {"eventTypeKey": key, "keyValue": "k", "params": {"a": "x"}},
        "expectValid": True,
    }
    assert ui.http.put(f"/event-types/{key}/examples/plain", json=example).status_code == 200
    dry = ui.http.post(f"/event-types/{key}/compatibility", json={"schema": BREAKING}).json()
    assert {f["path"] for f in dry["findings"]} == {"/properties/a/type", "/required"}
    page = ui.open(f"#/evolve/{key}")
    page.wait_for_selector("#compat-verdict[data-compatible='true']")
    page.fill("#schema", json.dumps(BREAKING, indent=2))
    page.wait_for_selector("#compat-verdict[data-compatible='false']")
    assert page.locator("#findings li").evaluate_all("items => items.map(i => i.dataset.code)") == [
        f["code"] for f in dry["findings"]
    ]
    # each finding sits on the new side (4th column) on the line of its pointer
    type_cell = page.locator("td.finding[data-finding='/properties/a/type']")
    assert type_cell.evaluate("c => c.cellIndex") == 3
    assert type_cell.locator(".text").inner_text().strip() == '"type": "integer"'
    required_cell = page.locator("td.finding[data-finding='/required']")
    assert required_cell.locator(".text").inner_text().strip() == '"required": ['
    assert "is now required" in required_cell.locator(".finding-note").inner_text()
    # the old side shows the line it replaces
    row = type_cell.locator("xpath=..")
    assert row.get_attribute("class") == "changed"
    assert row.locator("td:nth-child(2)").inner_text().strip() == '"type": "string"'
    assert page.inner_text("#replay tr[data-example='plain'] td:nth-child(4)") == "invalid"
    # a compatible edit (a is no longer required) registers; this server needs no token
    page.fill("#schema", json.dumps({**V1, "required": []}))
    page.wait_for_selector("#compat-verdict[data-compatible='true']")
    page.click("#register")
    page.wait_for_selector("#register-outcome:text-is('Registered v2.')")
    assert ui.http.get(f"/event-types/{key}/versions/latest").json()["version"] == 2


def test_the_run_view_updates_as_events_arrive_through_the_drop_in_endpoint(ui: Page) -> None:
    key = new_type(ui.http, V1)
    run = f"ui-{uuid.uuid4().hex[:8]}"
    page = ui.open(f"#/run/{run}")
    page.wait_for_selector("#run-totals[data-total='0']")

    def send(value: object) -> None:
        event = {"eventTypeKey": key, "keyValue": "k", "params": [{"name": "a", "value": value}]}
        answer = ui.http.post("/api/v2/event", json=event, headers={"X-Run-Id": run})
        assert answer.status_code in (200, 400), answer.text  # an invalid event gets Yespo's 400

    send("fine")
    send(7)
    page.wait_for_selector("#run-totals[data-total='2']")
    assert page.inner_text("#run-totals").startswith("2 event(s): 1 valid, 1 invalid")
    bar = page.locator("#chart-codes g[data-label='type_mismatch']")
    assert bar.get_attribute("data-count") == "1"
    assert page.locator("#chart-params g[data-label='a']").get_attribute("data-count") == "1"
    assert page.locator("#run-failing details").count() == 1
    page.click("#run-failing details summary")
    send(8)
    page.wait_for_selector("#run-totals[data-total='3']")
    assert page.locator("#run-failing details").count() == 2
    assert page.locator("#run-failing details[open]").count() == 1  # stays open across updates
    assert (
        page.locator("#chart-codes g[data-label='type_mismatch']").get_attribute("data-count")
        == "2"
    )
    page.click("#run-reset")
    page.click("#run-reset")
    page.wait_for_selector("#run-totals[data-total='0']")
    assert page.inner_text("#run-note") == "Deleted 3 event(s)."
    summary = ui.http.get("/inspect/summary", params={"runId": run}).json()
    assert summary["total"] == 0


def test_the_token_lives_in_session_storage_and_goes_out_as_bearer(ui: Page) -> None:
    page = ui.open("#/", signed_in=False)
    problem = page.locator("#catalog-list li.problem")
    assert problem.inner_text().startswith("401 authentication_required: ")
    assert problem.inner_text().endswith("(set a token with the needed scope under Token)")
    page.click("#token-panel summary")
    page.fill("#token", ADMIN)
    page.click("#token-form button[type=submit]")
    page.wait_for_selector("#catalog-list li.card")
    assert page.input_value("#token") == ""
    assert page.evaluate(f"sessionStorage.getItem({TOKEN_KEY!r})") == ADMIN
    assert page.evaluate(f"localStorage.getItem({TOKEN_KEY!r})") is None
    assert page.evaluate("document.cookie") == ""
    assert page.context.cookies() == []
    calls = [(url, h) for url, h in ui.requests if "/event-types" in url]
    assert [h.get("authorization") for _, h in calls] == [None, f"Bearer {ADMIN}"]
    assert not [h for _, h in ui.requests if "cookie" in h]
    # the page and its files need no token
    assert all("authorization" not in h for url, h in ui.requests if "/ui" in url)
    page.click("#token-forget")
    page.wait_for_selector("#catalog-list li.problem")
    assert page.evaluate(f"sessionStorage.getItem({TOKEN_KEY!r})") is None
