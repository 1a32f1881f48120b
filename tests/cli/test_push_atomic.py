"""``push`` is all or nothing per event type: a refused step or a connection cut between steps
leaves the type as it was (metadata, config, examples restored; no version registered)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from registry.core.errors import EventTypeNotFound
from tests.harness import URL, Cli

PLAN = Path(__file__).resolve().parents[1] / "data" / "plan"
ORDER = "orderCreated.json"


class Cut:
    """A request hook that fails requests as a dropped connection would."""

    def __init__(self, when: Callable[[httpx.Request], bool], *, for_good: bool) -> None:
        self.when = when
        self.for_good = for_good
        self.tripped = False
        self.failed: list[str] = []

    def __call__(self, request: httpx.Request) -> None:
        if (self.tripped and self.for_good) or (not self.tripped and self.when(request)):
            self.tripped = True
            self.failed.append(f"{request.method} {request.url.path}")
            raise httpx.ConnectError("connection reset by peer", request=request)


def cut_cli(cli: Cli, cut: Cut) -> Cli:
    plain = cli.factory

    def factory(base_url: str, headers: dict[str, str]) -> httpx.Client:
        client = plain(base_url, headers)
        client.event_hooks["request"].append(cut)
        return client

    cli.factory = factory  # type: ignore[method-assign]
    return cli


def on(method: str, suffix: str) -> Callable[[httpx.Request], bool]:
    return lambda r: r.method == method and r.url.path.endswith(suffix)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    copy = tmp_path / "plan"
    shutil.copytree(PLAN, copy)
    return copy


def edit(folder: Path, name: str, **changes: Any) -> None:
    path = folder / name
    document = json.loads(path.read_text("utf-8"))
    document.update(changes)
    path.write_text(json.dumps(document), encoding="utf-8")


def state(cli: Cli, key: str) -> dict[str, Any]:
    service = cli.service
    event_type = service.get_event_type(key=key)
    return {
        "owner": event_type.owner,
        "description": event_type.description,
        "config": msgspec.to_builtins(event_type.config),
        "versions": [v.version for v in service.list_versions(key=key)],
        "examples": {e.name: e.expect_valid for e in service.list_examples(key=key)},
    }


def change_order(plan: Path) -> None:
    """Owner, config (LENIENT makes the new optional param compatible), version, examples."""
    entry = json.loads((plan / ORDER).read_text("utf-8"))
    params = [*entry["params"], {"name": "coupon", "type": "string"}]
    paid = next(e for e in entry["examples"] if e["name"] == "paid")
    edit(plan, ORDER, owner="checkout-team", params=params,
         config={"policy": "LENIENT"}, examples=[{**paid, "description": "edited"}])  # fmt: skip


def test_a_cut_before_the_version_restores_everything_else(cli: Cli, plan: Path) -> None:
    assert cli("push", str(plan), "--url", URL).exit_code == 0
    before = state(cli, "orderCreated")
    change_order(plan)
    cut = Cut(on("POST", "/orderCreated/versions"), for_good=False)
    result = cut_cli(cli, cut)("push", str(plan), "--url", URL)
    assert result.exit_code == 2, result.output
    assert cut.failed == ["POST /event-types/orderCreated/versions"]
    assert state(cli, "orderCreated") == before
    for line in (
        "orderCreated: rolled back: restore example 'negative-total'",
        "orderCreated: rolled back: restore example 'paid'",
        "orderCreated: rolled back: restore config",
        "orderCreated: rolled back: restore owner",
    ):
        assert line in result.output
    assert "cannot reach the registry" in result.output
    assert "refused by the registry: orderCreated (rolled back)" in result.output
    again = cli("push", str(plan), "--url", URL)  # the connection is back: the same push works
    assert again.exit_code == 0, again.output
    assert state(cli, "orderCreated")["versions"] == [1, 2]
    assert state(cli, "orderCreated")["owner"] == "checkout-team"


def test_a_connection_that_stays_down_lists_what_could_not_be_restored(
    cli: Cli, plan: Path
) -> None:
    assert cli("push", str(plan), "--url", URL).exit_code == 0
    change_order(plan)
    cut = Cut(on("PUT", "/orderCreated/config"), for_good=True)
    result = cut_cli(cli, cut)("push", str(plan), "--url", URL)
    assert result.exit_code == 2
    assert (
        "could not roll back (applied, still in the registry):\n  orderCreated: restore owner\n"
        in (result.output)
    )
    assert cli.service.get_event_type(key="orderCreated").owner == "checkout-team"
    assert "policy" not in state(cli, "orderCreated")["config"]  # the config step never landed


def test_a_created_type_is_removed_when_its_version_fails(cli: Cli, plan: Path) -> None:
    cut = Cut(on("POST", "/orderCreated/versions"), for_good=False)
    result = cut_cli(cli, cut)("push", str(plan), "--url", URL)
    assert result.exit_code == 2
    with pytest.raises(EventTypeNotFound):
        cli.service.get_event_type(key="orderCreated")
    assert "orderCreated: rolled back: delete the created event type for good" in result.output
    assert "not attempted: page view, заказ.оплачен" in result.output  # a dead link stops the push
    assert cli.service.store.all_keys() == []


def test_a_config_that_does_not_make_the_version_compatible_is_rolled_back(
    cli: Cli, plan: Path
) -> None:
    assert cli("push", str(plan), "--url", URL).exit_code == 0
    before = state(cli, "orderCreated")
    entry = json.loads((plan / ORDER).read_text("utf-8"))
    params = [*entry["params"], {"name": "coupon", "type": "string", "required": True}]
    edit(plan, ORDER, params=params, config={"policy": "LENIENT"})
    dry = cli("push", str(plan), "--url", URL, "--dry-run")
    assert dry.exit_code == 0
    assert "checked again once the new config is set" in dry.output
    result = cli("push", str(plan), "--url", URL)
    assert result.exit_code == 1
    assert "incompatible (BACKWARD, LENIENT) with version 1 under the new config:" in result.output
    assert "required_added  /required  [BACKWARD]" in result.output
    assert "orderCreated: rolled back: restore config" in result.output
    assert state(cli, "orderCreated") == before
    assert "3 event type(s): 0 changed, 2 unchanged, 1 with problems" in result.output


def test_an_example_of_another_type_is_a_problem_before_anything_is_written(
    cli: Cli, plan: Path
) -> None:
    entry = json.loads((plan / ORDER).read_text("utf-8"))
    wrong = {**entry["examples"][0], "payload": {"eventTypeKey": "other", "params": {}}}
    edit(plan, ORDER, examples=[wrong])
    result = cli("push", str(plan), "--url", URL)
    assert result.exit_code == 1
    assert "orderCreated: PROBLEM: example 'negative-total': invalid_request:" in result.output
    assert cli.service.store.all_keys() == []
