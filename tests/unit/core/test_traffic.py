"""The observed-traffic report: splits, top values, drift flags in both directions."""

from __future__ import annotations

from typing import Any

import pytest

from registry.core.inspection import MASK, InspectedEvent
from registry.core.traffic import report, user_agent_family

ANDROID = "okhttp/4.12.0"
BROWSER = "Mozilla/5.0 (Windows NT 10.0)"


def entry(
    n: int, params: dict[str, Any], *, fmt: str = "v2", agent: str | None = None
) -> InspectedEvent:
    payload = {"eventTypeKey": "k", "params": [{"name": k, "value": v} for k, v in params.items()]}
    return InspectedEvent(
        id=n,
        received_at=f"2026-01-01T00:00:{n:02d}.000Z",
        format=fmt,
        request_id=f"r{n}",
        event_type_key="k",
        valid=True,
        payload=payload,
        report={},
        user_agent=agent,
    )


def _param(entries: list[InspectedEvent], name: str) -> Any:
    found = [p for p in report("k", entries).params if p.name == name]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(
    ("agent", "family"),
    [
        (None, "unknown"),
        ("", "unknown"),
        ("okhttp/4.12.0", "android"),
        ("Reteno Android SDK 2.0 okhttp", "mobile-sdk"),
        ("MyApp/1 CFNetwork/1410 Darwin/22.6.0", "ios"),
        ("GuzzleHttp/7", "php"),
        ("python-httpx/0.27", "python"),
        ("curl/8.5.0", "curl"),
        (BROWSER, "browser"),
        ("something-else/1", "other"),
    ],
)
def test_user_agent_families(agent: str | None, family: str) -> None:
    assert user_agent_family(agent) == family


def test_types_presence_top_values_and_times() -> None:
    entries = [entry(i, {"status": s, "total": 5}) for i, s in enumerate(["A", "B", "A"], 1)]
    entries.append(entry(4, {"total": "5"}))
    rep = report("k", entries)
    assert (rep.events, rep.first_seen, rep.last_seen) == (
        4,
        entries[0].received_at,
        entries[3].received_at,
    )
    status = _param(entries, "status")
    assert (status.present, status.presence) == (3, 75.0)
    assert status.top_values == [('"A"', 2), ('"B"', 1)]
    assert (status.first_seen, status.last_seen) == (entries[0].received_at, entries[2].received_at)
    assert _param(entries, "total").types == {"integer": 3, "string": 1}


def test_masked_values_are_counted_never_shown() -> None:
    entries = [entry(1, {"email": MASK}), entry(2, {"email": MASK}), entry(3, {"email": "x"})]
    email = _param(entries, "email")
    assert email.masked == 2
    assert email.top_values == [('"x"', 1)]


def test_splits_by_client_format_and_user_agent_family() -> None:
    entries = [
        entry(1, {"a": 1}, fmt="v2", agent=BROWSER),
        entry(2, {"a": "1"}, fmt="mobile", agent=ANDROID),
        entry(3, {"b": 1}, fmt="mobile", agent=ANDROID),
    ]
    rep = report("k", entries)
    assert rep.formats == {"v2": 1, "mobile": 2}
    assert rep.user_agents == {"browser": 1, "android": 2}
    a = _param(entries, "a")
    assert a.by_format["mobile"].present == 1
    assert a.by_format["mobile"].types == {"string": 1}
    assert a.by_user_agent["browser"].types == {"integer": 1}


def test_a_changed_type_mix_is_flagged() -> None:
    entries = [entry(i, {"n": 1}) for i in range(1, 5)] + [
        entry(i, {"n": "1"}) for i in range(5, 9)
    ]
    assert _param(entries, "n").drift == ["type_mix_changed"]


def test_a_steady_type_mix_is_not_flagged() -> None:
    entries = [entry(i, {"n": 1 if i % 2 else "1"}) for i in range(1, 9)]
    assert _param(entries, "n").drift == []


def test_a_param_one_client_never_sends_is_flagged() -> None:
    web = [entry(i, {"coupon": "X", "id": i}, agent=BROWSER) for i in range(1, 4)]
    app = [entry(i, {"id": i}, fmt="mobile", agent=ANDROID) for i in range(4, 7)]
    assert _param(web + app, "coupon").drift == ["missing_on_client"]
    assert _param(web + app, "id").drift == []


def test_too_few_events_of_a_client_are_no_gap() -> None:
    web = [entry(i, {"coupon": "X"}, agent=BROWSER) for i in range(1, 4)]
    app = [entry(i, {}, fmt="mobile", agent=ANDROID) for i in range(4, 6)]
    assert _param(web + app, "coupon").drift == []


def test_entries_without_events_are_skipped() -> None:
    log = entry(1, {"a": 1})
    skipped = InspectedEvent(
        id=2,
        received_at=log.received_at,
        format="client_log",
        request_id="x",
        valid=True,
        payload={"message": "m"},
        report={},
    )
    assert report("k", [log, skipped]).events == 1
