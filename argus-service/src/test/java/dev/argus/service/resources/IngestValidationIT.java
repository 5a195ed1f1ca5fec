package dev.argus.service.resources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every class of bad input to {@code POST /events}: status, error body, and nothing stored. */
@ExtendWith(DropwizardExtensionsSupport.class)
class IngestValidationIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();
    static final String OK = "\"source\":\"s\",\"event_type\":\"t\"";

    static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    static Stream<Arguments> badEvents() {
        String big = "x".repeat(5000);
        return Stream.of(
                arguments("malformed JSON", "application/json", "{\"source\":", 400, null),
                arguments("trailing content", "application/json", "{" + OK + "} {}", 400, null),
                arguments("empty body", "application/json", "", 400, null),
                arguments("whitespace body", "application/json", "   ", 400, null),
                arguments("wrong content type", "text/plain", "{" + OK + "}", 415, null),
                arguments("no content type", null, "{" + OK + "}", 415, null),
                arguments("body over maxPayloadSizeKb", "application/json", "{" + OK + ",\"message\":\"" + big + "\"}", 413, null),
                arguments("array instead of object", "application/json", "[{" + OK + "}]", 422, null),
                arguments("missing source", "application/json", "{\"event_type\":\"t\"}", 422, "source"),
                arguments("null source", "application/json", "{\"source\":null,\"event_type\":\"t\"}", 422, "source"),
                arguments("blank source", "application/json", "{\"source\":\"   \",\"event_type\":\"t\"}", 422, "source"),
                arguments("overlong source", "application/json", "{\"source\":\"" + "s".repeat(129) + "\",\"event_type\":\"t\"}", 422, "source"),
                arguments("control char in source", "application/json", "{\"source\":\"a\\u0007b\",\"event_type\":\"t\"}", 422, "source"),
                arguments("number as source", "application/json", "{\"source\":5,\"event_type\":\"t\"}", 422, "source"),
                arguments("missing event_type", "application/json", "{\"source\":\"s\"}", 422, "event_type"),
                arguments("blank event_type", "application/json", "{\"source\":\"s\",\"event_type\":\"\"}", 422, "event_type"),
                arguments("overlong event_type", "application/json", "{\"source\":\"s\",\"event_type\":\"" + "t".repeat(129) + "\"}", 422, "event_type"),
                arguments("newline in event_type", "application/json", "{\"source\":\"s\",\"event_type\":\"a\\nb\"}", 422, "event_type"),
                arguments("bad level", "application/json", "{" + OK + ",\"level\":\"loud\"}", 422, "level"),
                arguments("number level", "application/json", "{" + OK + ",\"level\":3}", 422, "level"),
                arguments("number message", "application/json", "{" + OK + ",\"message\":3}", 422, "message"),
                arguments("date-only timestamp", "application/json", "{" + OK + ",\"timestamp\":\"2026-11-21\"}", 422, "timestamp"),
                arguments("year 10000", "application/json", "{" + OK + ",\"timestamp\":\"10000-01-01T00:00:00Z\"}", 422, "timestamp"),
                arguments("year 1969", "application/json", "{" + OK + ",\"timestamp\":\"1969-12-31T23:59:59Z\"}", 422, "timestamp"),
                arguments("unparseable timestamp", "application/json", "{" + OK + ",\"timestamp\":\"yesterday\"}", 422, "timestamp"),
                arguments("impossible date", "application/json", "{" + OK + ",\"timestamp\":\"2026-02-30T00:00:00Z\"}", 422, "timestamp"),
                arguments("number timestamp", "application/json", "{" + OK + ",\"timestamp\":1700000000}", 422, "timestamp"),
                arguments("data array", "application/json", "{" + OK + ",\"data\":[1,2]}", 422, "data"),
                arguments("data scalar", "application/json", "{" + OK + ",\"data\":\"x\"}", 422, "data"),
                arguments("data depth 65", "application/json", "{" + OK + ",\"data\":" + nested(65) + "}", 422, "data"),
                arguments("unknown field", "application/json", "{" + OK + ",\"colour\":\"red\"}", 422, "colour"),
                arguments("33 tags", "application/json", "{" + OK + ",\"tags\":[" + "\"t\",".repeat(32) + "\"t\"]}", 422, "tags"),
                arguments("65-char tag", "application/json", "{" + OK + ",\"tags\":[\"" + "t".repeat(65) + "\"]}", 422, "tags"),
                arguments("empty tag", "application/json", "{" + OK + ",\"tags\":[\"\"]}", 422, "tags"),
                arguments("tags not array", "application/json", "{" + OK + ",\"tags\":\"a\"}", 422, "tags"),
                arguments("number tag", "application/json", "{" + OK + ",\"tags\":[1]}", 422, "tags"),
                arguments("overlong session_id", "application/json", "{" + OK + ",\"session_id\":\"" + "s".repeat(129) + "\"}", 422, "session_id"),
                arguments("overlong uuid", "application/json", "{" + OK + ",\"uuid\":\"" + "u".repeat(65) + "\"}", 422, "uuid"),
                arguments("number uuid", "application/json", "{" + OK + ",\"uuid\":7}", 422, "uuid"));
    }

    @ParameterizedTest(name = "{0} → {3}")
    @MethodSource("badEvents")
    void refusesBadInputAndStoresNothing(String name, String contentType, String body, int status, String field) {
        TestServer server = TestServer.of(APP);
        long before = server.count();
        HttpResponse<String> r = server.post("/events", contentType, body);
        assertThat(r.statusCode()).as(name + ": " + r.body()).isEqualTo(status);
        JsonNode error = TestServer.json(r.body());
        assertThat(error.get("code").asInt()).isEqualTo(status);
        assertThat(error.get("message").asText()).isNotBlank();
        if (field != null) {
            assertThat(error.get("errors")).as("errors of " + r.body()).isNotNull();
            assertThat(error.get("errors").findValuesAsText("field")).contains(field);
        }
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(server.count()).as("stored after " + name).isEqualTo(before);
    }

    @Test
    void authenticationComesBeforeEverythingElse() {
        TestServer server = TestServer.of(APP);
        long before = server.count();
        HttpRequest badKeyBadBody = HttpRequest.newBuilder(URI.create(server.url() + "/events"))
                .header("X-API-Key", "nope").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{")).build();
        HttpResponse<String> r = server.send(badKeyBadBody);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(TestServer.json(r.body()).get("code").asInt()).isEqualTo(401);

        HttpRequest noKey = HttpRequest.newBuilder(URI.create(server.url() + "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{" + OK + "}")).build();
        assertThat(server.send(noKey).statusCode()).isEqualTo(401);

        HttpRequest bearer = HttpRequest.newBuilder(URI.create(server.url() + "/events"))
                .header("Authorization", "Bearer " + TestServer.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{" + OK + "}")).build();
        assertThat(server.send(bearer).statusCode()).isEqualTo(201);
        assertThat(server.count()).isEqualTo(before + 1);

        HttpRequest deleteNoKey = HttpRequest.newBuilder(URI.create(server.url() + "/events")).DELETE().build();
        assertThat(server.send(deleteNoKey).statusCode()).isEqualTo(401);
    }

    /**
     * A refused request with a body the server does not need (no key, wrong key, unknown route,
     * wrong type) still gets its answer, on the pooled JDK client producers use: the body is
     * drained, so the server neither resets a client that is still sending nor closes a connection
     * the client then reuses ("header parser received no bytes").
     */
    @Test
    void refusedRequestsWithBodiesAlwaysGetTheirAnswer() {
        TestServer server = TestServer.of(APP);
        long before = server.count();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] big = ("{" + OK + ",\"message\":\"" + "x".repeat(3 << 19) + "\"}").getBytes(StandardCharsets.UTF_8);
        java.util.List<String> failures = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expect(client, failures, i, 401, request(server, "/events", null, "application/json", big));
            expect(client, failures, i, 401, request(server, "/events", "nope", "text/plain", "{".getBytes(StandardCharsets.UTF_8)));
            expect(client, failures, i, 401, request(server, "/nope", null, "application/json", big));
            expect(client, failures, i, 415, request(server, "/events/batch", TestServer.KEY, "text/csv", "a,b\n".repeat(1000).getBytes(StandardCharsets.UTF_8)));
            expect(client, failures, i, 201, request(server, "/events", TestServer.KEY, "application/json",
                    ("{" + OK + "}").getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(failures).isEmpty();
        assertThat(server.count()).isEqualTo(before + 50);
    }

    private static HttpRequest request(TestServer server, String path, String key, String type, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return b.build();
    }

    private static void expect(HttpClient client, java.util.List<String> failures, int round, int status, HttpRequest req) {
        try {
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != status) {
                failures.add("round " + round + " " + req.uri().getPath() + ": " + r.statusCode() + " " + r.body());
            }
        } catch (java.io.IOException e) {
            failures.add("round " + round + " " + req.uri().getPath() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void scopesLimitWhatAKeyMayDo() {
        TestServer server = TestServer.of(APP);
        HttpResponse<String> readWithIngestKey = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/events"))
                .header("X-API-Key", "ingest-only-key").GET().build());
        assertThat(readWithIngestKey.statusCode()).isEqualTo(403);
        assertThat(TestServer.json(readWithIngestKey.body()).get("message").asText()).contains("read");

        long before = server.count();
        HttpResponse<String> postWithReadKey = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/events"))
                .header("X-API-Key", "read-only-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{" + OK + "}")).build());
        assertThat(postWithReadKey.statusCode()).isEqualTo(403);
        assertThat(server.count()).isEqualTo(before);

        HttpResponse<String> postWithIngestKey = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/events"))
                .header("X-API-Key", "ingest-only-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{" + OK + "}")).build());
        assertThat(postWithIngestKey.statusCode()).isEqualTo(201);
    }

    @Test
    void unsupportedMethodsAnswer405AsJson() {
        TestServer server = TestServer.of(APP);
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/events"))
                .header("X-API-Key", TestServer.KEY).DELETE().build());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(TestServer.json(r.body()).get("code").asInt()).isEqualTo(405);
        HttpResponse<String> put = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/sources"))
                .header("X-API-Key", TestServer.KEY).PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(put.statusCode()).isEqualTo(405);
        HttpResponse<String> options = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/events"))
                .header("X-API-Key", TestServer.KEY).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(options.statusCode()).isEqualTo(405);
        assertThat(TestServer.json(options.body()).get("code").asInt()).isEqualTo(405);
    }

    @Test
    void errorsJettyAnswersItselfAreJsonToo() throws Exception {
        TestServer server = TestServer.of(APP);
        // A raw request: java.net.URI would refuse to build this malformed path.
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", APP.getLocalPort())) {
            s.getOutputStream().write(("GET /events/%zz HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestServer.KEY
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer).contains("application/json").contains("\"code\":400");
        }
        HttpResponse<String> unknownParam = server.get("/events/1?foo=2");
        assertThat(unknownParam.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(unknownParam.body()).get("message").asText()).contains("foo");
    }
}
