"""The one rule for a usable version and for ``latest``."""

from __future__ import annotations

import pytest

from registry.core.model import SchemaVersion, VersionState, is_usable, latest_usable


def version(n: int, state: VersionState) -> SchemaVersion:
    return SchemaVersion(
        key="e", version=n, schema_id=n, schema={}, fingerprint=str(n), created_at="", state=state
    )


@pytest.mark.parametrize(
    ("state", "usable"), [("active", True), ("deprecated", True), ("disabled", False)]
)
def test_only_disabled_versions_are_unusable(state: VersionState, usable: bool) -> None:
    assert is_usable(state) is usable
    assert version(1, state).usable is usable


def test_latest_is_the_newest_usable_version() -> None:
    versions = [version(1, "active"), version(2, "deprecated"), version(3, "disabled")]
    latest = latest_usable(versions)
    assert latest is not None
    assert latest.version == 2


def test_no_usable_version_means_no_latest() -> None:
    assert latest_usable([version(1, "disabled")]) is None
    assert latest_usable([]) is None


def test_every_timestamp_has_the_one_stored_format() -> None:
    import datetime as dt

    from registry.core.inspection import RetentionPolicy, cutoff, normalise_since
    from registry.core.model import format_instant, utc_now

    moment = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert format_instant(moment) == "2026-03-01T10:00:00.000Z"
    assert normalise_since("2026-03-01T12:00:00+02:00") == "2026-03-01T10:00:00.000Z"
    policy = RetentionPolicy(max_age_days=1, max_events=1)
    assert cutoff("2026-03-02T10:00:00.000Z", policy) == "2026-03-01T10:00:00.000Z"
    assert utc_now().endswith("Z")
    assert len(utc_now()) == len("2026-03-01T10:00:00.000Z")
