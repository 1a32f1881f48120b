"""Versioned PostgreSQL schema migrations, applied on every start (like ``store/migrations.py``).

Append a new entry for every change; never edit an applied one. Names sort in order. The
pending ones run in one transaction under an advisory lock, so replicas starting together apply
each once (and a failed start applies none). Table ``event_registry_migrations`` records what
was applied.

The JSON documents (schemas, params, payloads, reports) are ``text``, not ``jsonb``: a stored
schema must come back byte for byte (jsonb reorders keys and drops duplicates). Keys and names
sort with ``COLLATE "C"`` (code points, as on SQLite) whatever the database's locale, so keyset
pagination gives the same pages on both stores.
"""

from __future__ import annotations

from typing import Any

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_initial",
        """
        CREATE TABLE event_types (
            key text COLLATE "C" PRIMARY KEY,
            description text NOT NULL DEFAULT '',
            owner text NOT NULL DEFAULT '',
            tags jsonb NOT NULL DEFAULT '[]',
            created_at text NOT NULL,
            updated_at text NOT NULL,
            deleted_at text,
            config text NOT NULL DEFAULT '{}'
        );
        CREATE INDEX event_types_tags ON event_types USING gin (tags);
        CREATE TABLE schemas (
            schema_id bigserial PRIMARY KEY,
            fingerprint text NOT NULL UNIQUE,
            schema text NOT NULL
        );
        CREATE TABLE versions (
            key text COLLATE "C" NOT NULL REFERENCES event_types(key) ON DELETE CASCADE,
            version bigint NOT NULL CHECK (version > 0),
            schema_id bigint NOT NULL REFERENCES schemas(schema_id),
            params text,
            created_at text NOT NULL,
            state text NOT NULL DEFAULT 'active',
            sunset text,
            note text,
            PRIMARY KEY (key, version),
            CONSTRAINT versions_content_unique UNIQUE (key, schema_id)
        );
        CREATE INDEX versions_schema ON versions(schema_id);
        CREATE INDEX versions_sunset ON versions(sunset) WHERE state = 'deprecated';
        CREATE TABLE global_config (
            id integer PRIMARY KEY CHECK (id = 1),
            config text NOT NULL
        );
        CREATE TABLE examples (
            key text COLLATE "C" NOT NULL REFERENCES event_types(key) ON DELETE CASCADE,
            name text COLLATE "C" NOT NULL,
            payload text NOT NULL,
            expect_valid boolean NOT NULL,
            description text NOT NULL DEFAULT '',
            created_at text NOT NULL,
            PRIMARY KEY (key, name)
        );
        CREATE TABLE audit (
            id bigserial PRIMARY KEY,
            at text NOT NULL,
            actor text NOT NULL,
            address text NOT NULL DEFAULT '',
            action text NOT NULL,
            key text,
            version bigint,
            name text,
            changes text NOT NULL DEFAULT '{}'
        );
        CREATE INDEX audit_key ON audit(key, id);
        CREATE INDEX audit_actor ON audit(actor, id);
        CREATE INDEX audit_at ON audit(at);
        CREATE INDEX audit_action ON audit(action, key, version);
        CREATE TABLE representations (
            url text PRIMARY KEY,
            etag text NOT NULL,
            modified_at text NOT NULL
        );
        CREATE INDEX representations_modified ON representations(modified_at);
        -- bumped by every schema-store write transaction; its value is announced on the
        -- channel event_registry_changes at commit (connections.py keeps the change token)
        CREATE SEQUENCE change_counter;
        """,
    ),
    (
        "0002_inspection",
        """
        CREATE TABLE inspection_events (
            id bigserial PRIMARY KEY,
            received_at text NOT NULL,
            run_id text,
            format text NOT NULL,
            request_id text NOT NULL,
            idx integer NOT NULL DEFAULT 0,
            event_type_key text,
            valid boolean NOT NULL,
            http_status integer,
            status text,
            payload text NOT NULL,
            report text NOT NULL
        );
        CREATE INDEX inspection_run ON inspection_events(run_id, id);
        CREATE INDEX inspection_received ON inspection_events(received_at);
        CREATE INDEX inspection_type ON inspection_events(event_type_key, id);
        CREATE TABLE inspection_violations (
            event_id bigint NOT NULL REFERENCES inspection_events(id) ON DELETE CASCADE,
            code text NOT NULL,
            severity text NOT NULL,
            param text
        );
        CREATE INDEX inspection_violations_code ON inspection_violations(code, event_id);
        CREATE INDEX inspection_violations_event ON inspection_violations(event_id);
        CREATE TABLE inspection_contacts (
            event_id bigint NOT NULL REFERENCES inspection_events(id) ON DELETE CASCADE,
            contact text NOT NULL
        );
        CREATE INDEX inspection_contacts_contact ON inspection_contacts(contact);
        CREATE INDEX inspection_contacts_event ON inspection_contacts(event_id);
        CREATE TABLE inspection_secret (
            id integer PRIMARY KEY CHECK (id = 1),
            secret text NOT NULL
        );
        """,
    ),
    (
        "0003_tokens",
        """
        -- API tokens (tokens.py), by the SHA-256 of their secret only, and the token that
        -- recorded each inspected event (as SQLite's 0005_tokens)
        CREATE TABLE tokens (
            id text PRIMARY KEY,
            name text NOT NULL,
            scope text NOT NULL,
            secret_hash text NOT NULL UNIQUE,
            creator text NOT NULL,
            created_at text NOT NULL,
            expires_at text,
            last_used_at text,
            revoked_at text,
            key_prefixes text NOT NULL DEFAULT '[]',
            tags text NOT NULL DEFAULT '[]'
        );
        ALTER TABLE inspection_events ADD COLUMN recorded_by text;
        CREATE INDEX inspection_recorded_by ON inspection_events(recorded_by, id);
        """,
    ),
    (
        "0004_references",
        """
        -- schema references belong to the content (as SQLite's 0009_references): the declared
        -- list as JSON (NULL: none), the self-contained form, and who references which version
        ALTER TABLE schemas ADD COLUMN refs text;
        ALTER TABLE schemas ADD COLUMN resolved text;
        CREATE TABLE schema_references (
            schema_id bigint NOT NULL REFERENCES schemas(schema_id),
            position integer NOT NULL,
            name text NOT NULL,
            key text COLLATE "C" NOT NULL,
            version bigint NOT NULL,
            PRIMARY KEY (schema_id, position)
        );
        CREATE INDEX schema_references_target ON schema_references(key, version);
        """,
    ),
    (
        "0005_traffic",
        """
        -- the client's User-Agent with each recorded event (as SQLite's 0008_traffic)
        ALTER TABLE inspection_events ADD COLUMN user_agent text;
        """,
    ),
)

_LOCK = 0x65725F6D6967  # pg_advisory_xact_lock key: "er_mig"


def apply(conn: Any) -> list[str]:
    """Apply the pending migrations on ``conn`` (autocommit); returns every applied name."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        conn.execute(
            """CREATE TABLE IF NOT EXISTS event_registry_migrations (
                   name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"""
        )
        done = {row[0] for row in conn.execute("SELECT name FROM event_registry_migrations")}
        for name, sql in MIGRATIONS:
            if name not in done:
                conn.execute(sql)
                conn.execute("INSERT INTO event_registry_migrations (name) VALUES (%s)", [name])
    return applied(conn)


def applied(conn: Any) -> list[str]:
    rows = conn.execute("SELECT name FROM event_registry_migrations ORDER BY name").fetchall()
    return [row[0] for row in rows]
