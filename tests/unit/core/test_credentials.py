"""Run ids and secrets read from the credentials real Yespo clients already send."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.core import credentials
from registry.core.credentials import Credentials


def basic(pair: str) -> str:
    return "Basic " + base64.b64encode(pair.encode()).decode()


@pytest.mark.parametrize(
    ("authorization", "reteno", "expected"),
    [
        # WooCommerce sends ":key" (empty user) as Basic.
        (basic(":run-ci42.s3cret"), None, Credentials("basic", "s3cret", "ci42", "")),
        (basic(":s3cret"), None, Credentials("basic", "s3cret", None, "")),
        # OpenCart sends "user:key".
        (basic("shop:run-nightly_7.k"), None, Credentials("basic", "k", "nightly_7", "shop")),
        # The Basic user form: run:<id> as the user.
        (basic("run:ci-9:key"), None, Credentials("basic", "key", "ci-9", "run")),
        (basic("run:ci-9"), None, Credentials("basic", "", "ci-9", "run")),
        # A Bearer token (Pipedream, PHP clients) and the scheme's case.
        ("Bearer run-abc.tok", None, Credentials("bearer", "tok", "abc", None)),
        ("bearer tok", None, Credentials("bearer", "tok", None, None)),
        # The Reteno SDKs' access key header.
        (None, "run-dev1.KEY", Credentials("reteno", "KEY", "dev1", None)),
        (None, "KEY", Credentials("reteno", "KEY", None, None)),
        # Authorization wins over the Reteno header.
        ("Bearer run-a.t", "run-b.K", Credentials("bearer", "t", "a", None)),
    ],
)
def test_credentials_carry_a_run_id_and_a_secret(
    authorization: str | None, reteno: str | None, expected: Credentials
) -> None:
    assert credentials.parse(authorization, reteno) == expected


@pytest.mark.parametrize(
    "key",
    [
        "run-.x",  # empty id
        "run-" + "a" * 65 + ".x",  # id too long
        "run-_a.x",  # id must start with a letter or digit
        "run-a b.x",  # space in the id
        "run-ä.x",  # non-ASCII id
        "runabc.x",
        "run-abc",  # no separator: the whole key is the secret
    ],
)
def test_a_key_without_a_valid_prefix_is_all_secret(key: str) -> None:
    assert credentials.parse(f"Bearer {key}") == Credentials("bearer", key, None, None)


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Basic !!!notbase64", basic("nocolon"), "Digest abc", "Bearer   ", "Basic"],
)
def test_unusable_credentials_carry_nothing(authorization: str | None) -> None:
    assert credentials.parse(authorization) == credentials.NONE


def test_a_basic_run_user_with_an_invalid_id_is_an_ordinary_user() -> None:
    assert credentials.parse(basic("run:bad id:key")) == Credentials(
        "basic", "bad id:key", None, "run"
    )


@given(
    run_id=st.from_regex(credentials.RUN_ID, fullmatch=True),
    secret=st.text(min_size=1).filter(lambda s: s == s.strip()),
)
def test_split_key_round_trips(run_id: str, secret: str) -> None:
    assert credentials.split_key(f"run-{run_id}.{secret}") == (run_id, secret)
    assert credentials.parse(f"Bearer run-{run_id}.{secret}").secret == secret
