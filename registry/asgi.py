"""Entry point for ASGI servers that import an app factory (uvicorn --factory): the served
app, with the Host allow-list."""

from __future__ import annotations

import os

from litestar import Litestar

from registry.app import create_app
from registry.settings import load_settings


def app_factory() -> Litestar:
    return create_app(load_settings(os.environ), served=True)
