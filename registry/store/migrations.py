"""Versioned SQLite schema migrations (sqlite-utils Migrations), applied on every start.

Append a new function for every change; never edit an applied one. Names sort in order.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.db import Database

MIGRATIONS = sqlite_utils.Migrations("event_registry")


@MIGRATIONS(name="0001_initial")
def _initial(db: Database) -> None:
    db.execute(
        """CREATE TABLE event_types (
            key TEXT PRIMARY KEY,
            description TEXT NOT NULL DEFAULT '',
            owner TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE schemas (
            schema_id INTEGER PRIMARY KEY AUTOINCREMENT,
            fingerprint TEXT NOT NULL UNIQUE,
            schema TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE versions (
            key TEXT NOT NULL REFERENCES event_types(key) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            schema_id INTEGER NOT NULL REFERENCES schemas(schema_id),
            params TEXT,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'active',
            PRIMARY KEY (key, version)
        )"""
    )
    db.execute("CREATE INDEX versions_schema ON versions(schema_id)")


@MIGRATIONS(name="0002_config_lifecycle_examples")
def _config_lifecycle_examples(db: Database) -> None:
    db.execute("ALTER TABLE event_types ADD COLUMN config TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE versions ADD COLUMN sunset TEXT")
    db.execute("ALTER TABLE versions ADD COLUMN note TEXT")
    db.execute(
        """CREATE TABLE global_config (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            config TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE examples (
            key TEXT NOT NULL REFERENCES event_types(key) ON DELETE CASCADE,
            name TEXT NOT NULL,
            payload TEXT NOT NULL,
            expect_valid INTEGER NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            PRIMARY KEY (key, name)
        )"""
    )


@MIGRATIONS(name="0003_inspection")
def _inspection(db: Database) -> None:
    """The inspection log (registry/store/inspection_sqlite.py): entries plus one row per
    violation, so filters and summaries by code/param run on indexes."""
    db.execute(
        """CREATE TABLE inspection_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            received_at TEXT NOT NULL,
            run_id TEXT,
            format TEXT NOT NULL,
            request_id TEXT NOT NULL,
            idx INTEGER NOT NULL DEFAULT 0,
            event_type_key TEXT,
            valid INTEGER NOT NULL,
            http_status INTEGER,
            status TEXT,
            payload TEXT NOT NULL,
            report TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX inspection_run ON inspection_events(run_id, id)")
    db.execute("CREATE INDEX inspection_received ON inspection_events(received_at)")
    db.execute("CREATE INDEX inspection_type ON inspection_events(event_type_key, id)")
    db.execute(
        """CREATE TABLE inspection_violations (
            event_id INTEGER NOT NULL REFERENCES inspection_events(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            severity TEXT NOT NULL,
            param TEXT
        )"""
    )
    db.execute("CREATE INDEX inspection_violations_code ON inspection_violations(code, event_id)")
    db.execute("CREATE INDEX inspection_violations_event ON inspection_violations(event_id)")


@MIGRATIONS(name="0004_fingerprint_unique")
def _fingerprint_unique(db: Database) -> None:
    """A type holds each content (fingerprint, i.e. schema id) once, enforced by an index.

    Releases before this one could register identical content twice under a race. Those later
    duplicates are merged into the first version holding the content: they keep their number
    (clients may have pinned it) and stay readable, but ``duplicate_of`` names the original,
    the unique index ignores them, and registrations return the original. ``migrate`` lists
    them (``SqliteStore.duplicate_versions``).
    """
    db.execute("ALTER TABLE versions ADD COLUMN duplicate_of INTEGER")
    db.execute(
        """UPDATE versions SET duplicate_of = (
               SELECT MIN(first.version) FROM versions first
               WHERE first.key = versions.key AND first.schema_id = versions.schema_id)
           WHERE version > (
               SELECT MIN(first.version) FROM versions first
               WHERE first.key = versions.key AND first.schema_id = versions.schema_id)"""
    )
    db.execute(
        """CREATE UNIQUE INDEX versions_content_unique ON versions(key, schema_id)
           WHERE duplicate_of IS NULL"""
    )


@MIGRATIONS(name="0005_tokens")
def _tokens(db: Database) -> None:
    """API tokens (registry/store/tokens_sqlite.py), stored by the SHA-256 of their secret
    only, and the token that recorded each inspected event (a ``validate`` token sees its own
    runs)."""
    db.execute(
        """CREATE TABLE tokens (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            scope TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            creator TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT,
            last_used_at TEXT,
            revoked_at TEXT,
            key_prefixes TEXT NOT NULL DEFAULT '[]',
            tags TEXT NOT NULL DEFAULT '[]'
        )"""
    )
    db.execute("ALTER TABLE inspection_events ADD COLUMN recorded_by TEXT")
    db.execute("CREATE INDEX inspection_recorded_by ON inspection_events(recorded_by, id)")


@MIGRATIONS(name="0006_audit")
def _audit(db: Database) -> None:
    """The audit trail (no foreign keys: entries outlive what they describe), and the keyed
    hashes of contact identifiers that let one contact's recorded events be erased although
    their values are stored masked."""
    db.execute(
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            address TEXT NOT NULL DEFAULT '',
            action TEXT NOT NULL,
            key TEXT,
            version INTEGER,
            name TEXT,
            changes TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute("CREATE INDEX audit_key ON audit(key, id)")
    db.execute("CREATE INDEX audit_actor ON audit(actor, id)")
    db.execute("CREATE INDEX audit_at ON audit(at)")
    db.execute("CREATE INDEX audit_action ON audit(action, key, version)")
    db.execute(
        """CREATE TABLE inspection_contacts (
            event_id INTEGER NOT NULL REFERENCES inspection_events(id) ON DELETE CASCADE,
            contact TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX inspection_contacts_contact ON inspection_contacts(contact)")
    db.execute("CREATE INDEX inspection_contacts_event ON inspection_contacts(event_id)")
    db.execute(
        """CREATE TABLE inspection_secret (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            secret TEXT NOT NULL
        )"""
    )


@MIGRATIONS(name="0007_catalog_owned")
def _catalog_owned(db: Database) -> None:
    """When each served representation last changed (``Last-Modified``, api/caching.py).

    The name was assigned with the catalog upgrade path (issue 9); that path turned out to need
    no table (catalog files carry the fingerprints they supersede), the representation clock did.
    """
    db.execute(
        """CREATE TABLE representations (
            url TEXT PRIMARY KEY,
            etag TEXT NOT NULL,
            modified_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX representations_modified ON representations(modified_at)")


@MIGRATIONS(name="0008_traffic")
def _traffic(db: Database) -> None:
    """The user agent of each recorded event, so the traffic report can split by client (the
    envelope format is already in ``format``)."""
    db.execute("ALTER TABLE inspection_events ADD COLUMN user_agent TEXT")


@MIGRATIONS(name="0009_references")
def _references(db: Database) -> None:
    """Schema references (core/references.py): belong to the content, so they live with the
    schema id. ``refs`` is the declared list as JSON (NULL: none), ``resolved`` the
    self-contained form; ``schema_references`` indexes who references which version (the
    ``referencedby`` reads and the purge protection)."""
    db.execute("ALTER TABLE schemas ADD COLUMN refs TEXT")
    db.execute("ALTER TABLE schemas ADD COLUMN resolved TEXT")
    db.execute(
        """CREATE TABLE schema_references (
            schema_id INTEGER NOT NULL REFERENCES schemas(schema_id),
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (schema_id, position)
        )"""
    )
    db.execute("CREATE INDEX schema_references_target ON schema_references(key, version)")
