"""Finding and reading the catalog folder (file I/O; the seeding rules live in core/catalog.py).

The catalog ships in two places: ``schemas/`` at the top of a source checkout (also what an
editable install sees), and ``<prefix>/share/event-registry/schemas/`` where ``pip install .``
puts the same files (``[tool.setuptools.data-files]`` in pyproject.toml).
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

from registry.core.catalog import CatalogEntry, parse_entry
from registry.core.errors import CatalogInvalid

INSTALLED = Path("share") / "event-registry" / "schemas"


CHECKOUT = Path(__file__).resolve().parent.parent / "schemas"


def candidate_dirs(
    prefixes: list[Path] | None = None, *, checkout: Path | None = CHECKOUT
) -> list[Path]:
    """Where a catalog may be, in order: the source checkout, then installed data prefixes."""
    if prefixes is None:
        prefixes = [Path(sysconfig.get_path("data")), Path(sys.prefix), Path(sys.base_prefix)]
    return [*([checkout] if checkout else []), *(prefix / INSTALLED for prefix in prefixes)]


def find_catalog(
    explicit: str = "", *, prefixes: list[Path] | None = None, checkout: Path | None = CHECKOUT
) -> Path:
    """The catalog folder: ``explicit`` if given, else the first candidate that exists."""
    if explicit:
        path = Path(explicit)
        if not path.is_dir():
            raise CatalogInvalid(explicit, "not a directory")
        if not any(path.glob("*/*.json")):
            raise CatalogInvalid(
                explicit,
                "no <group>/<key>.json files: a catalog folder holds one subfolder per group "
                "(ecommerce/, mobile/, ...) with one JSON file per event type",
            )
        return path
    for path in candidate_dirs(prefixes, checkout=checkout):
        if path.is_dir() and any(path.glob("*/*.json")):
            return path
    raise CatalogInvalid("schemas/", "the built-in catalog is not installed")


def load_catalog(root: Path) -> list[CatalogEntry]:
    """Every ``<group>/<key>.json`` under ``root``, ordered by group then key."""
    files = sorted(root.glob("*/*.json"))
    return [
        parse_entry(path.read_bytes(), relative=path.relative_to(root).as_posix()) for path in files
    ]
