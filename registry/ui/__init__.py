"""The web UI's files (plain JavaScript, CSS and HTML of our own), installed as package data.

``registry/api/ui.py`` serves them at ``/ui``; nothing here imports the web framework.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

MEDIA_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
}
"""The only kinds of file the UI ships; anything else in the folder is not served."""


def static_files() -> dict[str, tuple[bytes, str]]:
    """Every asset by file name: its bytes and media type."""
    folder: Traversable = files(__name__) / "static"
    found: dict[str, tuple[bytes, str]] = {}
    for item in folder.iterdir():
        suffix = "." + item.name.rpartition(".")[2]
        if item.is_file() and suffix in MEDIA_TYPES:
            found[item.name] = (item.read_bytes(), MEDIA_TYPES[suffix])
    return found
