"""The inspection-log use cases of :class:`~registry.core.dryrun.DryRunService` (a mixin, as
``trail.py`` is for the registry service): query and summarise what was recorded, reset a run,
erase a contact, apply the retention policy, count the log."""

from __future__ import annotations

from collections.abc import Callable

from registry.core.errors import InvalidRequest
from registry.core.inspection import (
    InspectionPage,
    InspectionQuery,
    InspectionSummary,
    RetentionPolicy,
    check_run_id,
    contact_hash,
    cutoff,
    normalise_since,
    parse_cursor,
)
from registry.core.ports import InspectionLog


class InspectionCases:
    """Mixed into DryRunService, which provides ``_log``, ``_clock``, ``_retention`` and the
    lazily read ``_secret`` (the log's contact-hash key)."""

    _log: InspectionLog
    _clock: Callable[[], str]
    _retention: RetentionPolicy
    _secret: bytes | None

    def query(
        self,
        *,
        run_id: str | None = None,
        event_type_key: str | None = None,
        valid: bool | None = None,
        code: str | None = None,
        since: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
        recorded_by: str | None = None,
    ) -> InspectionPage:
        """``recorded_by`` (a token id) limits the answer to what that token recorded."""
        return self._log.query(
            query=InspectionQuery(
                run_id=check_run_id(run_id),
                event_type_key=event_type_key,
                valid=valid,
                code=code,
                since=normalise_since(since),
                before_id=parse_cursor(cursor),
                limit=limit,
                recorded_by=recorded_by,
            )
        )

    def summary(self, *, run_id: str | None, recorded_by: str | None = None) -> InspectionSummary:
        return self._log.summary(run_id=check_run_id(run_id), recorded_by=recorded_by)

    def erase_contact(self, *, contact: str) -> int:
        """Delete every recorded event naming ``contact`` (by keyValue or any contact alias),
        however it was masked; other contacts' events stay. Returns how many went."""
        if not contact.strip():
            raise InvalidRequest("name the contact to erase", pointer="contact")
        if self._secret is None:
            self._secret = self._log.secret()
        return self._log.delete_contact(contact=contact_hash(self._secret, contact))

    def reset(
        self,
        *,
        run_id: str | None,
        everything: bool = False,
        contact: str | None = None,
        recorded_by: str | None = None,
    ) -> int:
        """Delete one run's entries; deleting all of them needs ``everything`` (no accidents).
        With ``recorded_by`` only that token's entries go.

        With ``contact``, erase that contact's events instead (a privacy request; the caller
        checks it is an admin's)."""
        if contact is not None:
            if run_id is not None or everything:
                raise InvalidRequest("erase a contact on its own, without runId or all")
            return self.erase_contact(contact=contact)
        run_id = check_run_id(run_id)
        if run_id is None and not everything:
            raise InvalidRequest("name a runId, or pass all=true to delete every recorded event")
        return self._log.delete(run_id=run_id, recorded_by=recorded_by)

    def inspection_size(self) -> int:
        """How many recorded events the inspection log holds."""
        return self._log.count()

    def purge(self) -> int:
        """Apply the retention policy now; returns how many entries were deleted."""
        return self._log.purge(
            received_before=cutoff(self._clock(), self._retention),
            keep_newest=self._retention.max_events,
        )
