"""/ui serves the web page and its files from the package: same origin, no CDN, strict CSP,
revalidated caching; anything else under /ui is a 404 problem."""

from __future__ import annotations

import re
from typing import Any

import pytest

from registry.api.ui import CSP
from registry.ui import static_files

FILES = static_files()
IMPORT = re.compile(r'^import .* from "\./([a-z]+\.js)";$', re.M)
LINKED = re.compile(r'(?:src|href)="([^"#]+)"')


def test_the_page_is_served_with_a_strict_policy(client: Any) -> None:
    page = client.get("/ui")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-security-policy"] == CSP
    assert CSP.startswith("default-src 'self'; script-src 'self'; style-src 'self';")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-cache"
    assert "set-cookie" not in page.headers
    assert client.get("/ui/").content == page.content


def test_every_file_the_page_loads_is_ours_and_served(client: Any) -> None:
    """Follows index.html's links and every module's imports: all on this origin, all present."""
    html = FILES["index.html"][0].decode()
    wanted = LINKED.findall(html)
    assert wanted == ["/ui/app.css", "/ui/icon.svg", "/ui/app.js"]
    seen: set[str] = set()
    while wanted:
        path = wanted.pop()
        name = path.removeprefix("/ui/")
        if name in seen:
            continue
        seen.add(name)
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.content == FILES[name][0]
        if name.endswith(".js"):
            assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
            wanted += [f"/ui/{imported}" for imported in IMPORT.findall(answer.text)]
    assert seen | {"index.html"} == set(FILES), "every shipped file is used, every used one shipped"
    for body, _ in FILES.values():
        assert not re.search(rb"https?://(?!www\.w3\.org/2000/svg)", body), "no external URL"


def test_a_known_etag_is_answered_304(client: Any) -> None:
    first = client.get("/ui/app.js")
    again = client.get("/ui/app.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert client.head("/ui/app.css").status_code == 200


@pytest.mark.parametrize("path", ["/ui/nope.js", "/ui/..%2fapp.py", "/ui/__init__.py"])
def test_anything_else_under_ui_is_a_404_problem(client: Any, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "not_found"


def test_the_ui_is_not_part_of_the_api_contract(client: Any) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/ui")]
