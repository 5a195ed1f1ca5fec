package dev.argus.service.storage.sqlite;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.work.*;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The store against a real SQLite file with a clock that the test holds still or turns back. */
class SqliteWorkStoreTest {
    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000_000L);
    private SqliteStorage database;
    private IngestEngine engine;
    private SqliteWorkStore store;

    @BeforeEach
    void open() throws Exception {
        DatabaseConfig cfg = new DatabaseConfig();
        cfg.setPath(dir.resolve("events.db").toString());
        database = new SqliteStorage(cfg);
        database.migrate();
        engine = new IngestEngine(database.writer(), 1000, new MetricRegistry());
        engine.start();
        store = new SqliteWorkStore(engine, Jdbi.create(database.jdbcUrl()), clock::get);
    }

    @AfterEach
    void close() throws Exception {
        engine.stop();
    }

    private static ObjectNode body(String json) {
        return WorkJson.parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void updatedAtMovesWithinOneMicrosecondAndWhenTheClockStepsBack() throws Exception {
        Workstream ws = store.createWorkstream(WorkstreamCreate.parse(body("{\"name\":\"w\"}")));
        Task t = store.createTask(TaskCreate.parse(body("{\"workstream_id\":\"" + ws.id() + "\",\"name\":\"t\"}")));
        assertThat(t.createdAt()).as("a second creation in the same microsecond").isGreaterThan(ws.createdAt());
        long last = t.updatedAt();
        for (int i = 0; i < 5; i++) {
            Task next = store.patchTask(t.id(), body("{}"));
            assertThat(next.updatedAt()).isGreaterThan(last);
            last = next.updatedAt();
        }
        clock.addAndGet(-60_000_000L);
        assertThat(store.patchTask(t.id(), body("{}")).updatedAt()).as("clock stepped back").isGreaterThan(last);
        assertThat(store.patchWorkstream(ws.id(), body("{}")).updatedAt()).isGreaterThan(ws.updatedAt());
    }

    @Test
    void aRestartedStoreContinuesAfterTheStoredTimes() throws Exception {
        Workstream ws = store.createWorkstream(WorkstreamCreate.parse(body("{\"name\":\"w\"}")));
        Workstream patched = store.patchWorkstream(ws.id(), body("{\"name\":\"v\"}"));
        SqliteWorkStore restarted = new SqliteWorkStore(engine, Jdbi.create(database.jdbcUrl()), () -> 5L);
        Workstream second = restarted.createWorkstream(WorkstreamCreate.parse(body("{\"name\":\"later\"}")));
        assertThat(second.createdAt()).isGreaterThan(patched.updatedAt());
        assertThat(restarted.listWorkstreams(false)).extracting(Workstream::id).containsExactly(ws.id(), second.id());
    }
}
