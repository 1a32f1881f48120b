"""How a setting is named in the environment: ``EVENT_REGISTRY_<FIELD>``.

Apart from :mod:`registry.settings` (which re-exports it) so the CLI can name the variables in
its option help without importing the settings and the core they load (a fast start).
"""

from __future__ import annotations

ENV_PREFIX = "EVENT_REGISTRY_"


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()
