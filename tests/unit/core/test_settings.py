from __future__ import annotations

import pytest

from registry.core.errors import InvalidSettings
from registry.settings import Settings, load_settings


def test_defaults() -> None:
    s = load_settings({})
    assert (s.host, s.port, s.db, s.workers) == ("127.0.0.1", 8080, "event-registry.db", 1)


def test_environment_then_flags() -> None:
    env = {"EVENT_REGISTRY_PORT": "9000", "EVENT_REGISTRY_DB": "/tmp/x.db"}
    s = load_settings(env, port=9100, host=None)
    assert (s.port, s.db, s.host) == (9100, "/tmp/x.db", "127.0.0.1")


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"EVENT_REGISTRY_PORT": "eighty"}, "EVENT_REGISTRY_PORT"),
        ({"EVENT_REGISTRY_PORT": "70000"}, "EVENT_REGISTRY_PORT"),
        ({"EVENT_REGISTRY_WORKERS": "0"}, "EVENT_REGISTRY_WORKERS"),
        ({"EVENT_REGISTRY_LOG_LEVEL": "loud"}, "EVENT_REGISTRY_LOG_LEVEL"),
        ({"EVENT_REGISTRY_RETENTION_DAYS": "0"}, "EVENT_REGISTRY_RETENTION_DAYS"),
        ({"EVENT_REGISTRY_RETENTION_MAX_EVENTS": "-1"}, "EVENT_REGISTRY_RETENTION_MAX_EVENTS"),
        ({"EVENT_REGISTRY_PURGE_INTERVAL_MINUTES": "-5"}, "EVENT_REGISTRY_PURGE_INTERVAL_MINUTES"),
        ({"EVENT_REGISTRY_SEED_CATALOG": "maybe"}, "EVENT_REGISTRY_SEED_CATALOG"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(InvalidSettings) as info:
        load_settings(env)
    assert info.value.variable == variable


def test_unrelated_variables_are_ignored() -> None:
    assert load_settings({"EVENT_REGISTRY_NOPE": "1", "PATH": "/bin"}) == Settings()


def test_catalog_retention_and_masking_settings() -> None:
    s = load_settings(
        {
            "EVENT_REGISTRY_SEED_CATALOG": "false",
            "EVENT_REGISTRY_RETENTION_DAYS": "30",
            "EVENT_REGISTRY_PURGE_INTERVAL_MINUTES": "0",
            "EVENT_REGISTRY_MASK_FIELDS": "email,keyValue",
        }
    )
    assert (s.seed_catalog, s.retention_days, s.purge_interval_minutes) == (False, 30, 0)
    assert s.mask_fields == "email,keyValue"
    defaults = Settings()
    assert (defaults.seed_catalog, defaults.retention_days) == (True, 730)
    assert defaults.retention_max_events == 1_000_000
    assert defaults.mask_fields == (
        "keyValue,contactId,Contact_id,externalCustomerId,email,EmailAddress,UserEmail,"
        "ContactEmail,phone,SMS,PhoneNumber,pushToken,contactJson,user_email,user_phone"
    )
    assert defaults.mask_patterns == "*password*,*secret*"


@pytest.mark.parametrize(
    ("variable", "value", "named", "message"),
    [
        ("EVENT_REGISTRY_TRUSTED_PROXIES", "10.0.0.1, not-an-ip", "TRUSTED_PROXIES", "not-an-ip"),
        ("EVENT_REGISTRY_WEBHOOK_URLS", "ftp://x", "WEBHOOK_URLS", "not an http(s) URL"),
        ("EVENT_REGISTRY_WEBHOOK_URLS", "http://127.0.0.1:9/h", "WEBHOOK_SECRET", "set a secret"),
        ("EVENT_REGISTRY_CHANGES_POLL_SECONDS", "0", "CHANGES_POLL_SECONDS", "positive number"),
        ("EVENT_REGISTRY_WEBHOOK_MAX_ATTEMPTS", "0", "WEBHOOK_MAX_ATTEMPTS", "must be positive"),
    ],
)
def test_feed_settings_are_checked(variable: str, value: str, named: str, message: str) -> None:
    with pytest.raises(InvalidSettings) as caught:
        load_settings({variable: value})
    assert caught.value.variable == "EVENT_REGISTRY_" + named
    assert message in str(caught.value)


def test_the_webhook_secret_is_not_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from registry.cli import main

    monkeypatch.setenv("EVENT_REGISTRY_WEBHOOK_URLS", "http://127.0.0.1:9/hook")
    monkeypatch.setenv("EVENT_REGISTRY_WEBHOOK_SECRET", "s3cr3t-value")
    result = CliRunner().invoke(main, ["settings"])
    assert result.exit_code == 0
    assert "s3cr3t-value" not in result.output
    assert "EVENT_REGISTRY_WEBHOOK_SECRET" in result.output


def test_log_format_is_text_or_json() -> None:
    assert load_settings({}).log_format == "text"
    assert load_settings({"EVENT_REGISTRY_LOG_FORMAT": "json"}).log_format == "json"
    with pytest.raises(InvalidSettings) as caught:
        load_settings({"EVENT_REGISTRY_LOG_FORMAT": "xml"})
    assert str(caught.value) == "EVENT_REGISTRY_LOG_FORMAT: must be one of text, json"
