package dev.argus.service.tasks;

import dev.argus.service.ArgusConfiguration;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.storage.RetentionStore;
import io.dropwizard.core.setup.Environment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Installs retention, admin tasks and the operational health checks and metrics (SPEC §3 admin, §7). */
public final class Operations {
    /** How often the runner checks whether cleanup is due and whether free disk is below the minimum. */
    public static final Duration TICK = Duration.ofMinutes(1);
    private static final Duration FIRST_TICK = Duration.ofSeconds(5);

    private Operations() {
    }

    /**
     * @param folder the database's folder, whose free space the disk guard watches; null when the
     *               database is not a local file (PostgreSQL): the disk guard then never fires
     */
    public static void install(ArgusConfiguration config, Environment env, RetentionStore store, Path folder,
                               IngestEngine engine) {
        install(config, env, store, folder, engine, Clock.systemUTC());
    }

    public static RetentionService install(ArgusConfiguration config, Environment env, RetentionStore store,
                                           Path folder, IngestEngine engine, Clock clock) {
        EventPurger purger = new EventPurger(store, engine, env.metrics());
        RetentionService retention = new RetentionService(config.getRetention(), purger, engine,
                () -> usableSpace(folder), clock, env.metrics(), TICK, FIRST_TICK);
        env.lifecycle().manage(retention);
        env.admin().addTask(new RetentionTask(retention));
        env.admin().addTask(new VacuumTask(retention));
        env.healthChecks().register("retention", new RetentionHealthCheck(retention, clock));
        return retention;
    }

    private static long usableSpace(Path folder) {
        if (folder == null) {
            return Long.MAX_VALUE;
        }
        try {
            FileStore store = Files.getFileStore(folder);
            return store.getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read free space of " + folder, e);
        }
    }
}
