-- Agent sessions (SPEC §12): the §12.1 event fields and the sessions and agents derived from them.
-- Times are epoch microseconds UTC like events.ts; statuses are stored as their lower-case wire
-- names so that the SQL and the JSON agree.

-- §12.1 event fields. All optional (NULL when absent), filterable like session_id: each index ends
-- in id for keyset paging and is partial so that events without the field cost nothing.
ALTER TABLE events ADD COLUMN hook          TEXT;     -- 1-64 chars, e.g. PreToolUse
ALTER TABLE events ADD COLUMN tool_name     TEXT;     -- <= 128
ALTER TABLE events ADD COLUMN tool_use_id   TEXT;     -- <= 128
ALTER TABLE events ADD COLUMN agent_id      TEXT;     -- <= 128
ALTER TABLE events ADD COLUMN status        TEXT;     -- success | failure | pending | activated
ALTER TABLE events ADD COLUMN is_background INTEGER;  -- 0/1
ALTER TABLE events ADD COLUMN task_id       TEXT;     -- §13 task id

CREATE INDEX events_hook_id        ON events (hook, id)        WHERE hook IS NOT NULL;
CREATE INDEX events_tool_name_id   ON events (tool_name, id)   WHERE tool_name IS NOT NULL;
CREATE INDEX events_tool_use_id_id ON events (tool_use_id, id) WHERE tool_use_id IS NOT NULL;
CREATE INDEX events_agent_id_id    ON events (agent_id, id)    WHERE agent_id IS NOT NULL;
CREATE INDEX events_status_id      ON events (status, id)      WHERE status IS NOT NULL;
CREATE INDEX events_task_id_id     ON events (task_id, id)     WHERE task_id IS NOT NULL;
-- is_background has two values: a filter on it alone scans; combined with another filter it is a
-- residual condition on that filter's index, so it gets no index of its own.

-- §12.3 sessions, keyed by the events' session_id. Written by the writer in the event's
-- transaction (SessionTracker.record through SqliteSessionStore on the writer connection).
CREATE TABLE sessions (
    id            TEXT    PRIMARY KEY,
    source        TEXT    NOT NULL,
    project       TEXT,
    cwd           TEXT,
    task_id       TEXT,
    started_at    INTEGER NOT NULL,
    last_event_at INTEGER NOT NULL,
    ended_at      INTEGER,
    status        TEXT    NOT NULL CHECK (status IN ('active', 'idle', 'ended')),
    event_count   INTEGER NOT NULL DEFAULT 0,
    tool_count    INTEGER NOT NULL DEFAULT 0,
    error_count   INTEGER NOT NULL DEFAULT 0,
    agent_count   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- GET /sessions: most recent activity first, optionally by status and/or project.
CREATE INDEX sessions_recent         ON sessions (last_event_at DESC);
CREATE INDEX sessions_status_recent  ON sessions (status, last_event_at DESC);
CREATE INDEX sessions_project_recent ON sessions (project, last_event_at DESC) WHERE project IS NOT NULL;
-- Idle detection (SessionStore.activeSince) is sessions_status_recent: status = 'active' AND last_event_at <= ?.

-- §12.3 agents. id = the subagent tool call's tool_use_id (or the agent_id when it started with no
-- pending call); seq keeps creation order, which SessionStore.agents must return (the tracker's
-- "oldest pending" breaks started_at ties by it).
CREATE TABLE agents (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT    NOT NULL UNIQUE,
    agent_id        TEXT,
    session_id      TEXT    NOT NULL REFERENCES sessions (id),
    parent_agent_id TEXT,
    type            TEXT,
    name            TEXT,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'abandoned')),
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER,
    event_count     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agents_session        ON agents (session_id, seq);
CREATE INDEX agents_status_session ON agents (status, session_id, seq);

-- Retention (§7) deletes events only: sessions and agents are small and keep their history. A
-- replay of the stored events through SessionTracker (InMemorySessionStore) rebuilds both tables
-- when retention has not removed any of a session's events.
