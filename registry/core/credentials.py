"""What a client's credentials say: a run id to tag its recorded events with, and the secret.

Every Yespo client sends a key its user chooses: the Basic password (WooCommerce sends ``:key``,
OpenCart ``user:key``), a Bearer token, or the Reteno SDKs' ``X-Reteno-Access-Key``. None of them
can add a header or a query parameter, so a documented *prefix of that key* tags a run:

* ``run-<id>.<rest>`` as the Basic password, the Bearer token or the ``X-Reteno-Access-Key``:
  run id ``<id>``, secret ``<rest>``;
* ``run:<id>`` as the Basic user (the decoded pair reads ``run:<id>:<password>``): run id
  ``<id>``, secret ``<password>``.

``<id>`` is 1..64 of ``A-Z a-z 0-9 _ -`` and starts with a letter or digit; anything else is not a
run prefix and the whole key is the secret. The secret is what an API token is checked against;
it is never stored or echoed. Pure: no I/O, no framework.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Literal

Scheme = Literal["basic", "bearer", "reteno"]

RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", re.ASCII)
_KEY_PREFIX = re.compile(r"run-([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.(.*)", re.ASCII | re.DOTALL)
RETENO_HEADER = "x-reteno-access-key"


@dataclass(frozen=True, slots=True)
class Credentials:
    """The run id a client's key carries (if any) and the secret part of that key."""

    scheme: Scheme | None = None
    secret: str | None = None
    run_id: str | None = None
    user: str | None = None


NONE = Credentials()


def split_key(key: str) -> tuple[str | None, str]:
    """``"run-ci42.abc"`` -> ``("ci42", "abc")``; a key without the prefix -> ``(None, key)``."""
    match = _KEY_PREFIX.fullmatch(key)
    if match is None:
        return None, key
    return match.group(1), match.group(2)


def from_basic(encoded: str) -> Credentials:
    """Credentials from the base64 part of ``Authorization: Basic …`` (undecodable: none)."""
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return NONE
    user, sep, password = decoded.partition(":")
    if not sep:
        return NONE
    if user == "run":
        run_id, sep, rest = password.partition(":")
        if RUN_ID.fullmatch(run_id):
            return Credentials("basic", rest if sep else "", run_id, "run")
    key_run_id, secret = split_key(password)
    return Credentials("basic", secret, key_run_id, user)


def from_key(key: str, scheme: Scheme) -> Credentials:
    """Credentials from a Bearer token or an ``X-Reteno-Access-Key`` value."""
    run_id, secret = split_key(key.strip())
    return Credentials(scheme, secret, run_id)


def parse(authorization: str | None, reteno_key: str | None = None) -> Credentials:
    """The credentials of one request: ``Authorization`` (Basic or Bearer, scheme
    case-insensitive) first, else ``X-Reteno-Access-Key``; anything else carries none."""
    if authorization:
        scheme, _, value = authorization.strip().partition(" ")
        match scheme.lower():
            case "basic":
                return from_basic(value)
            case "bearer" if value.strip():
                return from_key(value, "bearer")
            case _:
                pass
    if reteno_key and reteno_key.strip():
        return from_key(reteno_key, "reteno")
    return NONE
