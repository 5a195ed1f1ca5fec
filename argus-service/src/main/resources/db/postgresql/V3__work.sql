-- PostgreSQL: the same tables as db/migration/V3__work.sql.
-- Workstreams and tasks (SPEC §13.1): ids are server-made UUIDs (36-character lower-case text),
-- times epoch microseconds like events, metadata the JSON object text as sent. Retention deletes
-- events only, never rows of these tables. (V2 is reserved for another change.)
CREATE TABLE workstreams (
    id          TEXT    PRIMARY KEY NOT NULL,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status      TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    metadata    TEXT    NOT NULL DEFAULT '{}',
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
-- GET /api/workstreams: active ones (or all), oldest first.
CREATE INDEX workstreams_status_created ON workstreams (status, created_at, id);
CREATE INDEX workstreams_created ON workstreams (created_at, id);

CREATE TABLE tasks (
    id                  TEXT    PRIMARY KEY NOT NULL,
    workstream_id       TEXT    NOT NULL REFERENCES workstreams (id),
    name                TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
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
-- GET /api/tasks?workstream_id=&status=&include_hidden=: oldest first within each filter.
CREATE INDEX tasks_workstream_created ON tasks (workstream_id, created_at, id);
CREATE INDEX tasks_status_created ON tasks (status, created_at, id);
CREATE INDEX tasks_created ON tasks (created_at, id);
