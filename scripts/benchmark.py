"""Benchmark the hot paths side by side with their peers (not a test; run by hand).

Every row of issue 14's table in one run, interleaved over ``--rounds`` rounds (default 3):
medians are reported, and ratios are taken within a round (both sides measured back to back)
before their median, because on a shared machine absolute numbers are noise.

* HTTP (wrk, 4 keep-alive connections, ``--seconds`` per measure): ``POST /validate`` against a
  bare litestar echo and a raw-ASGI echo on the same server stack (uvicorn + httptools + uvloop,
  one worker), a hand-written litestar + Python-jsonschema service, and the bare prototype
  (litestar + msgspec + jsonschema-rs, nothing else); ``--workers 2`` against 1 (8 connections).
* Batch: ``POST /validate/batch`` with 10,000 NDJSON 3-item orders (project, prototype,
  hand-written) against msgspec's decode of the same lines; peak server RSS for 100,000 events
  with ``results=all`` (a fresh server each round).
* CLI (hyperfine, whole process): ``event-registry --help`` and ``validate --schemas DIR`` on
  2,000 events against ``check-jsonschema`` on the same 2,000 params objects.
* In-process: ``RegistryService.validate`` of one valid 3-item order against its decode.

The peers are built by the script: a scratch virtualenv (``--venv``) with ``PEER_PACKAGES`` only,
serving scripts/bench_peers.py. Needs ``wrk`` and ``hyperfine`` (Debian packages). Writes a JSON
file (``--out``) and, with ``--readme``, regenerates the README's table from it (``--table-from``
does only that). Binds 127.0.0.1 only; every load is bounded in time.

Run:  pip install -e '.[test]' && python scripts/benchmark.py --readme README.md
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path
from typing import Any

import msgspec

sys.path.insert(0, str(Path(__file__).parent))
from bench_peers import params_of
from bench_table import render_table, update_readme
from bench_workload import PLAN_ENTRY, SCHEMA, order_event

PEER_PACKAGES = [
    "litestar==2.25.0",
    "msgspec==0.23.0",
    "jsonschema==4.26.0",
    "jsonschema-rs==0.60.3",
    "uvicorn==0.54.0",
    "httptools==0.9.0",
    "uvloop==0.23.0",
    "check-jsonschema==0.39.0",
]
PEERS = Path(__file__).with_name("bench_peers.py")
BATCH_EVENTS, RSS_EVENTS, CLI_EVENTS = 10_000, 100_000, 2_000
JSON_TYPE = {"content-type": "application/json"}
NDJSON_TYPE = {"content-type": "application/x-ndjson"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peer_venv(path: Path) -> Path:
    """A virtualenv holding exactly ``PEER_PACKAGES`` (made once, reused while they match)."""
    marker = path / "peer-packages.txt"
    wanted = "\n".join(PEER_PACKAGES)
    python = path / "bin" / "python"
    if not (marker.exists() and marker.read_text() == wanted):
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, *PEER_PACKAGES], check=True)
        marker.write_text(wanted)
    return python


class Server:
    """A server in a child process on a free loopback port; ready when it answers a request."""

    def __init__(self, argv: list[str], env: dict[str, str], probe: tuple[str, str]) -> None:
        self.port = free_port()
        self.headers: dict[str, str] = {}
        """Sent by wrk (a validate token when auth is on)."""
        argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.proc = subprocess.Popen(
            argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.request(probe[0], probe[1], b"{}", JSON_TYPE)
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise SystemExit(f"{argv} did not start")

    def request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def peak_rss_mb(self) -> float:
        """VmHWM of the server process and its workers (the largest)."""
        pids = [self.proc.pid, *_children(self.proc.pid)]
        peaks = [_status(pid, "VmHWM:") for pid in pids]
        return max(peaks) / 1024

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _status(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def issue_token(db: Path, scope: str) -> str:
    """A token made as an operator would: ``event-registry tokens create ... --format json``."""
    argv = [sys.executable, "-m", "registry", "tokens", "create", "--db", str(db)]
    out = subprocess.run(
        [*argv, "--scope", scope, "--name", f"bench-{scope}", "--format", "json"],
        check=True, capture_output=True, timeout=60,
    ).stdout  # fmt: skip
    return str(json.loads(out)["token"])


def project_server(tmp: Path, workers: int = 1, *, auth: bool = False) -> Server:
    db = tmp / f"project-{free_port()}.db"
    env = {
        "EVENT_REGISTRY_LOG_LEVEL": "warning",
        "EVENT_REGISTRY_SEED_CATALOG": "false",
        "EVENT_REGISTRY_BATCH_MAX_BYTES": str(1 << 28),
        "EVENT_REGISTRY_BATCH_MAX_EVENTS": str(RSS_EVENTS),
        "EVENT_REGISTRY_AUTH": "on" if auth else "off",
    }
    writer: dict[str, str] = {}
    if auth:
        writer = {"authorization": "Bearer " + issue_token(db, "write")}
    argv = [sys.executable, "-m", "registry", "serve", "--port", "{port}", "--db", str(db)]
    server = Server([*argv, "--workers", str(workers)], env, ("GET", "/health"))
    server.headers = {"authorization": "Bearer " + issue_token(db, "validate")} if auth else {}
    server.request("POST", "/event-types", b'{"key":"orderCreated"}', JSON_TYPE | writer)
    body = msgspec.json.encode({"schema": SCHEMA})
    path = "/event-types/orderCreated/versions"
    status, answer = server.request("POST", path, body, JSON_TYPE | writer)
    assert status == 201, answer
    return server


def peer_server(python: Path, kind: str, schema_file: Path) -> Server:
    argv = [str(python), str(PEERS), kind, "{port}", str(schema_file)]
    return Server(argv, {}, ("POST", "/echo" if kind in ("echo", "raw") else "/validate"))


# -- measures -------------------------------------------------------------------------------


def wrk(server: Server, path: str, body_file: Path, seconds: float, conns: int = 4) -> dict:
    """requests/s and p99 ms of ``POST path`` with ``body_file``; any non-2xx answer aborts."""
    lua = body_file.with_suffix(".lua")
    headers = {"Content-Type": "application/json", **server.headers}
    lua.write_text(
        'wrk.method = "POST"\n'
        + "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items())
        + f'wrk.body = io.open("{body_file}", "rb"):read("*a")\n'
    )
    url = f"http://127.0.0.1:{server.port}{path}"
    argv = ["wrk", f"-t{min(conns, 2)}", f"-c{conns}", f"-d{max(1, round(seconds))}s", "--latency"]
    out = subprocess.run(
        [*argv, "-s", str(lua), url],
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk {path} on port {server.port}: errors\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
    return {"rps": rps, "p99_ms": p99}


def batch_rate(server: Server, lines: list[bytes], query: str = "") -> float:
    body = b"\n".join(lines)
    start = time.perf_counter()
    status, answer = server.request("POST", "/validate/batch" + query, body, NDJSON_TYPE)
    elapsed = time.perf_counter() - start
    summary = msgspec.json.decode(answer)["summary"]
    assert status == 200, answer[:300]
    assert summary["valid"] == len(lines), summary
    return len(lines) / elapsed


def decode_rate(lines: list[bytes]) -> float:
    def run() -> None:
        for line in lines:
            msgspec.json.decode(line)

    return len(lines) / min(timeit.repeat(run, number=1, repeat=3))


def batch_peak_rss(tmp: Path, raw: bytes) -> float:
    server = project_server(tmp)
    try:
        body = b"\n".join([raw] * RSS_EVENTS)
        status, answer = server.request("POST", "/validate/batch", body, NDJSON_TYPE)
        assert status == 200, answer[:300]
        assert len(msgspec.json.decode(answer)["results"]) == RSS_EVENTS
        return server.peak_rss_mb()
    finally:
        server.stop()


def hyperfine(commands: dict[str, str], runs: int, tmp: Path) -> dict[str, float]:
    """Median seconds of each whole-process command."""
    out = tmp / "hyperfine.json"
    argv = ["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "--export-json", str(out)]
    # as on a user's machine, the warm-up run leaves bytecode caches behind: with
    # PYTHONDONTWRITEBYTECODE set (some shells and CI images do), every run would compile the
    # modules changed since the last cache (seen: 0.23 s of a 0.87 s validate run)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [*argv, *commands.values()], check=True, capture_output=True, timeout=600, env=env
    )
    results = json.loads(out.read_text())["results"]
    return dict(zip(commands, (r["median"] for r in results), strict=True))


def cli_inputs(tmp: Path, raw: bytes) -> tuple[Path, Path, Path, list[Path]]:
    plan = tmp / "plan"
    plan.mkdir(exist_ok=True)
    (plan / "orderCreated.json").write_text(json.dumps(PLAN_ENTRY))
    events = tmp / "events.ndjson"
    events.write_bytes(b"\n".join([raw] * CLI_EVENTS) + b"\n")
    schema = tmp / "schema.json"
    schema.write_text(json.dumps(SCHEMA))
    params = {p["name"]: p["value"] for p in order_event(3)["params"]}
    instances = []
    for i in range(CLI_EVENTS):
        instance = tmp / "instances" / f"{i:04}.json"
        instance.parent.mkdir(exist_ok=True)
        instance.write_text(json.dumps(params))
        instances.append(instance)
    return plan, events, schema, instances


def cli_times(tmp: Path, venv_python: Path, raw: bytes, runs: int) -> dict[str, float]:
    plan, events, schema, instances = cli_inputs(tmp, raw)
    registry = Path(sys.executable).with_name("event-registry")  # this interpreter's install
    checker = venv_python.parent / "check-jsonschema"
    listing = " ".join(str(i) for i in instances)
    return hyperfine(
        {
            "cli_help_s": f"{registry} --help",
            "cli_validate_s": f"{registry} validate {events} --schemas {plan}",
            "check_jsonschema_s": f"{checker} --schemafile {schema} {listing}",
        },
        runs,
        tmp,
    )


def in_process(raw: bytes) -> dict[str, float]:
    """One valid 3-item order against its decode, and the batch path's stages per event."""
    import jsonschema_rs

    from registry.api.batch import ResultSpool
    from registry.core.batch import AutoSplitter, BatchResult, SummaryBuilder
    from registry.core.jsonio import decode_json
    from registry.settings import Settings
    from registry.store.memory import InMemoryStore
    from registry.wiring import build_service

    service = build_service(Settings(seed_catalog=False), InMemoryStore())
    service.create_event_type(key="orderCreated")
    service.register_version(key="orderCreated", schema=SCHEMA)
    event = msgspec.json.decode(raw)
    assert service.validate(event, body_size=len(raw)).valid

    def per_call_us(fn: Any, number: int = 5_000) -> float:
        return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6

    body = b"\n".join([raw] * 2_000)
    report = service.validate(event, body_size=len(raw), fresh=True)

    def split() -> None:
        splitter = AutoSplitter()
        for at in range(0, len(body), 262_144):
            for _ in splitter.feed(body[at : at + 262_144]):
                pass
        for _ in splitter.finish():
            pass

    def result_and_summary() -> None:
        summary, spool = SummaryBuilder(), ResultSpool()
        for index in range(2_000):
            summary.add(report)
            spool.add(BatchResult(index=index, valid=True, event_type_key="orderCreated",
                                  version=1, schema_id=1, line=index + 1))  # fmt: skip
        spool.close()

    # the bare prototype's work on the same decoded event (scripts/bench_peers.py)
    prototype = jsonschema_rs.validator_for(SCHEMA, validate_formats=True)
    assert prototype.is_valid(params_of(event))

    # decode and the validations whose ratio is taken are timed in turn, batch after batch, the
    # best of each kept: a slower spell of the shared machine then hits both sides alike
    # (timed one after the other, the decode alone moved 5.0 -> 8.9 us between runs)
    paired = {
        "decode_us": lambda: msgspec.json.decode(raw),
        "validate_us": lambda: service.validate(event, body_size=len(raw)),
        "prototype_validate_us": lambda: prototype.is_valid(params_of(event)),
        "stage_decode_us": lambda: decode_json(raw),
        "stage_validate_us": lambda: service.validate(event, body_size=len(raw), fresh=True),
    }
    best = dict.fromkeys(paired, float("inf"))
    for _ in range(15):
        for name, fn in paired.items():
            best[name] = min(best[name], timeit.timeit(fn, number=2_000) / 2_000 * 1e6)
    return {
        **best,
        "stage_split_us": per_call_us(split, 1) / 2_000,
        "stage_result_summary_us": per_call_us(result_and_summary, 1) / 2_000,
    }


# -- one round ------------------------------------------------------------------------------


def one_round(servers: dict[str, Server], ctx: dict[str, Any]) -> dict[str, Any]:
    body, seconds, lines = ctx["body_file"], ctx["seconds"], ctx["lines"]
    m: dict[str, Any] = {}
    for name, path in (
        ("echo", "/echo"), ("raw_echo", "/echo"), ("validate", "/validate"),
        ("validate_auth", "/validate"), ("hand", "/validate"), ("prototype", "/validate"),
    ):  # fmt: skip
        server = servers["project" if name == "validate" else name]
        m[f"http_{name}"] = wrk(server, path, body, seconds)
        print(f"  {name}: {m[f'http_{name}']['rps']:.0f} req/s", flush=True)
    for name in ("workers_1", "workers_2"):
        m[f"http_{name}"] = wrk(servers[name], "/validate", body, seconds, conns=8)
    m["batch_project"] = batch_rate(servers["project"], lines)
    m["batch_project_none"] = batch_rate(servers["project"], lines, "?results=none")
    m["batch_prototype"] = batch_rate(servers["prototype"], lines)
    m["batch_hand"] = batch_rate(servers["hand"], lines[: BATCH_EVENTS // 5])
    m["decode"] = decode_rate(lines)
    m["batch_peak_rss_mb"] = batch_peak_rss(ctx["tmp"], ctx["raw"])
    m |= in_process(ctx["raw"])
    m |= cli_times(ctx["tmp"], ctx["venv_python"], ctx["raw"], ctx["cli_runs"])
    print(f"  batch {m['batch_project']:.0f} ev/s, rss {m['batch_peak_rss_mb']:.0f} MB", flush=True)
    return m


def ratios(m: dict[str, Any]) -> dict[str, float]:
    rps = {k[5:]: v["rps"] for k, v in m.items() if k.startswith("http_")}
    return {
        "validate_vs_echo": rps["validate"] / rps["echo"],
        "validate_vs_raw_echo": rps["validate"] / rps["raw_echo"],
        "validate_vs_hand": rps["validate"] / rps["hand"],
        "auth_on_vs_off": rps["validate_auth"] / rps["validate"],
        "prototype_vs_echo": rps["prototype"] / rps["echo"],
        "prototype_vs_hand": rps["prototype"] / rps["hand"],
        "prototype_vs_raw_echo": rps["prototype"] / rps["raw_echo"],
        "batch_vs_decode": m["batch_project"] / m["decode"],
        "batch_vs_hand": m["batch_project"] / m["batch_hand"],
        "prototype_batch_vs_decode": m["batch_prototype"] / m["decode"],
        "prototype_batch_vs_hand": m["batch_prototype"] / m["batch_hand"],
        "batch_vs_prototype": m["batch_project"] / m["batch_prototype"],
        "workers_2_vs_1": rps["workers_2"] / rps["workers_1"],
        "cli_faster_than_check_jsonschema": m["check_jsonschema_s"] / m["cli_validate_s"],
        "in_process_vs_decode": m["validate_us"] / m["decode_us"],
        "prototype_in_process_vs_decode": m["prototype_validate_us"] / m["decode_us"],
    }


def median_of(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in rounds[0].items():
        if isinstance(value, dict):
            out[key] = {k: statistics.median(r[key][k] for r in rounds) for k in value}
        else:
            out[key] = statistics.median(r[key] for r in rounds)
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    for tool in ("wrk", "hyperfine"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (apt-get install -y {tool})")
    venv_python = peer_venv(Path(args.venv))
    with tempfile.TemporaryDirectory(prefix="event-registry-bench-") as name:
        tmp = Path(name)
        raw = msgspec.json.encode(order_event(3))
        body_file = tmp / "event.json"
        body_file.write_bytes(raw)
        schema_file = tmp / "schema.json"
        schema_file.write_text(json.dumps(SCHEMA))
        servers: dict[str, Server] = {}
        try:
            servers["project"] = project_server(tmp)
            servers["validate_auth"] = project_server(tmp, auth=True)
            servers["workers_1"] = project_server(tmp)
            servers["workers_2"] = project_server(tmp, workers=2)
            for kind in ("echo", "raw", "hand", "prototype"):
                servers["raw_echo" if kind == "raw" else kind] = peer_server(
                    venv_python, kind, schema_file
                )
            ctx = {
                "tmp": tmp, "raw": raw, "body_file": body_file, "seconds": args.seconds,
                "lines": [raw] * BATCH_EVENTS, "venv_python": venv_python,
                "cli_runs": args.cli_runs,
            }  # fmt: skip
            for server in servers.values():  # first sight compiles the schema: not measured
                path = "/echo" if server in (servers["echo"], servers["raw_echo"]) else "/validate"
                wrk(server, path, body_file, 1)
            rounds = []
            for n in range(args.rounds):
                print(f"round {n + 1} of {args.rounds}", flush=True)
                rounds.append(one_round(servers, ctx))
        finally:
            for server in servers.values():
                server.stop()
    per_round = [ratios(r) for r in rounds]
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "settings": {"rounds": args.rounds, "seconds": args.seconds, "connections": 4},
        "peer_packages": PEER_PACKAGES,
        "rounds": rounds,
        "ratios_per_round": per_round,
        "median": median_of(rounds),
        "ratios": median_of(per_round),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the hot paths against their peers.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="per wrk measure")
    parser.add_argument("--cli-runs", type=int, default=5)
    parser.add_argument("--venv", default=os.path.join(tempfile.gettempdir(), "er-bench-peers"))
    parser.add_argument("--out", default="benchmarks/results.json")
    parser.add_argument("--readme", help="regenerate this README's benchmark table")
    parser.add_argument("--table-from", help="only regenerate the table from this JSON file")
    args = parser.parse_args()
    if args.table_from:
        result = json.loads(Path(args.table_from).read_text())
    else:
        result = run(args)
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(render_table(result))
    if args.readme:
        update_readme(Path(args.readme), render_table(result))


if __name__ == "__main__":
    main()
