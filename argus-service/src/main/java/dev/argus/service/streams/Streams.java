package dev.argus.service.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.auth.ApiKeys;
import dev.argus.service.core.IngestEngine;
import dev.argus.service.db.EventDao;
import io.dropwizard.core.setup.Environment;

/** Installs the live streams: WebSocket {@code /ws} and SSE {@code /events/stream} (SPEC §4, §5). */
public final class Streams {
    private Streams() {
    }

    public static void install(ArgusConfiguration config, Environment env, IngestEngine engine, EventDao dao,
                               ApiKeys keys, ObjectMapper json) {
        // not built yet
    }
}
