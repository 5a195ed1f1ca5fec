package dev.argus.service.ingest;

import dev.argus.service.core.*;
import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An I/O error in the middle of a commit (after its rows were inserted, before the commit), with
 * the transaction still open or already ended by SQLite itself as it does on SQLITE_IOERR: the
 * request gets 503, nothing of it is stored, and the next requests are stored normally.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StorageFaultIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();

    @AfterEach
    void clearFaults() {
        StorageChecks.engine(APP).injectFaults(WriterFaults.NONE);
    }

    @ParameterizedTest(name = "SQLite ended the transaction itself: {0}")
    @ValueSource(booleans = {true, false})
    void anIoErrorMidBatchStoresNothingOfThatCommitAndLaterRequestsAreStored(boolean sqliteRolledBack) throws Exception {
        TestServer server = TestServer.of(APP);
        IngestEngine engine = StorageChecks.engine(APP);
        AtomicBoolean armed = new AtomicBoolean(true);
        engine.injectFaults(new WriterFaults() {
            @Override
            public void beforeCommit(Connection c, int events) throws SQLException {
                if (events >= 10 && armed.getAndSet(false)) {
                    if (sqliteRolledBack) {
                        try (Statement s = c.createStatement()) {
                            s.execute("ROLLBACK");
                        }
                    }
                    throw new SQLiteException("[SQLITE_IOERR_WRITE] disk I/O error", SQLiteErrorCode.SQLITE_IOERR_WRITE);
                }
            }
        });
        StorageChecks.Outcomes failed = new StorageChecks.Outcomes();
        assertThat(failed.post(server, "fault", 10, 100)).isEqualTo(503);
        String message = TestServer.json(failed.refusals.peek()).get("message").asText();
        assertThat(message).startsWith("storage I/O error: the database file ").contains("disk I/O error")
                .endsWith("nothing of this request was stored");
        assertThat(StorageChecks.databaseHealth(server).get("healthy").asBoolean()).isFalse();

        StorageChecks.Outcomes later = new StorageChecks.Outcomes();
        for (int i = 0; i < 10; i++) {
            assertThat(later.post(server, "fault", i % 2 == 0 ? 0 : 10, 100)).isEqualTo(201);
        }
        assertThat(later.unexpected).isEmpty();
        assertThat(StorageChecks.stored(engine, later.acknowledged.keySet())).hasSize(55);
        assertThat(StorageChecks.stored(engine, failed.refused)).isEmpty();
        JsonNode health = StorageChecks.databaseHealth(server);
        assertThat(health.get("healthy").asBoolean()).as(health.toString()).isTrue();
    }
}
