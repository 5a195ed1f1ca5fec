package dev.argus.service.resources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What is stored and returned: normalisation, round-tripping, idempotency, batches, filters and paging. */
@ExtendWith(DropwizardExtensionsSupport.class)
class EventsApiIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();

    private final TestServer server = TestServer.of(APP);

    private static String unique() {
        return "src-" + UUID.randomUUID();
    }

    private long post(String json) {
        HttpResponse<String> r = server.postEvent(json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = TestServer.json(r.body());
        assertThat(body.get("status").asText()).isEqualTo("captured");
        return body.get("event_id").asLong();
    }

    private JsonNode event(long id) {
        return server.getJson("/events/" + id);
    }

    @Test
    void storesNormalisedFieldsAndReturnsEveryField() {
        long id = post("{\"source\":\"  tool  \",\"event_type\":\" build \",\"level\":\"WARNING\",\"message\":\" hi \","
                + "\"timestamp\":\"2026-11-21T14:34:56.1234567+02:00\",\"tags\":[\" a \",\"b\"],\"session_id\":\"s-1\"}");
        JsonNode e = event(id);
        assertThat(e.get("id").asLong()).isEqualTo(id);
        assertThat(e.get("source").asText()).isEqualTo("tool");
        assertThat(e.get("event_type").asText()).isEqualTo("build");
        assertThat(e.get("level").asText()).isEqualTo("warn");
        assertThat(e.get("message").asText()).isEqualTo("hi");
        assertThat(e.get("timestamp").asText()).isEqualTo("2026-11-21T12:34:56.123456Z");
        assertThat(e.get("received_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(e.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(e.get("session_id").asText()).isEqualTo("s-1");
        assertThat(e.get("uuid").isNull()).isTrue();
        assertThat(e.get("data").isNull()).isTrue();
    }

    @Test
    void absentOptionalFieldsComeBackAsNullAndTagsAsEmpty() {
        JsonNode e = event(post("{\"source\":\"s\",\"event_type\":\"t\"}"));
        for (String f : List.of("level", "message", "data", "session_id", "uuid")) {
            assertThat(e.has(f)).as(f).isTrue();
            assertThat(e.get(f).isNull()).as(f).isTrue();
        }
        assertThat(e.get("tags").isArray()).isTrue();
        assertThat(e.get("tags").size()).isZero();
        assertThat(e.get("timestamp").asText()).endsWith("Z").hasSize(27);
    }

    @Test
    void timestampsAreNormalisedToUtcWithSixFractionDigits() {
        assertThat(event(post("{\"source\":\"s\",\"event_type\":\"t\",\"timestamp\":\"2026-11-21T12:34:56\"}"))
                .get("timestamp").asText()).isEqualTo("2026-11-21T12:34:56.000000Z");
        assertThat(event(post("{\"source\":\"s\",\"event_type\":\"t\",\"timestamp\":\"2026-01-01T00:30:00-01:00\"}"))
                .get("timestamp").asText()).isEqualTo("2026-01-01T01:30:00.000000Z");
        assertThat(event(post("{\"source\":\"s\",\"event_type\":\"t\",\"timestamp\":\"2026-11-21T12:34:56.5Z\"}"))
                .get("timestamp").asText()).isEqualTo("2026-11-21T12:34:56.500000Z");
        assertThat(event(post("{\"source\":\"s\",\"event_type\":\"t\",\"timestamp\":\"1970-01-01T00:00:00Z\"}"))
                .get("timestamp").asText()).isEqualTo("1970-01-01T00:00:00.000000Z");
        assertThat(event(post("{\"source\":\"s\",\"event_type\":\"t\",\"timestamp\":\"9999-12-31T23:59:59.999999Z\"}"))
                .get("timestamp").asText()).isEqualTo("9999-12-31T23:59:59.999999Z");
    }

    @Test
    void levelsAreCaseInsensitiveAndWarningMeansWarn() {
        assertThat(event(post("{\"source\":\"s\",\"event_type\":\"t\",\"level\":\"Error\"}")).get("level").asText()).isEqualTo("error");
        assertThat(event(post("{\"source\":\"s\",\"event_type\":\"t\",\"level\":\"warning\"}")).get("level").asText()).isEqualTo("warn");
        assertThat(event(post("{\"source\":\"s\",\"event_type\":\"t\",\"level\":\"FATAL\"}")).get("level").asText()).isEqualTo("fatal");
    }

    @Test
    void dataRoundTripsExactly() {
        String data = "{\"z\":1,\"a\":{\"big\":123456789012345678901234567890,\"dec\":0.10000000000000000001,"
                + "\"exp\":1.5e300,\"neg\":-0.0},\"unicode\":\"héllo \uD83D\uDE00 日本\",\"esc\":\"q\\\"\\\\\\n\","
                + "\"list\":[true,false,null,[],{}]}";
        long id = post("{\"source\":\"s\",\"event_type\":\"t\",\"data\":" + data + "}");
        HttpResponse<String> raw = server.get("/events/" + id);
        assertThat(raw.body()).contains("\"data\":" + data + ",");
    }

    @Test
    void dataNestedSixtyFourDeepIsAccepted() {
        String d = IngestValidationIT.nested(64);
        long id = post("{\"source\":\"s\",\"event_type\":\"t\",\"data\":" + d + "}");
        assertThat(server.get("/events/" + id).body()).contains(d);
    }

    @Test
    void nameOf128CharactersIsAccepted() {
        String name = "n".repeat(128);
        assertThat(event(post("{\"source\":\"" + name + "\",\"event_type\":\"t\"}")).get("source").asText()).isEqualTo(name);
    }

    @Test
    void repeatedUuidStoresNothingAndAnswersTheFirstId() {
        String uuid = UUID.randomUUID().toString();
        long first = post("{\"source\":\"s\",\"event_type\":\"t\",\"uuid\":\"" + uuid + "\"}");
        long before = server.count();
        HttpResponse<String> again = server.postEvent("{\"source\":\"other\",\"event_type\":\"x\",\"uuid\":\"" + uuid + "\"}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"status\":\"duplicate\",\"event_id\":" + first + "}");
        assertThat(server.count()).isEqualTo(before);
        assertThat(event(first).get("uuid").asText()).isEqualTo(uuid);
    }

    @Test
    void idsIncreaseStrictly() {
        long a = post("{\"source\":\"s\",\"event_type\":\"t\"}");
        long b = post("{\"source\":\"s\",\"event_type\":\"t\"}");
        assertThat(b).isGreaterThan(a);
    }

    @Test
    void batchAsJsonArrayStoresAllInOrderWithOneAnswer() {
        String src = unique();
        String dup = UUID.randomUUID().toString();
        long existing = post("{\"source\":\"" + src + "\",\"event_type\":\"pre\",\"uuid\":\"" + dup + "\"}");
        String body = "[{\"source\":\"" + src + "\",\"event_type\":\"a\"},"
                + "{\"source\":\"" + src + "\",\"event_type\":\"b\",\"uuid\":\"" + dup + "\"},"
                + "{\"source\":\"" + src + "\",\"event_type\":\"c\",\"uuid\":\"in-batch-" + dup + "\"},"
                + "{\"source\":\"" + src + "\",\"event_type\":\"d\",\"uuid\":\"in-batch-" + dup + "\"},"
                + "{\"source\":\"" + src + "\",\"event_type\":\"e\",\"uuid\":\"" + dup + "\"}]";
        HttpResponse<String> r = server.post("/events/batch", "application/json", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode ids = TestServer.json(r.body()).get("event_ids");
        assertThat(TestServer.json(r.body()).get("status").asText()).isEqualTo("captured");
        assertThat(ids.size()).isEqualTo(5);
        assertThat(ids.get(0).asLong()).isGreaterThan(existing);
        assertThat(ids.get(1).asLong()).isEqualTo(existing);
        assertThat(ids.get(3).asLong()).isEqualTo(ids.get(2).asLong());
        assertThat(ids.get(4).asLong()).as("a stored uuid repeated twice in one batch").isEqualTo(existing);
        List<String> types = new ArrayList<>();
        server.getJson("/events?order=asc&source=" + src).get("events").forEach(e -> types.add(e.get("event_type").asText()));
        assertThat(types).containsExactly("pre", "a", "c");
    }

    @Test
    void batchAsNdjson() {
        String src = unique();
        String body = "{\"source\":\"" + src + "\",\"event_type\":\"a\"}\n\n{\"source\":\"" + src + "\",\"event_type\":\"b\"}\r\n";
        HttpResponse<String> r = server.post("/events/batch", "application/x-ndjson", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(TestServer.json(r.body()).get("event_ids").size()).isEqualTo(2);
        assertThat(server.getJson("/events?source=" + src).get("events").size()).isEqualTo(2);
    }

    @Test
    void batchIsAllOrNothing() {
        String src = unique();
        long before = server.count();
        String body = "[{\"source\":\"" + src + "\",\"event_type\":\"a\"},{\"source\":\"" + src + "\"},"
                + "{\"source\":\"" + src + "\",\"event_type\":\"c\",\"level\":\"nope\"}]";
        HttpResponse<String> r = server.post("/events/batch", "application/json", body);
        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode errors = TestServer.json(r.body()).get("errors");
        assertThat(errors.findValues("index").stream().map(JsonNode::asInt).toList()).containsExactly(1, 2);
        assertThat(server.count()).isEqualTo(before);
    }

    @Test
    void batchErrors() {
        long before = server.count();
        HttpResponse<String> malformedLine = server.post("/events/batch", "application/x-ndjson",
                "{\"source\":\"s\",\"event_type\":\"a\"}\n{\"source\":\n");
        assertThat(malformedLine.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(malformedLine.body()).get("message").asText()).contains("index 1");

        HttpResponse<String> empty = server.post("/events/batch", "application/json", "[]");
        assertThat(empty.statusCode()).isEqualTo(422);
        for (String noLine : List.of("", "\n", "  \r\n\n\t\n")) {
            HttpResponse<String> emptyNdjson = server.post("/events/batch", "application/x-ndjson", noLine);
            assertThat(emptyNdjson.statusCode()).as("NDJSON body of %d characters", noLine.length()).isEqualTo(422);
            assertThat(TestServer.json(emptyNdjson.body()).get("message").asText()).contains("empty");
        }
        assertThat(server.post("/events/batch", "application/json", "").statusCode()).as("empty JSON body").isEqualTo(400);

        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(51, "{\"source\":\"s\",\"event_type\":\"a\"}")) + "]";
        HttpResponse<String> many = server.post("/events/batch", "application/json", tooMany);
        assertThat(many.statusCode()).isEqualTo(413);
        assertThat(TestServer.json(many.body()).get("message").asText()).contains("50");

        String huge = "[{\"source\":\"s\",\"event_type\":\"a\",\"message\":\"" + "x".repeat(70 * 1024) + "\"}]";
        HttpResponse<String> tooBig = server.post("/events/batch", "application/json", huge);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(TestServer.json(tooBig.body()).get("message").asText()).contains("64");

        HttpResponse<String> wrongType = server.post("/events/batch", "text/csv", "a,b");
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(server.count()).isEqualTo(before);
    }

    @Test
    void filtersMatchAnyOfTheirValuesAndCombineWithAnd() {
        String a = unique();
        String b = unique();
        post("{\"source\":\"" + a + "\",\"event_type\":\"x\",\"level\":\"info\",\"tags\":[\"red\"],\"session_id\":\"S1\",\"message\":\"Build FAILED here\"}");
        post("{\"source\":\"" + a + "\",\"event_type\":\"y\",\"level\":\"error\",\"tags\":[\"blue\"],\"session_id\":\"S2\"}");
        post("{\"source\":\"" + b + "\",\"event_type\":\"x\",\"level\":\"warn\",\"tags\":[\"red\",\"blue\"]}");
        post("{\"source\":\"" + b + "\",\"event_type\":\"z\"}");
        String both = "source=" + a + "&source=" + b;
        assertThat(count(both)).isEqualTo(4);
        assertThat(count(both + "&event_type=x")).isEqualTo(2);
        assertThat(count(both + "&level=info&level=ERROR")).isEqualTo(2);
        assertThat(count(both + "&min_level=warn")).isEqualTo(2);
        assertThat(count(both + "&min_level=trace")).as("no level matches no level filter").isEqualTo(3);
        assertThat(count(both + "&tag=red")).isEqualTo(2);
        assertThat(count(both + "&tag=red&tag=blue")).isEqualTo(3);
        assertThat(count(both + "&session_id=S2")).isEqualTo(1);
        assertThat(count(both + "&q=failed")).as("q is case-insensitive").isEqualTo(1);
        assertThat(count(both + "&q=" + enc("%"))).as("LIKE wildcards are literal").isZero();
        assertThat(count(both + "&event_type=x&level=warn")).isEqualTo(1);
        assertThat(count(both + "&q=failed&q=nothing")).as("repeated q: any of").isEqualTo(1);
        assertThat(count(both + "&q=" + enc("\\") + "&q=" + enc("'") + "&q=" + enc(":x") + "&q=" + enc("?"))).isZero();
    }

    @Test
    void textFilterFoldsCaseBeyondAscii() {
        String src = unique();
        post("{\"source\":\"" + src + "\",\"event_type\":\"t\",\"message\":\"Caf\u00c9 ouvert\"}");
        post("{\"source\":\"" + src + "\",\"event_type\":\"t\",\"message\":\"Stra\u00dfe gesperrt\"}");
        assertThat(count("source=" + src + "&q=" + enc("café"))).isEqualTo(1);
        assertThat(count("source=" + src + "&q=" + enc("STRASSE"))).isEqualTo(1);
        assertThat(count("source=" + src + "&q=" + enc("é") + "&q=" + enc("ß"))).isEqualTo(2);
    }

    @Test
    void injectionLookingValuesAreJustValues() {
        post("{\"source\":\"s\",\"event_type\":\"t\"}");
        for (String v : List.of("' OR 1=1 --", "x\"; DROP TABLE events; --", "1) OR (1=1", "%' OR '%'='")) {
            assertThat(count("source=" + enc(v))).as(v).isZero();
            assertThat(count("q=" + enc(v))).as(v).isZero();
        }
        assertThat(server.count()).isPositive();
    }

    @Test
    void sinceAndUntilAreInclusiveInstants() {
        String src = unique();
        post("{\"source\":\"" + src + "\",\"event_type\":\"t\",\"timestamp\":\"2030-01-01T10:00:00Z\"}");
        post("{\"source\":\"" + src + "\",\"event_type\":\"t\",\"timestamp\":\"2030-01-01T11:00:00Z\"}");
        post("{\"source\":\"" + src + "\",\"event_type\":\"t\",\"timestamp\":\"2030-01-01T12:00:00Z\"}");
        assertThat(count("source=" + src + "&since=2030-01-01T11:00:00Z")).isEqualTo(2);
        assertThat(count("source=" + src + "&until=2030-01-01T11:00:00Z")).isEqualTo(2);
        assertThat(count("source=" + src + "&since=" + enc("2030-01-01T12:00:00+01:00") + "&until=2030-01-01T11:00:00.000000Z")).isEqualTo(1);
        assertThat(count("source=" + src + "&since=2030-01-01T11:00:00.000001Z")).isEqualTo(1);
    }

    @Test
    void badQueryParametersAre400NamingTheProblem() {
        assertBad("limit=0", "1000");
        assertBad("limit=1001", "1000");
        assertBad("limit=ten", "1000");
        assertBad("since=yesterday", "since");
        assertBad("until=2026-13-01T00:00:00Z", "until");
        assertBad("sorce=x", "sorce");
        assertBad("order=sideways", "order");
        assertBad("level=loud", "level");
        assertBad("after_id=abc", "after_id");
        assertThat(server.get("/sources?x=1").statusCode()).isEqualTo(400);
        assertThat(server.get("/event-types?src=1").statusCode()).isEqualTo(400);
    }

    private void assertBad(String query, String mentioned) {
        HttpResponse<String> r = server.get("/events?" + query);
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        JsonNode body = TestServer.json(r.body());
        assertThat(body.get("code").asInt()).isEqualTo(400);
        assertThat(body.get("message").asText()).as(query).contains(mentioned);
    }

    @Test
    void pagesThrough2500EventsWithNoGapAndNoDuplicateInBothOrders() {
        String src = unique();
        StringBuilder batch = new StringBuilder();
        List<Long> posted = new ArrayList<>();
        for (int chunk = 0; chunk < 50; chunk++) {
            batch.setLength(0);
            batch.append('[');
            for (int i = 0; i < 50; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"source\":\"").append(src).append("\",\"event_type\":\"p\"}");
            }
            batch.append(']');
            HttpResponse<String> r = server.post("/events/batch", "application/json", batch.toString());
            assertThat(r.statusCode()).isEqualTo(201);
            TestServer.json(r.body()).get("event_ids").forEach(id -> posted.add(id.asLong()));
        }
        assertThat(posted).hasSize(2500);

        List<Long> desc = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = server.getJson("/events?limit=300&source=" + src + (next == null ? "" : "&before_id=" + next));
            page.get("events").forEach(e -> desc.add(e.get("id").asLong()));
            next = page.get("next_before_id").isNull() ? null : page.get("next_before_id").asText();
        } while (next != null);
        assertThat(desc).hasSize(2500).doesNotHaveDuplicates().isSortedAccordingTo((x, y) -> Long.compare(y, x));
        assertThat(new HashSet<>(desc)).isEqualTo(new HashSet<>(posted));

        List<Long> asc = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = server.getJson("/events?order=asc&limit=1000&source=" + src + "&after_id=" + after);
            JsonNode events = page.get("events");
            events.forEach(e -> asc.add(e.get("id").asLong()));
            if (page.get("next_after_id") == null) {
                break;
            }
            after = page.get("next_after_id").asLong();
        }
        assertThat(asc).hasSize(2500).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void singleEventRouteAndDiscovery() {
        assertThat(server.get("/events/99999999").statusCode()).isEqualTo(404);
        HttpResponse<String> nonNumeric = server.get("/events/abc");
        assertThat(nonNumeric.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(nonNumeric.body()).get("code").asInt()).isEqualTo(404);

        post("{\"source\":\"Zeta\",\"event_type\":\"b\"}");
        post("{\"source\":\"alpha\",\"event_type\":\"a\"}");
        post("{\"source\":\"Zeta\",\"event_type\":\"c\"}");
        post("{\"source\":\"\u00e9cole\",\"event_type\":\"a\"}");
        List<String> sources = new ArrayList<>();
        server.getJson("/sources").get("sources").forEach(s -> sources.add(s.asText()));
        assertThat(sources).contains("Zeta", "alpha", "\u00e9cole");
        assertThat(sources).isSortedAccordingTo(String::compareTo);
        List<String> types = new ArrayList<>();
        server.getJson("/event-types?source=Zeta").get("event_types").forEach(s -> types.add(s.asText()));
        assertThat(types).containsExactly("b", "c");
    }

    private int count(String query) {
        return server.getJson("/events?limit=1000&" + query).get("events").size();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
