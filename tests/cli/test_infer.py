"""``event-registry infer``: files in process, the same samples through a registry, runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec

from tests.harness import URL, Cli, seed


def _v2(key: str, **params: Any) -> dict[str, Any]:
    return {
        "eventTypeKey": key,
        "keyValue": "k-1",
        "params": [{"name": n, "value": v} for n, v in params.items()],
    }


def _write(tmp_path: Path, name: str, events: list[Any]) -> str:
    target = tmp_path / name
    target.write_text(json.dumps(events), encoding="utf-8")
    return str(target)


def test_files_are_inferred_in_process(cli: Cli, tmp_path: Path) -> None:
    events = [_v2("tripBooked", nights=2, city="Kyiv"), _v2("tripBooked", nights=3)]
    result = cli("infer", _write(tmp_path, "trips.json", events))
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document) == {"schema", "params", "stats"}
    assert document["schema"]["title"] == "tripBooked"
    assert document["schema"]["required"] == ["nights"]
    assert document["params"][0] == {"name": "nights", "type": "integer", "required": True}
    assert cli.seen == []  # nothing went over HTTP


def test_ndjson_on_stdin_works_too(cli: Cli) -> None:
    lines = "\n".join(json.dumps(_v2("tripBooked", nights=n)) for n in (1, 2))
    result = cli("infer", "-", input=lines)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["stats"]["samples"] == 2


def test_several_types_need_a_key(cli: Cli, tmp_path: Path) -> None:
    events = [_v2("tripBooked", nights=2), _v2("tripCancelled", reason="x")]
    name = _write(tmp_path, "mixed.json", events)
    result = cli("infer", name)
    assert result.exit_code == 2
    assert "several event types (tripBooked, tripCancelled)" in result.output
    chosen = cli("infer", name, "--key", "tripCancelled")
    assert chosen.exit_code == 0, chosen.output
    stats = json.loads(chosen.output)["stats"]
    assert (stats["samples"], stats["ignored"]) == (1, 1)


def test_malformed_files_and_missing_inputs_are_usage_errors(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = cli("infer", str(broken))
    assert result.exit_code == 2
    assert "broken.json:1: not JSON" in result.output
    assert cli("infer").exit_code == 2
    assert cli("infer", "--run-id", "r").exit_code == 2
    assert cli("infer", "--url", URL).exit_code == 2


def test_files_through_a_registry_get_the_diff_against_latest(cli: Cli, tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"nights": {"type": "integer"}}}
    seed(cli.service, "tripBooked", schema)
    events = [_v2("tripBooked", nights=2, city="Lviv")]
    result = cli("infer", _write(tmp_path, "t.json", events), "--url", URL)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["latestVersion"] == 1
    codes = [c["code"] for c in document["changes"]]
    assert codes == ["property_added_to_open_model", "required_added", "required_added"]
    assert document["compatibility"]["compatible"] is False
    assert [r.url.path for r in cli.seen] == ["/event-types/tripBooked/infer"]


def test_a_recorded_run_is_read_from_the_registry(cli: Cli, tmp_path: Path) -> None:
    with cli.http() as http:
        for nights in (1, 5):
            event = _v2("stayLogged", nights=nights)
            assert (
                http.post("/api/v2/event", json=event, headers={"X-Run-Id": "r7"}).status_code
                == 200
            )
    out = tmp_path / "proposal.json"
    result = cli("infer", "--url", URL, "--key", "stayLogged", "--run-id", "r7", "-o", str(out))
    assert result.exit_code == 0, result.output
    document = msgspec.json.decode(out.read_bytes())
    assert document["schema"]["properties"]["nights"] == {"type": "integer"}
    assert document["stats"]["samples"] == 2
    missing = cli("infer", "--url", URL, "--key", "stayLogged", "--run-id", "none")
    assert missing.exit_code == 2
    assert "invalid_request" in missing.output


def test_emit_prints_only_the_schema_or_the_params(cli: Cli, tmp_path: Path) -> None:
    name = _write(tmp_path, "t.json", [_v2("tripBooked", nights=2)])
    schema = json.loads(cli("infer", name, "--emit", "schema").output)
    assert schema["properties"] == {"nights": {"type": "integer"}}
    params = json.loads(cli("infer", name, "--emit", "params").output)
    assert params == [{"name": "nights", "type": "integer", "required": True}]
