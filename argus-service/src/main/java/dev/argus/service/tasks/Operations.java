package dev.argus.service.tasks;

import dev.argus.service.ArgusConfiguration;
import dev.argus.service.core.IngestEngine;
import dev.argus.service.db.Database;
import io.dropwizard.core.setup.Environment;

/** Installs retention, admin tasks and the operational health checks and metrics (SPEC §3 admin, §7). */
public final class Operations {
    private Operations() {
    }

    public static void install(ArgusConfiguration config, Environment env, Database database, IngestEngine engine) {
        // not built yet
    }
}
