-- :EVENTS synthetic events for the query benchmark, the same shape as bench/service/SeedDatabase.java
-- (50 sources, 20 types, levels 0-5, a tag on every tenth event, a session per 1,000 events), in one
-- INSERT … SELECT over generate_series (the schema was made by the server's migrations).
SET synchronous_commit = off;
SET maintenance_work_mem = '256MB';
BEGIN;
INSERT INTO events (id, source, event_type, level, message, message_fold, ts, received_at, data, tags, session_id, uuid)
SELECT g,
       'source-' || (hashint4(g) & 2147483647) % 50,
       'type-' || (hashint4(g + 7) & 2147483647) % 20,
       (hashint4(g + 13) & 2147483647) % 6,
       'message ' || g || ' from source ' || (hashint4(g) & 2147483647) % 50,
       'message ' || g || ' from source ' || (hashint4(g) & 2147483647) % 50,
       (extract(epoch FROM now()) * 1000000)::bigint - (:EVENTS - g)::bigint * 500,
       (extract(epoch FROM now()) * 1000000)::bigint - (:EVENTS - g)::bigint * 500,
       '{"n":' || g || ',"ok":true}',
       CASE WHEN g % 10 = 0 THEN '["tenth"]' ELSE '[]' END,
       'session-' || g / 1000,
       'seed-' || g
FROM generate_series(1, :EVENTS) AS g;
INSERT INTO event_tags (tag, event_id) SELECT 'tenth', g FROM generate_series(10, :EVENTS, 10) AS g;
INSERT INTO event_types (source, event_type) SELECT DISTINCT source, event_type FROM events ON CONFLICT DO NOTHING;
UPDATE event_ids SET last_id = (SELECT max(id) FROM events);
COMMIT;
VACUUM ANALYZE events;
VACUUM ANALYZE event_tags;
