package dev.argus.service.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.config.LimitsConfig;
import dev.argus.service.ingest.IngestEngine;
import io.dropwizard.core.setup.Environment;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;

/** Wires {@code POST /v1/logs} into the application. */
public final class OtlpLogs {
    public static final String PATH = "/v1/logs";

    private OtlpLogs() {
    }

    public static void install(Environment env, IngestEngine engine, LimitsConfig limits, ObjectMapper json) {
        env.servlets().addServlet("otlp-logs", new OtlpLogsServlet(engine, limits, json, env.metrics()))
                .addMapping(PATH);
        // Jetty's GzipHandler would inflate gzip bodies itself, without our size bound, and answer bad
        // gzip with its own 400 before the servlet could answer in the request's encoding.
        env.lifecycle().addServerLifecycleListener(server -> {
            for (GzipHandler gzip : server.getDescendants(GzipHandler.class)) {
                gzip.addExcludedInflationPaths(PATH);
            }
        });
    }
}
