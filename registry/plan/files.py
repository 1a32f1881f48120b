"""The tracking-plan folder: one ``<escaped key>.json`` file per event type.

File format (every member but ``key`` optional; ``schema`` and ``params`` exclusive)::

    {"key": "orderCreated", "description": "...", "owner": "shop-team", "tags": ["shop"],
     "config": {"compatibility": "BACKWARD", "policy": "STRICT", "validationMode": "strict",
                "coerce": false, "envelope": {"keyValue": false}},
     "schema": {...JSON Schema...}  |  "params": [...param list...],
     "examples": [{"name": "paid", "payload": {...event...}, "expectValid": true,
                   "description": "..."}]}

The ``key`` inside the file is the source of truth; the file name is derived from it by
:func:`file_name_for` so any key round-trips through any file system:

* ASCII letters, digits, ``-`` and ``_`` are kept; so is ``.`` except as the first or last
  character (hidden files; Windows drops trailing dots).
* Every other character -- space, ``%``, ``#``, ``:``, ``*``, non-ASCII letters -- becomes ``%XX``
  per UTF-8 byte, upper-case hex (URL percent-encoding), e.g. ``order paid`` ->
  ``order%20paid.json``, ``заказ`` -> ``%D0%B7%D0%B0...json``.
* A name Windows reserves (``CON``, ``NUL``, ``COM1``...) gets its first letter encoded.

Two keys that differ only in letter case would collide on case-insensitive file systems (macOS,
Windows); writing such a pair is refused.

Files are written deterministically (sorted keys, examples sorted by name, 2-space indent,
UTF-8 without escaping, trailing newline), so ``pull`` after ``push`` reproduces the folder byte
for byte.
"""

from __future__ import annotations

import json
import string
import urllib.parse
from pathlib import Path
from typing import Any

import msgspec

from registry.core.config import TypeConfig
from registry.core.keys import registration_problem

__all__ = [
    "PlanEntry",
    "PlanError",
    "PlanExample",
    "file_name_for",
    "key_from_file_name",
    "read_plan",
    "render_entry",
    "write_plan",
]

_SAFE = frozenset(string.ascii_letters + string.digits + "-_.")
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)]
)
SUFFIX = ".json"


class PlanError(Exception):
    """The folder cannot be read or written as a tracking plan (a usage error, exit 2)."""


class PlanExample(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A named sample event and the verdict it must get."""

    name: str
    payload: Any
    expectValid: bool = True  # noqa: N815 -- the wire name, kept as is
    description: str = ""


class PlanEntry(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One event type of the plan, exactly as its file says."""

    key: str
    description: str = ""
    owner: str = ""
    tags: list[str] = []
    config: TypeConfig = TypeConfig()
    schema: dict[str, Any] | bool | None = None
    params: list[Any] | None = None
    examples: list[PlanExample] = []

    def body(self) -> dict[str, Any] | None:
        """``{"schema": ...}`` or ``{"params": ...}`` as the registry takes it, or None."""
        if self.params is not None:
            return {"params": self.params}
        if self.schema is not None:
            return {"schema": self.schema}
        return None


def file_name_for(key: str) -> str:
    """The file name of ``key`` (see the module docstring for the rule)."""
    last = len(key) - 1
    out = []
    for i, char in enumerate(key):
        keep = char in _SAFE and not (char == "." and i in (0, last))
        out.append(char if keep else "".join(f"%{b:02X}" for b in char.encode("utf-8")))
    name = "".join(out)
    if name.split(".")[0].upper() in _RESERVED:
        name = f"%{ord(name[0]):02X}{name[1:]}"
    return name + SUFFIX


def key_from_file_name(name: str) -> str:
    """Inverse of :func:`file_name_for`."""
    stem = name.removesuffix(SUFFIX)
    return urllib.parse.unquote(stem, errors="strict")


def render_entry(entry: PlanEntry) -> str:
    """The canonical file text of ``entry``: sorted keys, 2-space indent, trailing newline."""
    document: dict[str, Any] = {
        "key": entry.key,
        "description": entry.description,
        "owner": entry.owner,
        "tags": entry.tags,
        "config": msgspec.to_builtins(entry.config),
        "examples": [msgspec.to_builtins(e) for e in sorted(entry.examples, key=_name)],
    }
    if entry.params is not None:
        document["params"] = entry.params
    elif entry.schema is not None:
        document["schema"] = entry.schema
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _name(example: PlanExample) -> str:
    return example.name


def _decode(path: Path) -> PlanEntry:
    try:
        entry = msgspec.json.decode(path.read_bytes(), type=PlanEntry)
    except OSError as exc:
        raise PlanError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except msgspec.ValidationError as exc:
        _check_config_members(path)
        raise PlanError(f"{path}: {exc}") from exc
    except msgspec.DecodeError as exc:
        raise PlanError(f"{path} is not valid JSON: {exc}") from exc
    problem = registration_problem(entry.key)
    if problem is not None:
        raise PlanError(f"{path}: {problem[0]}")
    if entry.schema is not None and entry.params is not None:
        raise PlanError(f"{path}: give either 'schema' or 'params', not both")
    return entry


def _check_config_members(path: Path) -> None:
    """TypeConfig refuses unknown members; name every one of them, and the known ones."""
    document = msgspec.json.decode(path.read_bytes())
    config = (document.get("config") if isinstance(document, dict) else None) or {}
    known = {f.encode_name for f in msgspec.structs.fields(TypeConfig)}
    unknown = sorted(set(config) - known) if isinstance(config, dict) else []
    if unknown:
        raise PlanError(f"{path}: unknown config member(s) {unknown}; known: {sorted(known)}")


def read_plan(directory: Path) -> tuple[list[PlanEntry], list[str]]:
    """Every ``*.json`` file of ``directory``, ordered by key, and warnings about file names.

    Raises:
        PlanError: a missing folder, an unreadable or malformed file, a duplicate key.
    """
    if not directory.is_dir():
        raise PlanError(f"{directory} is not a folder")
    entries: dict[str, PlanEntry] = {}
    warnings = []
    for path in sorted(directory.glob("*" + SUFFIX)):
        entry = _decode(path)
        if entry.key in entries:
            raise PlanError(f"{path}: key {entry.key!r} is defined by two files")
        entries[entry.key] = entry
        if path.name != file_name_for(entry.key):
            warnings.append(
                f"{path.name}: holds key {entry.key!r}, whose file name is "
                f"{file_name_for(entry.key)!r} (the key inside the file wins)"
            )
    return [entries[k] for k in sorted(entries)], warnings


def write_plan(directory: Path, entries: list[PlanEntry]) -> list[Path]:
    """Write one canonical file per entry; refuses names equal but for letter case."""
    names: dict[str, str] = {}
    for entry in entries:
        folded = file_name_for(entry.key).casefold()
        if folded in names:
            raise PlanError(
                f"keys {names[folded]!r} and {entry.key!r} differ only in letter case; their "
                "files would collide on a case-insensitive file system"
            )
        names[folded] = entry.key
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in entries:
        path = directory / file_name_for(entry.key)
        path.write_text(render_entry(entry), encoding="utf-8", newline="\n")
        written.append(path)
    return written
