package dev.argus.service.ingest;

import dev.argus.service.core.*;
import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.eclipse.jetty.util.component.LifeCycle;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Shared by the storage-fault tests: the running app's writer, its file read directly, and a load that records every answer. */
final class StorageChecks {
    private StorageChecks() {
    }

    /** The writer of a running test app (to inject faults and move the page cap). */
    static IngestEngine engine(DropwizardAppExtension<ArgusConfiguration> app) {
        for (LifeCycle lc : app.getEnvironment().lifecycle().getManagedObjects()) {
            if (lc instanceof JettyManaged jm && jm.getManaged() instanceof IngestEngine e) {
                return e;
            }
        }
        throw new IllegalStateException("no IngestEngine managed by the app");
    }

    /** The stored id and message of each uuid that is stored (read from the file, as a fresh reader sees it). */
    static Map<String, String[]> stored(IngestEngine engine, Iterable<String> uuids) throws SQLException {
        Map<String, String[]> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(((dev.argus.service.storage.sqlite.SqliteEventWriter) engine.writer()).storage().jdbcUrl());
             PreparedStatement s = c.prepareStatement("SELECT id, message FROM events WHERE uuid = ?")) {
            for (String u : uuids) {
                s.setString(1, u);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        out.put(u, new String[] {Long.toString(rs.getLong(1)), rs.getString(2)});
                    }
                }
            }
        }
        return out;
    }

    static long pageCount(IngestEngine engine) throws SQLException {
        try (Connection c = DriverManager.getConnection(((dev.argus.service.storage.sqlite.SqliteEventWriter) engine.writer()).storage().jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The {@code database} entry of {@code /healthcheck}. */
    static JsonNode databaseHealth(TestServer server) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.adminUrl() + "/healthcheck"))
                .timeout(Duration.ofSeconds(60)).GET().build());
        return TestServer.json(r.body()).get("database");
    }

    /** What one client's requests got: each uuid with its answered id, or with the 503 body. */
    static final class Outcomes {
        final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        final Map<String, String> messageOf = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

        /**
         * Posts one event ({@code n == 0}) or a batch of {@code n}, each with a fresh uuid and a
         * message of {@code padding} characters; returns the status.
         */
        int post(TestServer server, String source, int n, int padding) {
            List<String> uuids = new ArrayList<>();
            StringBuilder body = new StringBuilder(n == 0 ? "" : "[");
            for (int i = 0; i < Math.max(1, n); i++) {
                String u = UUID.randomUUID().toString();
                uuids.add(u);
                String message = u + " " + "x".repeat(padding);
                messageOf.put(u, message);
                if (i > 0) {
                    body.append(',');
                }
                body.append("{\"source\":\"").append(source).append("\",\"event_type\":\"fill\",\"uuid\":\"").append(u)
                        .append("\",\"message\":\"").append(message).append("\"}");
            }
            if (n > 0) {
                body.append(']');
            }
            HttpResponse<String> r = server.post(n == 0 ? "/events" : "/events/batch", "application/json", body.toString());
            if (r.statusCode() == 201) {
                JsonNode json = TestServer.json(r.body());
                if (n == 0) {
                    acknowledged.put(uuids.get(0), json.get("event_id").asLong());
                } else {
                    for (int i = 0; i < n; i++) {
                        acknowledged.put(uuids.get(i), json.get("event_ids").get(i).asLong());
                    }
                }
            } else if (r.statusCode() == 503) {
                refused.addAll(uuids);
                refusals.add(r.body());
            } else {
                unexpected.add(r.statusCode() + " " + r.body());
            }
            return r.statusCode();
        }
    }
}
