-- Events, in commit order: id is assigned by the single writer and never reused (AUTOINCREMENT).
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT    NOT NULL,
    event_type  TEXT    NOT NULL,
    level       INTEGER,            -- 0 trace .. 5 fatal, NULL when absent
    message     TEXT,
    ts          INTEGER NOT NULL,   -- producer time, epoch microseconds UTC
    received_at INTEGER NOT NULL,   -- server time, epoch microseconds UTC
    data        TEXT,               -- the data object exactly as sent
    tags        TEXT    NOT NULL DEFAULT '[]',
    session_id  TEXT,
    uuid        TEXT
);

-- Each filter of GET /events has an index ending in id, so keyset paging (id < ?) reads in order.
CREATE UNIQUE INDEX events_uuid ON events (uuid) WHERE uuid IS NOT NULL;
CREATE INDEX events_source_id ON events (source, id);
CREATE INDEX events_type_id ON events (event_type, id);
CREATE INDEX events_level_id ON events (level, id) WHERE level IS NOT NULL;
CREATE INDEX events_session_id ON events (session_id, id) WHERE session_id IS NOT NULL;
CREATE INDEX events_ts ON events (ts);

CREATE TABLE event_tags (
    tag      TEXT    NOT NULL,
    event_id INTEGER NOT NULL,
    PRIMARY KEY (tag, event_id)
) WITHOUT ROWID;
CREATE INDEX event_tags_event ON event_tags (event_id);

-- Discovery (GET /sources, /event-types) reads this small table, not the events.
CREATE TABLE event_types (
    source     TEXT NOT NULL,
    event_type TEXT NOT NULL,
    PRIMARY KEY (source, event_type)
) WITHOUT ROWID;

CREATE TABLE argus_meta (
    key   TEXT PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;
