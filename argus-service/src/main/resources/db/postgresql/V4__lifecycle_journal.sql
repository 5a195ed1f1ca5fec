-- PostgreSQL only (one SQLite database has one instance, whose streams hear its own commits).
-- The session and agent lifecycle messages (SPEC §12.3) of every writing transaction, so that the
-- live streams of the other instances sharing the database carry them too (SPEC §15). Written in
-- the transaction that derived them, under the cluster-wide writer lock, so ids follow commit order;
-- each instance's commit tail reads the other instances' entries in id order and hands each on
-- once the event it follows (after_event_id, 0 for PATCH /sessions and idle detection) was
-- delivered. frame is the message's JSON as sent to clients; source and session_id are what
-- subscription filters test. Entries older than an hour are deleted by retention.
CREATE TABLE lifecycle_journal (
    id              BIGSERIAL PRIMARY KEY,
    after_event_id  BIGINT NOT NULL,
    instance        TEXT   NOT NULL,
    source          TEXT,
    session_id      TEXT,
    sse_event       TEXT   NOT NULL,
    frame           TEXT   NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX lifecycle_journal_created ON lifecycle_journal (created_at);
