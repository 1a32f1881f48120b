"""Violation codes only the drop-in dry-run endpoints emit, through HTTP (``?report=true``).

Past events and the mobile SDK batch have rules a single /validate event does not (``occurred``
required and in Yespo's past-events format, ``keyValue`` required, at most 500 events); Yespo's
own formats add client quirks (``parameters``, non-string v1 values, object params).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.reports import create_type


def search(**members: Any) -> dict[str, Any]:
    return {
        "eventTypeKey": "searchRequest",
        "params": [{"name": "search", "value": "mug"}],
        **members,
    }


@pytest.fixture(scope="module")
def dry(shared_client: Any) -> Any:
    create_type(
        shared_client,
        "searchRequest",
        params=[{"name": "search", "type": "string", "required": True}],
    )

    def post(path: str, body: Any) -> dict[str, Any]:
        r = shared_client.post(f"{path}?report=true", json=body)
        assert r.status_code in (200, 400), r.text
        report: dict[str, Any] = r.json()
        return report

    return post


def found(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    """``(code, severity, path)`` of the batch-level and every event's violations."""
    inner = [v for e in report["events"] for v in e["report"]["errors"] + e["report"]["warnings"]]
    return {(v["code"], v["severity"], v["path"]) for v in report["errors"] + inner}


CASES = [
    (
        "occurred_in_future",
        "/api/v2/past_events",
        {"events": [search(keyValue="k", occurred="2999-01-01")]},
        ("occurred_in_future", "error", "/events/0/occurred"),
    ),
    (
        "invalid_occurred-past-events-refuse-seconds",
        "/api/v2/past_events",
        {"events": [search(keyValue="k", occurred="2023-03-22T14:30:00")]},
        ("invalid_occurred", "error", "/events/0/occurred"),
    ),
    (
        "occurred_required-past-events",
        "/api/v1/past_events",
        {"events": [search(keyValue="k")]},
        ("occurred_required", "error", "/events/0/occurred"),
    ),
    (
        "key_value_required",
        "/api/v2/past_events",
        {"events": [search(occurred="2023-01-05")]},
        ("key_value_required", "error", "/events/0/keyValue"),
    ),
    (
        "invalid_batch-no-events",
        "/api/v2/past_events",
        {"event": []},
        ("invalid_batch", "error", "/events"),
    ),
    (
        "invalid_batch-event-not-object",
        "/api/v2/past_events",
        {"events": [search(keyValue="k", occurred="2023-01-05"), 7]},
        ("invalid_batch", "error", "/events/1"),
    ),
    (
        "invalid_batch-mobile-without-device",
        "/api/v1/events",
        {"events": [search(occurred="2024-11-02T09:15:00.123Z")]},
        ("invalid_batch", "error", "/deviceId"),
    ),
    (
        "occurred_required-mobile",
        "/api/v1/events",
        {"deviceId": "d-1", "events": [search()]},
        ("occurred_required", "error", "/events/0/occurred"),
    ),
    (
        "too_many_events",
        "/api/v2/past_events",
        {"events": [search(keyValue="k", occurred="2023-01-05")] * 501},
        ("too_many_events", "error", "/events"),
    ),
    (
        "params_alias",
        "/api/v1/event",
        {
            "eventTypeKey": "searchRequest",
            "keyValue": "k",
            "parameters": [{"name": "search", "value": "mug"}],
        },
        ("params_alias", "warning", "/parameters"),
    ),
    (
        "v1_value_not_string",
        "/api/v1/event",
        search(keyValue="k", params=[{"name": "search", "value": 5}]),
        ("v1_value_not_string", "warning", "/params/0/value"),
    ),
    (
        "invalid_params-object-on-yespo-endpoint",
        "/api/v2/event",
        search(keyValue="k", params={"search": "mug"}),
        ("invalid_params", "error", "/params"),
    ),
]


@pytest.mark.parametrize(
    ("path", "body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_dry_run_code(dry: Any, path: str, body: Any, expected: tuple[str, str, str]) -> None:
    report = dry(path, body)
    assert expected in found(report)
    if expected[1] == "error":
        assert report["valid"] is False
