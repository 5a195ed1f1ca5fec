package dev.argus.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusApplication;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge of SPEC §3: every route × method × spelling of its path, sent byte for byte on a raw
 * socket. Without a key nothing is served (never a 2xx), nothing is stored and no response grants
 * CORS; with the right key the canonical spellings work, and a spelling that reaches a route needs
 * exactly that route's key.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EdgeIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();
    private static final String FOREIGN = "http://evil.example";
    private static final String EVENT = "{\"source\":\"edge-walk\",\"event_type\":\"walkaround\"}";

    /** Paths that exist nowhere (the routed ones come from the live route table, see {@link #paths()}). */
    private static final List<String> UNROUTED = List.of("/nope", "/application.wadl", "/events/1/x", "/js/nope.js", "/api/nope");
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final Set<Integer> REFUSALS = Set.of(400, 401, 404, 405);

    /** Ways to spell a path that a lax router might take for it. */
    static Map<String, UnaryOperator<String>> spellings() {
        Map<String, UnaryOperator<String>> s = new LinkedHashMap<>();
        s.put("canonical", p -> p);
        s.put("first letter %-encoded", p -> "/" + pct(p.charAt(1), false) + p.substring(2));
        s.put("every letter %-encoded", p -> encodeLetters(p));
        s.put("; parameter at the end", p -> p + ";x=1");
        s.put("; parameter on the first segment", p -> insertAfterFirstSegment(p, ";x"));
        s.put("%3B in the path", p -> p + "%3Bx");
        s.put("./ segment", p -> "/." + p);
        s.put("x/../ segment", p -> "/x/.." + p);
        s.put("%2e segment", p -> "/%2e" + p);
        s.put("x/%2e%2e/ segment", p -> "/x/%2e%2e" + p);
        s.put("..;/ segment", p -> "/x/..;" + p);
        s.put(".. above the root", p -> "/.." + p);
        s.put("trailing slash", p -> p + "/");
        s.put("doubled leading slash", p -> "/" + p);
        s.put("doubled inner slash", p -> p.indexOf('/', 1) > 0 ? p.replaceFirst("(?<=.)/", "//") : p + "//");
        s.put("encoded slash", p -> p.indexOf('/', 1) > 0 ? p.replaceFirst("(?<=.)/", "%2F") : "/%2F" + p.substring(1));
        s.put("backslash", p -> p.indexOf('/', 1) > 0 ? p.replaceFirst("(?<=.)/", "\\\\") : p + "\\");
        s.put("double-encoded letter", p -> "/%25" + Integer.toHexString(p.charAt(1)) + p.substring(2));
        s.put("upper case", p -> p.toUpperCase(Locale.ROOT));
        s.put("capitalised", p -> "/" + Character.toUpperCase(p.charAt(1)) + p.substring(2));
        s.put("wrong key in the query", p -> p + "?api_key=wrong");
        return s;
    }

    @Test
    void withoutAKeyNoRouteMethodOrSpellingIsServedOrStoresAnything() throws IOException {
        TestServer server = TestServer.of(APP);
        int port = APP.getLocalPort();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        List<String> paths = paths();
        assertThat(paths).as("the route table's guarded paths").contains("/events", "/events/stream", "/v1/logs", "/ws");
        for (String path : paths) {
            for (Map.Entry<String, UnaryOperator<String>> spelling : spellings().entrySet()) {
                String target = spelling.getValue().apply(path);
                for (String method : METHODS) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("Origin", FOREIGN);
                    String body = null;
                    if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS")) {
                        headers.put("Content-Type", path.endsWith("/batch") ? "application/x-ndjson" : "application/json");
                        body = EVENT;
                    }
                    if (method.equals("OPTIONS")) {
                        headers.put("Access-Control-Request-Method", "POST");
                        headers.put("Access-Control-Request-Headers", "x-api-key, content-type");
                    }
                    RawHttp.Response r = RawHttp.send(port, method, target, headers, body);
                    sent++;
                    if (!REFUSALS.contains(r.status())) {
                        failures.add(method + " " + target + " (" + spelling.getKey() + ") → " + r.status() + " " + r.body());
                    }
                    if (r.header("Access-Control-Allow-Origin") != null) {
                        failures.add(method + " " + target + " granted CORS: " + r.header("Access-Control-Allow-Origin"));
                    }
                }
            }
        }
        assertThat(failures).as("of %d requests", sent).isEmpty();
        assertThat(server.getJson("/events?source=edge-walk").get("events")).as("stored without a key").isEmpty();
    }

    /**
     * Every path of the running server's route table that is not public (a pattern's variable
     * filled in), and the unrouted ones: a route added later is walked without editing this test.
     */
    static List<String> paths() {
        RouteTable table = ((ArgusApplication) APP.getApplication()).routeTable();
        java.util.TreeSet<String> paths = new java.util.TreeSet<>();
        for (RouteTable.Endpoint e : table.endpoints()) {
            if (e.access() != Access.PUBLIC) {
                paths.add(e.pattern().replaceAll("\\{[^/]+}", "1").replace("/**", "/x"));
            }
        }
        List<String> all = new ArrayList<>(paths);
        all.addAll(UNROUTED);
        return all;
    }

    @Test
    void withTheRightKeyTheCanonicalSpellingsWork() throws IOException {
        TestServer server = TestServer.of(APP);
        Map<String, String> key = Map.of("X-API-Key", TestServer.KEY, "Content-Type", "application/json");
        RawHttp.Response posted = send("POST", "/events", key, "{\"source\":\"edge-ok\",\"event_type\":\"t\"}");
        assertThat(posted.status()).isEqualTo(201);
        long id = TestServer.json(posted.body()).get("event_id").asLong();
        assertThat(send("POST", "/events/batch", key, "[{\"source\":\"edge-ok\",\"event_type\":\"t\"}]").status()).isEqualTo(201);
        assertThat(send("GET", "/events?source=edge-ok", key, null).status()).isEqualTo(200);
        assertThat(send("HEAD", "/events", key, null).status()).isEqualTo(200);
        assertThat(send("GET", "/events/" + id, key, null).status()).isEqualTo(200);
        assertThat(send("GET", "/sources", key, null).status()).isEqualTo(200);
        assertThat(send("GET", "/event-types", key, null).status()).isEqualTo(200);
        RawHttp.Response stream = send("GET", "/events/stream", key, null);
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
        assertThat(send("GET", "/events/stream?api_key=" + TestServer.KEY, Map.of(), null).status())
                .as("EventSource's key in the query").isEqualTo(200);
        assertThat(send("GET", "/events?api_key=" + TestServer.KEY, Map.of(), null).status())
                .as("the query key is for the stream only").isEqualTo(401);
        assertThat(server.getJson("/events?source=edge-ok").get("events")).hasSize(2);
        RawHttp.Response ws = send("POST", "/api/workstreams", key, "{\"name\":\"edge-ok\"}");
        assertThat(ws.status()).isEqualTo(201);
        String wsId = TestServer.json(ws.body()).get("id").asText();
        assertThat(send("PATCH", "/api/workstreams/" + wsId, key, "{}").status()).isEqualTo(200);
        assertThat(send("GET", "/api/workstreams", key, null).status()).isEqualTo(200);
        RawHttp.Response task = send("POST", "/api/tasks", key, "{\"workstream_id\":\"" + wsId + "\",\"name\":\"t\"}");
        assertThat(task.status()).isEqualTo(201);
        assertThat(send("PATCH", "/api/tasks/" + TestServer.json(task.body()).get("id").asText(), key, "{}").status()).isEqualTo(200);
        assertThat(send("GET", "/api/tasks?workstream_id=" + wsId, key, null).status()).isEqualTo(200);
        assertThat(send("HEAD", "/api/tasks", key, null).status()).isEqualTo(200);
    }

    @Test
    void aSpellingThatReachesARouteNeedsThatRoutesKey() throws IOException {
        TestServer server = TestServer.of(APP);
        Map<String, String> ingest = Map.of("X-API-Key", "ingest-only-key", "Content-Type", "application/json");
        Map<String, String> read = Map.of("X-API-Key", "read-only-key", "Content-Type", "application/json");
        String event = "{\"source\":\"edge-spelled\",\"event_type\":\"t\"}";
        assertThat(send("POST", "/%65vents", ingest, event).status()).isEqualTo(201);
        assertThat(send("POST", "/x/../events", ingest, event).status()).isEqualTo(201);
        assertThat(send("POST", "/%65vents", read, event).status()).isEqualTo(403);
        assertThat(send("POST", "/./events/%62atch", read, "[" + event + "]").status()).isEqualTo(403);
        assertThat(send("GET", "/%73ources", ingest, null).status()).isEqualTo(403);
        assertThat(send("GET", "/%73ources", read, null).status()).isEqualTo(200);
        assertThat(send("GET", "/%65vents/stream", ingest, null).status()).isEqualTo(403);
        assertThat(send("GET", "/%65vents/stream", read, null).status()).isEqualTo(200);
        assertThat(send("POST", "/events;x=1", ingest, event).status()).as("path parameters are refused").isEqualTo(400);
        assertThat(send("POST", "/%61pi/workstreams", read, "{\"name\":\"spelled\"}").status()).isEqualTo(403);
        assertThat(send("GET", "/api/./tasks", ingest, null).status()).isEqualTo(403);
        assertThat(send("GET", "/x/../api/%74asks", read, null).status()).isEqualTo(200);
        assertThat(server.getJson("/events?source=edge-spelled").get("events")).hasSize(2);
    }

    @Test
    void unknownPathsAndMethodsAreRefusedEvenWithAKey() throws IOException {
        Map<String, String> key = Map.of("X-API-Key", TestServer.KEY);
        assertThat(send("GET", "/nope", Map.of(), null).status()).isEqualTo(401);
        assertThat(send("GET", "/nope", key, null).status()).isEqualTo(404);
        assertThat(send("GET", "/events/", key, null).status()).isEqualTo(404);
        assertThat(send("GET", "/application.wadl", key, null).status()).isEqualTo(404);
        RawHttp.Response delete = send("DELETE", "/events", key, null);
        assertThat(delete.status()).isEqualTo(405);
        assertThat(delete.header("Allow")).isEqualTo("GET, HEAD, POST");
        assertThat(TestServer.json(delete.body()).get("code").asInt()).isEqualTo(405);
        assertThat(send("DELETE", "/events", Map.of(), null).status()).isEqualTo(401);
    }

    @Test
    void onlyTheDashboardUiConfigAndHealthArePublic() throws IOException {
        RawHttp.Response index = send("GET", "/", Map.of(), null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.header("Content-Type")).startsWith("text/html");
        assertThat(index.header("Content-Security-Policy")).isNotBlank();
        assertThat(send("GET", "/index.html", Map.of(), null).status()).isEqualTo(200);
        assertThat(send("GET", "/js/app.js", Map.of(), null).status()).isEqualTo(200);
        assertThat(send("GET", "/%6As/app.js", Map.of(), null).status()).as("an encoded spelling of an asset").isEqualTo(200);
        assertThat(send("HEAD", "/js/app.js", Map.of(), null).status()).isEqualTo(200);
        RawHttp.Response health = send("GET", "/health", Map.of(), null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        JsonNode ui = TestServer.json(send("GET", "/ui-config.json", Map.of(), null).body());
        assertThat(ui.has("title")).isTrue();
        assertThat(send("POST", "/index.html", Map.of("Content-Type", "text/html"), "x").status()).isEqualTo(405);
        assertThat(send("GET", "/js/app.js.map", Map.of(), null).status()).isEqualTo(401);
        assertThat(send("GET", "/js/", Map.of(), null).status()).isEqualTo(401);
    }

    @Test
    void noResponseGrantsCorsToAForeignOrigin() throws IOException {
        Map<String, String> preflight = Map.of("Origin", FOREIGN, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "x-api-key, content-type");
        for (String path : List.of("/events", "/events/batch", "/events/stream", "/sources", "/", "/health", "/ws",
                "/api/workstreams", "/api/tasks/x")) {
            RawHttp.Response r = send("OPTIONS", path, preflight, null);
            assertThat(r.status()).as("OPTIONS " + path).isIn(401, 405);
            assertThat(r.header("Access-Control-Allow-Origin")).as("OPTIONS " + path).isNull();
            assertThat(r.header("Access-Control-Allow-Methods")).as("OPTIONS " + path).isNull();
        }
        RawHttp.Response withKey = send("GET", "/events", Map.of("Origin", FOREIGN, "X-API-Key", TestServer.KEY), null);
        assertThat(withKey.status()).isEqualTo(200);
        assertThat(withKey.header("Access-Control-Allow-Origin")).isNull();
        RawHttp.Response page = send("GET", "/", Map.of("Origin", FOREIGN), null);
        assertThat(page.header("Access-Control-Allow-Origin")).isNull();
    }

    private static RawHttp.Response send(String method, String target, Map<String, String> headers, String body)
            throws IOException {
        return RawHttp.send(APP.getLocalPort(), method, target, headers, body);
    }

    private static String pct(char c, boolean upper) {
        String hex = Integer.toHexString(c);
        return "%" + (upper ? hex.toUpperCase(Locale.ROOT) : hex);
    }

    private static String encodeLetters(String p) {
        StringBuilder b = new StringBuilder();
        for (char c : p.toCharArray()) {
            b.append(Character.isLetter(c) ? pct(c, true) : String.valueOf(c));
        }
        return b.toString();
    }

    private static String insertAfterFirstSegment(String p, String insert) {
        int slash = p.indexOf('/', 1);
        return slash < 0 ? p + insert : p.substring(0, slash) + insert + p.substring(slash);
    }
}
