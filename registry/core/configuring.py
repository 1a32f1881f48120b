"""The configuration use cases of :class:`~registry.core.service.RegistryService` (a mixin,
like ``trail.py``): the global settings, a type's own settings, and the two resolved into what
is in effect (the type's own over the global ones over the built-in defaults)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from registry.core import audit
from registry.core.audit import SYSTEM, Actor
from registry.core.config import EffectiveConfig, TypeConfig, resolve

if TYPE_CHECKING:
    from registry.core.model import EventType
    from registry.core.ports import SchemaStore


class ConfigCases:
    """Mixed into RegistryService, which provides ``_store``, ``_clock``, ``_audit``, ``_live``
    and ``get_event_type``."""

    _store: SchemaStore
    _clock: Any

    if TYPE_CHECKING:  # provided by RegistryService and its other mixins

        def _audit(self, actor: Actor, action: audit.Action, **what: Any) -> audit.AuditEntry: ...
        def _live(self, key: str) -> EventType: ...
        def get_event_type(self, *, key: str, include_deleted: bool = False) -> EventType: ...

    def global_config(self) -> TypeConfig:
        return self._store.get_global_config()

    def set_global_config(self, *, config: TypeConfig, actor: Actor = SYSTEM) -> TypeConfig:
        record = self._audit(
            actor,
            "config.global",
            before=audit.config_fields(self._store.get_global_config()),
            after=audit.config_fields(config),
        )
        return self._store.put_global_config(config=config, audit=record)

    def config_view(self, *, key: str | None = None) -> tuple[TypeConfig, EffectiveConfig]:
        """Settings as set and as in effect: the global ones (``key`` None) or a live type's."""
        global_config = self._store.get_global_config()
        if key is None:
            return global_config, resolve(global_config)
        own = self.get_event_type(key=key).config
        return own, resolve(global_config, own)

    def effective_config(self, *, key: str) -> EffectiveConfig:
        """The type's own settings over the global ones over the built-in defaults."""
        own = self.get_event_type(key=key, include_deleted=True).config
        return resolve(self._store.get_global_config(), own)

    def set_type_config(
        self, *, key: str, config: TypeConfig | None, actor: Actor = SYSTEM
    ) -> EventType:
        """Replace the type's own settings; None deletes them (fall back to global)."""
        current = self._live(key)
        changed = msgspec.structs.replace(
            current, config=config or TypeConfig(), updated_at=self._clock()
        )
        record = self._audit(
            actor,
            "config.type",
            key=key,
            before=audit.config_fields(current.config),
            after=audit.config_fields(changed.config),
        )
        return self._store.save_event_type(event_type=changed, audit=record)
