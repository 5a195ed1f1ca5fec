package dev.argus.service.storage.sqlite;

import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.storage.StorageContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The storage contract on a real SQLite file. */
class SqliteStorageContractTest extends StorageContractTest {
    @TempDir
    Path dir;

    @Override
    protected Stores openStores() {
        DatabaseConfig cfg = new DatabaseConfig();
        cfg.setPath(dir.resolve("events.db").toString());
        SqliteStorage storage = new SqliteStorage(cfg);
        storage.migrate();
        return new Stores(storage.writer(), storage.unpooledReader(), storage.retention());
    }
}
