-- Schema for workstreams and tasks (SPEC §13.1). The SQLite part is applied as
-- argus-service/src/main/resources/db/migration/V3__work.sql; the PostgreSQL part is a proposal.
--
-- Choices:
-- * ids are server-made UUIDs stored as their 36-character lower-case text (Monitor's form);
-- * times are epoch microseconds (BIGINT), like events' timestamp/received_at, formatted on
--   the way out with §2's format;
-- * metadata is the JSON object text exactly as sent (TEXT), like events' data;
-- * status is the lower-case name, checked by the database as well as by the code;
-- * an update is an event: events gain a nullable task_id column (index (task_id, id)) in the
--   events migration; no separate updates table. Retention deletes events only, never rows here.

-- ---------------------------------------------------------------- SQLite -----------------
CREATE TABLE workstreams (
    id          TEXT    PRIMARY KEY NOT NULL,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status      TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    metadata    TEXT    NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
-- GET /api/workstreams: active ones (or all), oldest first.
CREATE INDEX workstreams_status_created ON workstreams (status, created_at, id);

CREATE TABLE tasks (
    id                  TEXT    PRIMARY KEY NOT NULL,
    workstream_id       TEXT    NOT NULL REFERENCES workstreams (id),
    name                TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status              TEXT    NOT NULL DEFAULT 'active'
                                CHECK (status IN ('active', 'blocked', 'done', 'cancelled')),
    summary_text        TEXT,
    summary_updated_at  INTEGER,
    summary_source      TEXT,
    hidden_at           INTEGER,
    metadata            TEXT    NOT NULL DEFAULT '{}',
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
) STRICT;
-- GET /api/tasks?workstream_id=&status=&include_hidden=: oldest first within each filter.
CREATE INDEX tasks_workstream_created ON tasks (workstream_id, created_at, id);
CREATE INDEX tasks_status_created ON tasks (status, created_at, id);

-- In the events migration (not here): ALTER TABLE events ADD COLUMN task_id TEXT;
-- CREATE INDEX events_task_id ON events (task_id, id) WHERE task_id IS NOT NULL;
-- (no foreign key: a task is checked at ingest, 422 when unknown, and tasks are never deleted)

-- ------------------------------------------------------------- PostgreSQL ----------------
CREATE TABLE workstreams (
    id          UUID        PRIMARY KEY,
    name        TEXT        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    status      TEXT        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    metadata    TEXT        NOT NULL DEFAULT '{}',   -- TEXT, not JSONB: JSONB reorders keys and drops number text
    created_at  BIGINT      NOT NULL,
    updated_at  BIGINT      NOT NULL
);
CREATE INDEX workstreams_status_created ON workstreams (status, created_at, id);

CREATE TABLE tasks (
    id                  UUID    PRIMARY KEY,
    workstream_id       UUID    NOT NULL REFERENCES workstreams (id),
    name                TEXT    NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    status              TEXT    NOT NULL DEFAULT 'active'
                                CHECK (status IN ('active', 'blocked', 'done', 'cancelled')),
    summary_text        TEXT,
    summary_updated_at  BIGINT,
    summary_source      TEXT,
    hidden_at           BIGINT,
    metadata            TEXT    NOT NULL DEFAULT '{}',
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);
CREATE INDEX tasks_workstream_created ON tasks (workstream_id, created_at, id);
CREATE INDEX tasks_status_created ON tasks (status, created_at, id);

-- In the events migration: ALTER TABLE events ADD COLUMN task_id UUID;
-- CREATE INDEX events_task_id ON events (task_id, id) WHERE task_id IS NOT NULL;
