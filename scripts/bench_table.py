"""The README table of scripts/benchmark.py, rendered from its JSON file (never typed by hand)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

START, END = "<!-- benchmark-table:start -->", "<!-- benchmark-table:end -->"


def _rps(m: dict[str, Any], key: str) -> str:
    return f"{m[key]['rps']:,.0f} req/s, p99 {m[key]['p99_ms']:.1f} ms"


def _proto(r: dict[str, Any], key: str) -> str:
    """The prototype's ratio for a row (results written before it was measured have none)."""
    return f"{r[key]:.2f}×" if key in r else "—"


def _row(
    measure: str, ours: str, peer: str, ratio: float, target: str, ok: bool | None, proto: str = "—"
) -> str:
    met = "—" if ok is None else "yes" if ok else "no"
    return f"| {measure} | {ours} | {peer} | {ratio:.2f}× | {target} | {proto} | {met} |"


def rows(result: dict[str, Any]) -> list[str]:
    m, r = result["median"], result["ratios"]
    out = [
        _row("`POST /validate`, valid 3-item order", _rps(m, "http_validate"),
             "bare litestar echo: " + _rps(m, "http_echo"), r["validate_vs_echo"], "≥ 0.9×",
             r["validate_vs_echo"] >= 0.9, f"{r['prototype_vs_echo']:.2f}×"),
        _row("`POST /validate`", _rps(m, "http_validate"),
             "raw-ASGI echo: " + _rps(m, "http_raw_echo"), r["validate_vs_raw_echo"], "≥ 0.4×",
             r["validate_vs_raw_echo"] >= 0.4, _proto(r, "prototype_vs_raw_echo")),
        _row("`POST /validate`", _rps(m, "http_validate"),
             "hand-written litestar + jsonschema: " + _rps(m, "http_hand"),
             r["validate_vs_hand"], "≥ 2.5×", r["validate_vs_hand"] >= 2.5,
             f"{r['prototype_vs_hand']:.2f}×"),
    ]  # fmt: skip
    if "http_validate_auth" in m:
        out.append(
            _row("`POST /validate`, auth on (bearer token)", _rps(m, "http_validate_auth"),
                 "auth off: " + _rps(m, "http_validate"), r["auth_on_vs_off"], "—", None)
        )  # fmt: skip
    out += [
        _row("`/validate/batch`, 10k NDJSON", f"{m['batch_project']:,.0f} ev/s",
             f"msgspec decode of the same lines: {m['decode']:,.0f} ev/s",
             r["batch_vs_decode"], "≥ 0.6×", r["batch_vs_decode"] >= 0.6,
             f"{r['prototype_batch_vs_decode']:.2f}×"),
        _row("`/validate/batch`", f"{m['batch_project']:,.0f} ev/s",
             f"hand-written jsonschema batch: {m['batch_hand']:,.0f} ev/s",
             r["batch_vs_hand"], "≥ 25×", r["batch_vs_hand"] >= 25,
             f"{r['prototype_batch_vs_hand']:.1f}×"),
        f"| batch peak RSS, 100k events, `results=all` | {m['batch_peak_rss_mb']:.0f} MB | — | — "
        f"| ≤ 150 MB | — | {'yes' if m['batch_peak_rss_mb'] <= 150 else 'no'} |",
        _row("`serve --workers 2`, `POST /validate`, 8 connections",
             _rps(m, "http_workers_2"), "1 worker: " + _rps(m, "http_workers_1"),
             r["workers_2_vs_1"], "≥ 1.3×", r["workers_2_vs_1"] >= 1.3),
        _row("`event-registry validate --schemas DIR`, 2,000 events (whole process)",
             f"{m['cli_validate_s']:.2f} s", f"`check-jsonschema`: {m['check_jsonschema_s']:.2f} s",
             r["cli_faster_than_check_jsonschema"], "≥ 6× faster",
             r["cli_faster_than_check_jsonschema"] >= 6),
        f"| `event-registry --help` (whole process) | {m['cli_help_s']:.2f} s | — | — | — | — "
        "| — |",
        _row("in-process validate vs decode (3-item order, µs)",
             f"{m['validate_us']:.1f} µs", f"msgspec decode: {m['decode_us']:.1f} µs",
             r["in_process_vs_decode"], "≤ 1.5×", r["in_process_vs_decode"] <= 1.5,
             _proto(r, "prototype_in_process_vs_decode")),
    ]  # fmt: skip
    return out


def stages(result: dict[str, Any]) -> str:
    """Where a batch event's time goes in-process (median µs per event)."""
    m = result["median"]
    parts = {
        "split (NDJSON, 256 KiB slices)": m["stage_split_us"],
        "decode (msgspec)": m["stage_decode_us"],
        "validate (envelope + params + one jsonschema-rs is_valid)": m["stage_validate_us"],
        "result + summary (encode into the spool)": m["stage_result_summary_us"],
    }
    total = sum(parts.values())
    lines = ["| stage | µs per event | share |", "|---|---|---|"]
    lines += [f"| {k} | {v:.1f} | {v / total:.0%} |" for k, v in parts.items()]
    lines.append(f"| total in-process | {total:.1f} | {1e6 / total:,.0f} ev/s |")
    return "\n".join(lines)


def render_table(result: dict[str, Any]) -> str:
    s = result["settings"]
    load = ", ".join(f"{x:.1f}" for x in result["machine"]["load_average"])
    head = (
        f"Median of {s['rounds']} interleaved rounds, {result['when']}, "
        f"{result['machine']['cpus']} cores (load average at the end {load}; the machine is "
        f"shared, so trust the ratios, not the absolute numbers). wrk: {s['seconds']:g} s per "
        f"measure, {s['connections']} connections. The prototype column is the bare "
        "litestar + msgspec + jsonschema-rs path measured in the same run.\n\n"
        "| measure | project | peer / floor | ratio | target | prototype | met |\n"
        "|---|---|---|---|---|---|---|"
    )
    breakdown = "\n\nThe batch path in-process, per valid event:\n\n" + stages(result)
    return "\n".join([head, *rows(result)]) + breakdown


def update_readme(readme: Path, table: str) -> None:
    text = readme.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    readme.write_text(f"{before}{START}\n{table}\n{END}{after}", encoding="utf-8")
