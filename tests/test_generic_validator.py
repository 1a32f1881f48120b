"""A generic JSON Schema tool pointed at the registry: ``check-jsonschema --schemafile <URL>``.

A real ``serve`` on 127.0.0.1 (the ``base_url`` fixture of tests/test_e2e_server.py) and the real
check-jsonschema CLI from PyPI, run as a subprocess with its cache in a temporary folder
(``XDG_CACHE_HOME``). Its cache compares the cache file's mtime with ``Last-Modified`` in whole
seconds, so the revalidation test waits more than a second before registering the new version.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.test_e2e_server import base_url  # noqa: F401  (the real-server fixture)

CHECK = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
pytestmark = pytest.mark.skipif(not Path(CHECK).exists(), reason="check-jsonschema not installed")

OPEN = {"type": "object", "properties": {"email": {"type": "string"}, "plan": {"type": "string"}}}
NEEDS_EMAIL = {**OPEN, "required": ["email"]}


def check(
    url: str, instance: dict[str, object], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    file = tmp_path / "instance.json"
    file.write_text(httpx.Response(200, json=instance).text)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    return subprocess.run(
        [CHECK, "--schemafile", url, str(file)],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip


def _signup(api: httpx.Client, schema: dict[str, object]) -> None:
    assert api.post("/event-types", json={"key": "signup"}).status_code == 201
    assert api.put("/event-types/signup/config", json={"compatibility": "NONE"}).status_code == 200
    assert api.post("/event-types/signup/versions", json={"schema": schema}).status_code == 201


def test_the_recommended_url_fails_an_invalid_instance(base_url: str, tmp_path: Path) -> None:  # noqa: F811
    with httpx.Client(base_url=base_url, timeout=10) as api:
        _signup(api, NEEDS_EMAIL)
        schema_id = api.get("/event-types/signup/versions/latest").json()["schemaId"]
    latest = f"{base_url}/event-types/signup/versions/latest/schema"
    bad = check(latest, {"plan": "pro"}, tmp_path)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "'email' is a required property" in bad.stdout + bad.stderr
    assert check(latest, {"email": "a@example.org"}, tmp_path).returncode == 0
    by_id = check(f"{base_url}/schemas/{schema_id}/schema", {"plan": "pro"}, tmp_path)
    assert by_id.returncode == 1, by_id.stdout + by_id.stderr
    # the envelope at /schemas/{id} is not a schema of the instance: it fools a generic tool
    assert check(f"{base_url}/schemas/{schema_id}", {"plan": "pro"}, tmp_path).returncode == 0


def test_its_cache_revalidates_latest_after_a_new_version(base_url: str, tmp_path: Path) -> None:  # noqa: F811
    latest = f"{base_url}/event-types/signup/versions/latest/schema"
    with httpx.Client(base_url=base_url, timeout=10) as api:
        _signup(api, OPEN)
        first = check(latest, {"plan": "pro"}, tmp_path)
        assert first.returncode == 0, first.stdout + first.stderr
        assert list((tmp_path / "cache").rglob("*")), "check-jsonschema cached nothing"
        again = check(latest, {"plan": "pro"}, tmp_path)
        assert again.returncode == 0  # a cache hit: nothing changed
        time.sleep(1.2)  # its cache compares whole seconds of the file's mtime
        assert (
            api.post("/event-types/signup/versions", json={"schema": NEEDS_EMAIL}).status_code
            == 201
        )
    after = check(latest, {"plan": "pro"}, tmp_path)
    assert after.returncode == 1, after.stdout + after.stderr
    assert "'email' is a required property" in after.stdout + after.stderr


def test_the_readme_command_runs_as_written(base_url: str, tmp_path: Path) -> None:  # noqa: F811
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    [line] = [x for x in readme.splitlines() if x.startswith("check-jsonschema --schemafile")]
    args = line.replace("http://localhost:8080", base_url).split()[1:]
    (tmp_path / "params.json").write_text('{"externalOrderId": "SO-1", "totalCost": "ten"}')
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    ran = subprocess.run(
        [CHECK, *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
        check=False,
    )  # fmt: skip
    assert ran.returncode == 1, ran.stdout + ran.stderr  # the seeded catalog's orderCreated
    assert "'status' is a required property" in ran.stdout + ran.stderr
