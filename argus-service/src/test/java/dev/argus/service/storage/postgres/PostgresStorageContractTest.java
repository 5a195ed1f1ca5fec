package dev.argus.service.storage.postgres;

import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.storage.StorageContractTest;
import dev.argus.service.testing.PostgresServer;

/** The storage contract, unchanged, on a fresh database of a real PostgreSQL server. */
class PostgresStorageContractTest extends StorageContractTest {
    @Override
    protected Stores openStores() {
        PostgresStorage storage = new PostgresStorage(config(PostgresServer.get().freshDatabase()));
        storage.migrate();
        return new Stores(storage.writer(), storage.unpooledReader(), storage.retention());
    }

    static DatabaseConfig config(String url) {
        PostgresServer pg = PostgresServer.get();
        DatabaseConfig cfg = new DatabaseConfig();
        cfg.setUrl(url);
        cfg.setUser(pg.user());
        cfg.setPassword(pg.password());
        return cfg;
    }
}
