-- PostgreSQL schema of the events (the same tables as db/migration/V1__events.sql for SQLite).
-- Ids are assigned by the writers in commit order under the row lock of event_ids (docs/postgres.md):
-- no sequence, no identity column.
CREATE TABLE events (
    id           BIGINT  PRIMARY KEY,
    source       TEXT    NOT NULL,
    event_type   TEXT    NOT NULL,
    level        INTEGER,            -- 0 trace .. 5 fatal, NULL when absent
    message      TEXT,
    message_fold TEXT,               -- TextFold.fold(message), computed in Java: the q filter searches it
    ts           BIGINT  NOT NULL,   -- producer time, epoch microseconds UTC
    received_at  BIGINT  NOT NULL,   -- server time, epoch microseconds UTC
    data         TEXT,               -- the data object exactly as sent (TEXT, not jsonb: key order, exact numbers)
    tags         TEXT    NOT NULL DEFAULT '[]',
    session_id   TEXT,
    uuid         TEXT
);

-- Each filter of GET /events has an index ending in id, so keyset paging (id < ?) reads in order.
CREATE UNIQUE INDEX events_uuid ON events (uuid) WHERE uuid IS NOT NULL;
CREATE INDEX events_source_id ON events (source, id);
CREATE INDEX events_type_id ON events (event_type, id);
CREATE INDEX events_level_id ON events (level, id) WHERE level IS NOT NULL;
CREATE INDEX events_session_id ON events (session_id, id) WHERE session_id IS NOT NULL;
CREATE INDEX events_ts ON events (ts);

CREATE TABLE event_tags (
    tag      TEXT   NOT NULL,
    event_id BIGINT NOT NULL,
    PRIMARY KEY (tag, event_id)
);
CREATE INDEX event_tags_event ON event_tags (event_id);

-- Discovery (GET /sources, /event-types) reads this small table, not the events.
CREATE TABLE event_types (
    source     TEXT NOT NULL,
    event_type TEXT NOT NULL,
    PRIMARY KEY (source, event_type)
);

CREATE TABLE argus_meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);

-- The id counter and the cluster-wide writer lock: one row. Every transaction that assigns event ids
-- (or changes derived state) starts with SELECT last_id FROM event_ids FOR UPDATE, so such
-- transactions commit one at a time, in id order, on every instance.
CREATE TABLE event_ids (
    one     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    last_id BIGINT  NOT NULL
);
INSERT INTO event_ids (one, last_id) VALUES (TRUE, 0);
