"""The ``event-registry`` console script (and ``python -m registry``).

Start-up is mostly imports, and they build tens of thousands of objects that live as long as the
process (modules, classes, functions), none of them garbage: the cyclic collector would only walk
them again and again. So the imports (click, the command's own module) run with the collector
off, ``gc.freeze()`` then moves what they made out of its sight, and the command runs with it on.
"""

from __future__ import annotations

import gc
import importlib
import sys


def run() -> None:
    gc.disable()
    try:
        from registry.cli import LAZY_COMMANDS, main

        lazy = LAZY_COMMANDS.get(sys.argv[1]) if len(sys.argv) > 1 else None
        if lazy is not None:  # what the group would import on dispatch, imported here
            importlib.import_module(lazy.module)
    finally:
        gc.freeze()
        gc.enable()
    main(prog_name="event-registry")


if __name__ == "__main__":
    run()
