"""Dates and numbers are read with ASCII digits only: Python's ``\\d`` (and ``int()``) also accept
Arabic-Indic, Devanagari and other decimal digits, which no Yespo client sends as a date or a
number."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.core import yespo
from registry.core.validation.coerce import convert
from registry.core.validation.envelope import occurred_ok

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
NON_ASCII = ["٢٠٢٤-01-01", "2024-٠1-01", "२०२४-01-01", "2024-01-01T1٢:00"]


@pytest.mark.parametrize("occurred", NON_ASCII)
def test_occurred_with_non_ascii_digits_is_not_a_date(occurred: str) -> None:
    assert occurred_ok(occurred) is False


def test_occurred_with_ascii_digits_is_a_date() -> None:
    assert occurred_ok("2024-01-01") is True


@pytest.mark.parametrize("occurred", ["٢٠٢٤-01-01", "2024-01-01T1٢:00"])
def test_past_events_refuse_non_ascii_digits(occurred: str) -> None:
    status = yespo.occurred_status(occurred, now=NOW)
    assert status == yespo.INCORRECT_OCCURRED_DATE_FORMAT


@pytest.mark.parametrize(("text", "expected"), [("١٢", "integer"), ("١٢.5", "number")])
def test_a_string_of_non_ascii_digits_is_not_coercible(text: str, expected: str) -> None:
    assert convert(text, [expected]) is None


def test_a_string_of_ascii_digits_is_coercible() -> None:
    assert convert("12", ["integer"]) == ("scalar", 12)
