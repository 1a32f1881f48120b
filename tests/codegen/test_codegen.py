"""Codegen: names, determinism, and proof the output is valid code (import + msgspec round trip +
mypy --strict for Python; tsc --noEmit --strict for TypeScript when tsc is available)."""

from __future__ import annotations

import importlib.util
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner

from registry.app import create_app
from registry.cli import main
from registry.codegen import TypeSource, generate
from registry.codegen.names import pascal, python_field, type_names
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from registry.testing import load_registry
from tests.harness import URL, Cli

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "data" / "plan"


def plan_types() -> list[TypeSource]:
    registry = load_registry(PLAN)
    return [
        TypeSource(key=k, description=e.description, schema=registry.schema_of(k))
        for k, e in registry.entries.items()
    ]


def examples(valid: bool) -> list[Any]:
    entries = load_registry(PLAN).entries.values()
    return [x.payload for e in entries for x in e.examples if x.expectValid is valid]


# -- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("orderCreated", "OrderCreated"),
        ("order.created", "OrderCreated"),
        ("order created", "OrderCreated"),
        ("order_created-v2", "OrderCreatedV2"),
        ("2fa passed", "E2faPassed"),
        ("заказ.оплачен", "ЗаказОплачен"),
        ("x²", "XU00B2"),
        ("***", "Event"),
    ],
)
def test_type_names(key: str, name: str) -> None:
    assert pascal(key) == name


def test_keys_that_mangle_alike_get_stable_hash_suffixes() -> None:
    names = type_names(["order created", "order.created", "pageView"])
    assert names["pageView"] == "PageView"
    assert names["order created"] != names["order.created"]
    assert names["order created"].startswith("OrderCreated_")
    assert type_names(["order.created", "order created"]) == {
        k: v for k, v in names.items() if k != "pageView"
    }


@pytest.mark.parametrize(
    ("json_name", "field"),
    [
        ("totalCost", "totalCost"),
        ("total cost", "total_cost"),
        ("class", "class_"),
        ("match", "match_"),
        ("str", "str_"),
        ("2nd", "f_2nd"),
        ("_private", "private"),
        ("сума", "сума"),
        ("a.b", "a_b"),
    ],
)
def test_python_field_names(json_name: str, field: str) -> None:
    assert python_field(json_name, set()) == field


def test_python_field_names_are_unique() -> None:
    taken: set[str] = set()
    assert [python_field(n, taken) for n in ("a b", "a_b", "a-b")] == ["a_b", "a_b_2", "a_b_3"]


# -- determinism -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["python", "typescript"])
def test_output_is_deterministic_and_independent_of_input_order(lang: Any) -> None:
    types = plan_types()
    first = generate(lang, types)
    shuffled = types[:]
    random.Random(4).shuffle(shuffled)
    assert generate(lang, shuffled) == first
    assert generate(lang, plan_types()) == first


# -- Python ----------------------------------------------------------------------------------


def load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def python_events(tmp_path: Path) -> Any:
    path = tmp_path / "plan_events.py"
    path.write_text(generate("python", plan_types(), source="from tests"), encoding="utf-8")
    module = load_module(path, f"plan_events_{id(path)}")
    yield module
    sys.modules.pop(module.__name__, None)


def test_python_output_imports_and_round_trips_every_valid_example(python_events: Any) -> None:
    for payload in examples(valid=True):
        event = msgspec.json.decode(json.dumps(payload), type=python_events.AnyEvent)
        assert type(event).__name__ == pascal(payload["eventTypeKey"]) + "Event"
        assert json.loads(msgspec.json.encode(event)) == payload


def test_python_output_rejects_what_the_schema_rejects(python_events: Any) -> None:
    for payload in examples(valid=False):
        with pytest.raises(msgspec.ValidationError):
            msgspec.json.decode(json.dumps(payload), type=python_events.AnyEvent)
    params = {"externalOrderId": "1", "totalCost": 1, "status": "DELIVERD"}
    wrong_enum = {"eventTypeKey": "orderCreated", "params": params}
    with pytest.raises(msgspec.ValidationError, match="status"):
        msgspec.json.decode(json.dumps(wrong_enum), type=python_events.AnyEvent)


def test_python_output_keeps_json_names_and_docstrings(python_events: Any) -> None:
    params = python_events.ЗаказОплаченParams
    assert [f.encode_name for f in msgspec.structs.fields(params)] == ["class", "сума"]
    assert [f.name for f in msgspec.structs.fields(params)] == ["class_", "сума"]
    assert python_events.OrderCreatedEvent.__doc__ == "A shop order was placed."
    assert "externalOrderId: The shop's order id." in python_events.OrderCreatedParams.__doc__
    assert python_events.EVENT_TYPE_KEYS == ("orderCreated", "page view", "заказ.оплачен")


USAGE_PY = """
from plan_events import AnyEvent, OrderCreatedEvent, OrderCreatedParams


def total(event: AnyEvent) -> float:
    if isinstance(event, OrderCreatedEvent):
        return event.params.totalCost
    return 0.0


order = OrderCreatedEvent(params=OrderCreatedParams(externalOrderId="1", totalCost=2.0))
print(total(order))
"""


def test_python_output_type_checks_with_mypy_strict(tmp_path: Path) -> None:
    (tmp_path / "plan_events.py").write_text(generate("python", plan_types()), encoding="utf-8")
    (tmp_path / "usage.py").write_text(USAGE_PY, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
         "--cache-dir", str(tmp_path / ".mypy"), "plan_events.py", "usage.py"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


# -- TypeScript ------------------------------------------------------------------------------


def find_tsc() -> str | None:
    local = ROOT / ".ci-node" / "node_modules" / ".bin" / "tsc"
    return str(local) if local.exists() else shutil.which("tsc")


USAGE_TS = """
import type { AnyEvent, OrderCreatedEvent, OrderCreatedParams } from "./events";

export const examples: AnyEvent[] = EXAMPLES;

export function total(event: AnyEvent): number {
  return event.eventTypeKey === "orderCreated" ? event.params.totalCost : 0;
}

export const order: OrderCreatedEvent = {
  eventTypeKey: "orderCreated",
  params: { externalOrderId: "SO-1", totalCost: 1, status: "DELIVERED" },
};

const params = { externalOrderId: "SO-1", totalCost: 1 } as const;
// @ts-expect-error -- "DELIVERD" is not one of the enum's literals
export const typo: OrderCreatedParams = { ...params, status: "DELIVERD" };
// @ts-expect-error -- totalCost is required
export const missing: OrderCreatedParams = { externalOrderId: "SO-1" };
"""


def test_typescript_output_compiles_with_tsc_strict(tmp_path: Path) -> None:
    tsc = find_tsc()
    if tsc is None:
        pytest.skip(
            "tsc not found: run `npm install --prefix .ci-node typescript@5` (.ci/run does)"
        )
    (tmp_path / "events.ts").write_text(generate("typescript", plan_types()), encoding="utf-8")
    usage = USAGE_TS.replace("EXAMPLES", json.dumps(examples(valid=True), ensure_ascii=False))
    (tmp_path / "usage.ts").write_text(usage, encoding="utf-8")
    result = subprocess.run(
        [tsc, "--noEmit", "--strict", "--target", "es2020", "--lib", "es2020", "--skipLibCheck",
         "--module", "es2020",
         "--moduleResolution", "node", "events.ts", "usage.ts"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_typescript_uses_literal_unions_and_optional_members() -> None:
    text = generate("typescript", plan_types())
    assert 'status?: "INITIALIZED" | "IN_PROGRESS" | "DELIVERED" | "CANCELLED";' in text
    assert "externalOrderId: string;" in text
    assert "enum " not in text
    assert 'eventTypeKey: "page view";' in text
    assert "export interface PageViewParamsDevice {" in text
    assert "referrer?: string | null;" in text
    assert "items?: Array<OrderCreatedParamsItemsItem>;" in text
    cyrillic = "ЗаказОплачен"
    assert f"export type AnyEvent = OrderCreatedEvent | PageViewEvent | {cyrillic}Event;" in text


# -- the command -----------------------------------------------------------------------------


def test_codegen_from_a_folder_and_from_a_registry_agree(tmp_path: Path) -> None:
    cli = Cli(create_app(Settings(), store=InMemoryStore()))
    assert cli("push", str(PLAN), "--url", URL).exit_code == 0
    for lang in ("typescript", "python"):
        out = tmp_path / f"events.{lang}"
        local = CliRunner().invoke(
            main, ["codegen", "--lang", lang, "--schemas", str(PLAN), "-o", str(out)]
        )
        assert local.exit_code == 0, local.output
        remote = cli("codegen", "--lang", lang, "--url", URL)
        assert remote.exit_code == 0, remote.output
        body = out.read_text("utf-8").split("\n", 1)[1]
        assert remote.output.split("\n", 1)[1] == body


def test_codegen_filters_and_usage_errors() -> None:
    result = CliRunner().invoke(
        main, ["codegen", "--lang", "typescript", "--schemas", str(PLAN), "--tag", "web"]
    )
    assert result.exit_code == 0
    assert "PageViewEvent" in result.output
    assert "OrderCreatedEvent" not in result.output
    assert CliRunner().invoke(main, ["codegen", "--lang", "python"]).exit_code == 2
    assert CliRunner().invoke(main, ["codegen", "--schemas", str(PLAN)]).exit_code == 2
    cobol = ["codegen", "--lang", "cobol", "--schemas", str(PLAN)]
    assert CliRunner().invoke(main, cobol).exit_code == 2
