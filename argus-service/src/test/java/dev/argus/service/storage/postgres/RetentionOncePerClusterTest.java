package dev.argus.service.storage.postgres;

import dev.argus.service.core.Level;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.Timestamps;
import dev.argus.service.storage.RetentionStore;
import dev.argus.service.testing.PostgresServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention deletes each old row once in a cluster: while one instance holds the retention lock,
 * another instance's chunk deletes nothing (and does not wait); once it is free, the other deletes.
 */
class RetentionOncePerClusterTest {
    @Test
    void aChunkIsSkippedWhileAnotherInstanceHoldsTheRetentionLock() throws Exception {
        String url = PostgresServer.get().freshDatabase();
        PostgresStorage a = new PostgresStorage(PostgresStorageContractTest.config(url));
        a.migrate();
        PostgresStorage b = new PostgresStorage(PostgresStorageContractTest.config(url));
        PgEventWriter w = a.writer();
        w.open();
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(new NewEvent("r", "t", Level.INFO, "m" + i, Timestamps.nowMicros(), null, List.of(), "[]", null, null));
        }
        w.begin();
        w.insert(List.of(batch), Timestamps.nowMicros() - 10_000_000L);
        w.commit();
        long cutoff = Timestamps.nowMicros();

        PgEventWriter bw = b.writer();
        bw.open();
        try (Connection other = a.connect()) {
            // "instance A" in the middle of its retention transaction
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, PgRetentionStore.RETENTION_LOCK);
                lock.executeQuery().close();
            }
            RetentionStore.Chunk skipped = runChunk(b, bw, cutoff);
            assertThat(skipped.deleted()).isZero();
            assertThat(count(a)).isEqualTo(50);
            other.commit();   // A's transaction ends: the lock is free
        }
        RetentionStore.Chunk done = runChunk(b, bw, cutoff);
        assertThat(done.deleted()).isEqualTo(50);
        assertThat(count(a)).isZero();
        w.close();
        bw.close();
    }

    private static RetentionStore.Chunk runChunk(PostgresStorage s, PgEventWriter w, long cutoff) throws Exception {
        RetentionStore.Chunk c = s.retention().deleteChunk(cutoff, 1000).run(w.begin());
        w.commit();
        return c;
    }

    private static long count(PostgresStorage s) throws Exception {
        try (Connection c = s.connect(); PreparedStatement p = c.prepareStatement("SELECT count(*) FROM events");
             ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
