-- PostgreSQL only (one SQLite database has one instance, whose streams hear its own changes).
-- The live messages that are not events, so that the streams of every instance sharing the
-- database carry them (SPEC §15):
--   stream 'events':  session and agent lifecycle messages (SPEC §12.3) for /ws and /events/stream;
--                     sse_event 'session' or 'agent', source and session_id for the subscription filters;
--   stream 'updates': task and workstream state events of /api/stream (SPEC §13.2); sse_event the
--                     event name (task_created, …), task_id the task (null for a workstream).
-- Written in the transaction that made the change, under the cluster-wide writer lock, so ids
-- follow commit order; each instance's commit tail reads the other instances' entries in id order
-- and hands each on once the event it follows (after_event_id; 0 when the change committed no event)
-- was delivered. frame is the JSON as sent to clients. Entries older than an hour are deleted.
CREATE TABLE live_journal (
    id              BIGSERIAL PRIMARY KEY,
    stream          TEXT   NOT NULL CHECK (stream IN ('events', 'updates')),
    after_event_id  BIGINT NOT NULL,
    instance        TEXT   NOT NULL,
    source          TEXT,
    session_id      TEXT,
    task_id         TEXT,
    sse_event       TEXT   NOT NULL,
    frame           TEXT   NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX live_journal_created ON live_journal (created_at);
