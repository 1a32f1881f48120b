"""Build seeded-main-0360f09.sqlite: a database seeded with the catalog as main shipped it.

Run with an older checkout's code and catalog (here main at 0360f09, exported with
``git archive 0360f09 | tar -x -C /tmp/mainsnap``)::

    python tests/data/catalog/build_fixture.py /tmp/mainsnap out.sqlite

After seeding, a user changes two types (the upgrade must leave them alone): a version of their
own for ApplicationInstalled and an example of their own for ApplicationUpdated.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

OCCURRED = "2024-11-02T09:15:00.123Z"
PARAMS = [("versionName", "3.0"), ("build", "300"), ("previousVersion", "2.9"),
          ("previousBuild", "290")]  # fmt: skip


def main(snapshot: Path, out: Path) -> None:
    sys.path.insert(0, str(snapshot))
    files = importlib.import_module("registry.catalog_files")
    catalog = importlib.import_module("registry.core.catalog")
    service_module = importlib.import_module("registry.core.service")
    sqlite = importlib.import_module("registry.store.sqlite")
    assert files.__file__.startswith(str(snapshot)), files.__file__
    out.unlink(missing_ok=True)
    store = sqlite.SqliteStore(str(out))
    service = service_module.RegistryService(store)
    catalog.CatalogSeeder(service).seed(files.load_catalog(snapshot / "schemas"))
    installed = service.get_version(key="ApplicationInstalled", version="latest").schema
    mine = {**installed, "description": "Our team: install event, as our Android app sends it."}
    service.register_version(key="ApplicationInstalled", schema=mine)
    service.put_example(
        key="ApplicationUpdated", name="our-release", expect_valid=True,
        description="Our own example.",
        payload={"eventTypeKey": "ApplicationUpdated", "occurred": OCCURRED,
                 "params": [{"name": n, "value": v} for n, v in PARAMS]},
    )  # fmt: skip
    store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
