package dev.argus.service.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.UnknownFieldSet;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/logs} against a real server: the OpenTelemetry Java SDK's own exporter, fixtures and bad input. */
@ExtendWith(DropwizardExtensionsSupport.class)
class OtlpLogsIT {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();
    private static final String PROTOBUF = "application/x-protobuf";

    private final TestServer server = TestServer.of(APP);

    // ---- the real SDK ------------------------------------------------------------------------

    private SdkLoggerProvider provider(io.opentelemetry.sdk.resources.Resource resource, boolean json, boolean gzip) {
        OtlpHttpLogRecordExporterBuilder b = OtlpHttpLogRecordExporter.builder()
                .setEndpoint(server.url() + "/v1/logs")
                .addHeader("X-API-Key", TestServer.KEY)
                .setTimeout(Duration.ofSeconds(30));
        if (gzip) {
            b.setCompression("gzip");
        }
        if (json) {
            exportAsJson(b);
        }
        return SdkLoggerProvider.builder()
                .setResource(resource)
                .addLogRecordProcessor(BatchLogRecordProcessor.builder(b.build())
                        .setScheduleDelay(Duration.ofHours(1))
                        .setMaxExportBatchSize(512)
                        .build())
                .build();
    }

    /**
     * The SDK's HTTP exporter sends OTLP JSON when its internal builder is switched to it (what the
     * SDK's own tests and autoconfigure's {@code http/json} do); the public builder has no switch.
     */
    private static void exportAsJson(OtlpHttpLogRecordExporterBuilder b) {
        try {
            for (Field f : OtlpHttpLogRecordExporterBuilder.class.getDeclaredFields()) {
                if (f.getType().getSimpleName().equals("HttpExporterBuilder")) {
                    f.setAccessible(true);
                    Object delegate = f.get(b);
                    delegate.getClass().getMethod("exportAsJson").invoke(delegate);
                    return;
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot switch the OTLP exporter to JSON", e);
        }
        throw new AssertionError("OtlpHttpLogRecordExporterBuilder has no HttpExporterBuilder field");
    }

    private static void flush(SdkLoggerProvider provider) {
        CompletableResultCode r = provider.forceFlush().join(30, TimeUnit.SECONDS);
        assertThat(r.isSuccess()).as("export succeeded").isTrue();
        provider.close();
    }

    private JsonNode eventsOf(String query) {
        return server.getJson("/events?order=asc&limit=1000&" + query).get("events");
    }

    private static Map<String, JsonNode> byType(JsonNode events) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode e : events) {
            m.put(e.get("event_type").asText(), e);
        }
        return m;
    }

    @ParameterizedTest(name = "json={0}")
    @ValueSource(booleans = {false, true})
    void sdkExportStoresEveryMappedField(boolean json) {
        String service = "sdk-" + UUID.randomUUID();
        var resource = io.opentelemetry.sdk.resources.Resource.create(Attributes.builder()
                .put("service.name", service)
                .put("deployment.environment", "test")
                .put("host.cpus", 2L)
                .build());
        SdkLoggerProvider provider = provider(resource, json, false);
        Logger logger = provider.loggerBuilder("dev.argus.test.scope").setInstrumentationVersion("1.2.3").build();

        SpanContext span = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        Map<String, Value<?>> nested = new LinkedHashMap<>();
        nested.put("k", Value.of("v"));
        nested.put("n", Value.of(7L));
        logger.logRecordBuilder()
                .setEventName("order.placed")
                .setSeverity(Severity.INFO)
                .setBody("  hello otlp  ")
                .setTimestamp(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS)
                .setObservedTimestamp(1_800_000_000_000_000_000L, TimeUnit.NANOSECONDS)
                .setContext(Context.root().with(Span.wrap(span)))
                .setAttribute("a.string", "text")
                .setAttribute("a.bool", true)
                .setAttribute("a.int", 9_007_199_254_740_993L)
                .setAttribute("a.double", 1.5)
                .setAttribute(AttributeKey.stringArrayKey("a.array"), List.of("x", "y"))
                .setAttribute("a.kvlist", Value.of(nested))
                .setAttribute("a.bytes", Value.of(new byte[] {0, 1, 2, (byte) 0xff}))
                .setAttribute("event.name", "ignored.because.event_name.wins")
                .setAttribute("session.id", "sess-" + service)
                .emit();
        logger.logRecordBuilder()
                .setSeverity(Severity.WARN)
                .setBody(Value.of(KeyValue.of("a", Value.of(1L)), KeyValue.of("b", Value.of("x"))))
                .setObservedTimestamp(1_700_000_001_000_000_999L, TimeUnit.NANOSECONDS)
                .setAttribute("event.name", "from.attribute")
                .emit();
        logger.logRecordBuilder()
                .setBody(Value.of(Value.of(1L), Value.of("two"), Value.of(true)))
                .emit();
        logger.logRecordBuilder()
                .setEventName("int.body")
                .setBody(Value.of(42L))
                .emit();
        for (Severity s : Severity.values()) {
            logger.logRecordBuilder().setEventName("sev-" + s.getSeverityNumber()).setSeverity(s).emit();
        }
        Instant before = Instant.now().minusSeconds(60);
        flush(provider);

        JsonNode events = eventsOf("source=" + service);
        assertThat(events.size()).isEqualTo(4 + Severity.values().length);
        for (JsonNode e : events) {
            assertThat(e.get("source").asText()).isEqualTo(service);
        }
        // the whole export is one commit: contiguous ids, one received_at
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).get("id").asLong()).isEqualTo(events.get(i - 1).get("id").asLong() + 1);
            assertThat(events.get(i).get("received_at").asText()).isEqualTo(events.get(0).get("received_at").asText());
        }
        Map<String, JsonNode> t = byType(events);

        JsonNode first = t.get("order.placed");
        assertThat(first.get("level").asText()).isEqualTo("info");
        assertThat(first.get("message").asText()).isEqualTo("hello otlp");
        assertThat(first.get("timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123456Z");
        assertThat(first.get("session_id").asText()).isEqualTo("sess-" + service);
        assertThat(first.get("tags").size()).isZero();
        JsonNode data = first.get("data");
        JsonNode attrs = data.get("attributes");
        assertThat(attrs.get("a.string").textValue()).isEqualTo("text");
        assertThat(attrs.get("a.bool").isBoolean()).isTrue();
        assertThat(attrs.get("a.bool").booleanValue()).isTrue();
        assertThat(attrs.get("a.int").isIntegralNumber()).isTrue();
        assertThat(attrs.get("a.int").asText()).isEqualTo("9007199254740993");
        assertThat(attrs.get("a.double").isDouble()).isTrue();
        assertThat(attrs.get("a.double").doubleValue()).isEqualTo(1.5);
        assertThat(attrs.get("a.array").toString()).isEqualTo("[\"x\",\"y\"]");
        assertThat(attrs.get("a.kvlist")).isEqualTo(TestServer.json("{\"k\":\"v\",\"n\":7}"));
        assertThat(attrs.get("a.bytes").textValue()).isEqualTo("AAEC/w==");
        assertThat(attrs.get("session.id").textValue()).isEqualTo("sess-" + service);
        assertThat(data.get("resource")).isEqualTo(TestServer.json(
                "{\"service.name\":\"" + service + "\",\"deployment.environment\":\"test\",\"host.cpus\":2}"));
        assertThat(data.get("scope")).isEqualTo(TestServer.json("{\"name\":\"dev.argus.test.scope\",\"version\":\"1.2.3\"}"));
        assertThat(data.get("trace_id").textValue()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(data.get("span_id").textValue()).isEqualTo("b7ad6b7169203331");
        // key order of data is the documented one
        assertThat(iterableFieldNames(data)).containsExactly("attributes", "resource", "scope", "trace_id", "span_id");

        JsonNode second = t.get("from.attribute");
        assertThat(second.get("level").asText()).isEqualTo("warn");
        assertThat(TestServer.json(second.get("message").asText())).isEqualTo(TestServer.json("{\"a\":1,\"b\":\"x\"}"));
        assertThat(second.get("timestamp").asText()).isEqualTo("2023-11-14T22:13:21.000000Z");
        assertThat(second.get("session_id").isNull()).isTrue();
        assertThat(second.get("data").has("trace_id")).isFalse();
        assertThat(second.get("data").has("span_id")).isFalse();

        JsonNode third = t.get("log");
        assertThat(third.get("level").isNull()).isTrue();
        assertThat(third.get("message").asText()).isEqualTo("[1,\"two\",true]");
        assertThat(third.get("data").has("attributes")).isFalse();
        Instant observed = Instant.parse(third.get("timestamp").asText());
        assertThat(observed).isAfter(before); // the SDK stamps observed time when none was given

        assertThat(t.get("int.body").get("message").asText()).isEqualTo("42");

        Map<Integer, String> expected = new HashMap<>();
        expected.put(0, null);
        for (int n = 1; n <= 24; n++) {
            expected.put(n, List.of("trace", "debug", "info", "warn", "error", "fatal").get((n - 1) / 4));
        }
        for (int n : new int[] {0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24}) {
            JsonNode e = t.get("sev-" + n);
            assertThat(e).as("severity " + n).isNotNull();
            if (expected.get(n) == null) {
                assertThat(e.get("level").isNull()).as("severity " + n).isTrue();
            } else {
                assertThat(e.get("level").asText()).as("severity " + n).isEqualTo(expected.get(n));
            }
        }
    }

    private static List<String> iterableFieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void sdkGzipProtobufExportIsStored() {
        String service = "gzip-" + UUID.randomUUID();
        SdkLoggerProvider provider = provider(io.opentelemetry.sdk.resources.Resource.create(
                Attributes.of(AttributeKey.stringKey("service.name"), service)), false, true);
        Logger logger = provider.get("gz");
        for (int i = 0; i < 20; i++) {
            logger.logRecordBuilder().setBody("line " + i).setSeverity(Severity.ERROR).emit();
        }
        flush(provider);
        JsonNode events = eventsOf("source=" + service);
        assertThat(events.size()).isEqualTo(20);
        assertThat(events.get(19).get("message").asText()).isEqualTo("line 19");
        assertThat(events.get(0).get("level").asText()).isEqualTo("error");
        assertThat(events.get(0).get("event_type").asText()).isEqualTo("log");
    }

    // ---- Claude Code's telemetry ---------------------------------------------------------------

    @Test
    void claudeCodeEventsCarrySessionAndEventName() throws IOException {
        HttpResponse<String> r = post("application/json", null, fixture("otlp/claude-code-events.json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(TestServer.json(r.body())).isEqualTo(TestServer.json("{}"));

        JsonNode events = eventsOf("session_id=cc-session-7d1e2f");
        assertThat(events.size()).isEqualTo(4);
        Map<String, JsonNode> t = byType(events);
        assertThat(t.keySet()).containsExactly("user_prompt", "tool_result", "api_request", "api_error");
        for (JsonNode e : events) {
            assertThat(e.get("source").asText()).isEqualTo("claude-code");
            assertThat(e.get("session_id").asText()).isEqualTo("cc-session-7d1e2f");
            assertThat(e.get("message").asText()).isEqualTo("claude_code." + e.get("event_type").asText());
            assertThat(e.get("data").get("scope").get("name").asText()).isEqualTo("com.anthropic.claude_code.events");
            assertThat(e.get("data").get("resource").get("os.type").asText()).isEqualTo("linux");
        }
        JsonNode prompt = t.get("user_prompt");
        assertThat(prompt.get("timestamp").asText()).isEqualTo("2026-01-01T00:00:00.123456Z");
        assertThat(prompt.get("data").get("attributes").get("prompt_length").asText()).isEqualTo("42");
        assertThat(prompt.get("data").get("attributes").get("event.sequence").asLong()).isEqualTo(1);
        assertThat(t.get("tool_result").get("data").get("attributes").get("tool_name").asText()).isEqualTo("Bash");
        assertThat(t.get("api_request").get("data").get("attributes").get("cost_usd").asText()).isEqualTo("0.0123");
        assertThat(t.get("api_error").get("data").get("attributes").get("status_code").asText()).isEqualTo("529");

        HttpResponse<String> byType = server.get("/events?source=claude-code&event_type=api_error&session_id=cc-session-7d1e2f");
        assertThat(TestServer.json(byType.body()).get("events").size()).isEqualTo(1);
    }

    // ---- hand-built requests -------------------------------------------------------------------

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    private static io.opentelemetry.proto.common.v1.KeyValue kv(String k, AnyValue v) {
        return io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey(k).setValue(v).build();
    }

    private static ResourceLogs resourceLogs(String serviceName, LogRecord... records) {
        Resource.Builder r = Resource.newBuilder();
        if (serviceName != null) {
            r.addAttributes(kv("service.name", str(serviceName)));
        }
        return ResourceLogs.newBuilder().setResource(r)
                .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(Arrays.asList(records))).build();
    }

    private static LogRecord record(String session, String body) {
        return LogRecord.newBuilder().setBody(str(body)).addAttributes(kv("session.id", str(session))).build();
    }

    private HttpResponse<String> post(String contentType, String encoding, byte[] body) {
        return post(contentType, encoding, body, TestServer.KEY);
    }

    private HttpResponse<String> post(String contentType, String encoding, byte[] body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/v1/logs"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        return server.send(b.build());
    }

    private HttpResponse<byte[]> postForBytes(String contentType, byte[] body) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/v1/logs"))
                            .header("X-API-Key", TestServer.KEY).header("Content-Type", contentType)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void recordWithoutAnyTimeGetsServerTimeAndDefaults() {
        String session = "no-time-" + UUID.randomUUID();
        Instant before = Instant.now().minusSeconds(1);
        HttpResponse<byte[]> r = postForBytes(PROTOBUF, ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(resourceLogs(null, record(session, "plain"))).build().toByteArray());
        Instant after = Instant.now().plusSeconds(1);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(PROTOBUF);
        assertThat(r.body()).isEmpty(); // an ExportLogsServiceResponse with nothing set
        JsonNode e = eventsOf("session_id=" + session).get(0);
        assertThat(e.get("source").asText()).isEqualTo("otlp");
        assertThat(e.get("event_type").asText()).isEqualTo("log");
        assertThat(e.get("level").isNull()).isTrue();
        assertThat(e.get("message").asText()).isEqualTo("plain");
        assertThat(Instant.parse(e.get("timestamp").asText())).isBetween(before, after);
        assertThat(e.get("data")).isEqualTo(TestServer.json("{\"attributes\":{\"session.id\":\"" + session + "\"}}"));
    }

    @Test
    void oneBadRecordIsRejectedAloneWithPartialSuccess() throws Exception {
        String session = "partial-" + UUID.randomUUID();
        String longName = "s".repeat(200);
        ExportLogsServiceRequest req = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(resourceLogs("good-service", record(session, "one"), record(session, "two")))
                .addResourceLogs(resourceLogs(longName, record(session, "bad")))
                .addResourceLogs(resourceLogs("good-service", record(session, "three")))
                .build();
        HttpResponse<byte[]> r = postForBytes(PROTOBUF, req.toByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        ExportLogsServiceResponse answer = ExportLogsServiceResponse.parseFrom(r.body());
        assertThat(answer.getPartialSuccess().getRejectedLogRecords()).isEqualTo(1);
        assertThat(answer.getPartialSuccess().getErrorMessage())
                .contains("log record 2").contains("service.name").contains("at most 128 characters");
        JsonNode events = eventsOf("session_id=" + session);
        assertThat(events.size()).isEqualTo(3);
        assertThat(events.get(0).get("message").asText()).isEqualTo("one");
        assertThat(events.get(2).get("message").asText()).isEqualTo("three");

        // the same in JSON: the answer is OTLP JSON with int64 as a string
        String json = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\""
                + longName + "\"}}]},\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"x\"}}]}]},"
                + "{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"ok\"},\"attributes\":[{\"key\":\"session.id\","
                + "\"value\":{\"stringValue\":\"" + session + "-json\"}}]}]}]}]}";
        HttpResponse<String> rj = post("application/json; charset=utf-8", null, json.getBytes(StandardCharsets.UTF_8));
        assertThat(rj.statusCode()).as(rj.body()).isEqualTo(200);
        JsonNode partial = TestServer.json(rj.body()).get("partialSuccess");
        assertThat(partial.get("rejectedLogRecords").asText()).isEqualTo("1");
        assertThat(partial.get("errorMessage").asText()).contains("service.name");
        assertThat(eventsOf("session_id=" + session + "-json").size()).isEqualTo(1);
    }

    @Test
    void otherRuleBreakersAreRejected() throws Exception {
        String session = "rules-" + UUID.randomUUID();
        AnyValue deep = str("leaf");
        for (int i = 0; i < 62; i++) { // data 1, attributes 2, these kvlists 3..64
            deep = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(kv("k", deep))).build();
        }
        AnyValue tooDeep = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(kv("k", deep))).build();
        LogRecord ok63 = record(session, "depth 64").toBuilder().addAttributes(kv("deep", deep)).build();
        LogRecord bad65 = record(session, "depth 65").toBuilder().addAttributes(kv("deep", tooDeep)).build();
        LogRecord badType = record(session, "ctl").toBuilder().setEventName("bad\u0007type").build();
        LogRecord longSession = record("x".repeat(129), "long session");
        LogRecord badSeverity = record(session, "sev").toBuilder().setSeverityNumberValue(25).build();
        ExportLogsServiceRequest req = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(resourceLogs("rules", ok63, bad65, badType, longSession, badSeverity)).build();
        HttpResponse<byte[]> r = postForBytes(PROTOBUF, req.toByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        ExportLogsServiceResponse answer = ExportLogsServiceResponse.parseFrom(r.body());
        assertThat(answer.getPartialSuccess().getRejectedLogRecords()).isEqualTo(4);
        assertThat(answer.getPartialSuccess().getErrorMessage())
                .contains("log record 1: data").contains("log record 2: event_type")
                .contains("log record 3: session_id").contains("log record 4: level");
        JsonNode events = eventsOf("session_id=" + session);
        assertThat(events.size()).isEqualTo(1);
        assertThat(events.get(0).get("message").asText()).isEqualTo("depth 64");
    }

    // ---- bad input: the codes of §16 and §3, nothing stored ------------------------------------

    private static UnknownFieldSet rpcStatus(byte[] body) throws IOException {
        return UnknownFieldSet.parseFrom(body);
    }

    private byte[] validProtobuf(int records) {
        LogRecord[] rs = new LogRecord[records];
        for (int i = 0; i < records; i++) {
            rs[i] = record("bad-input", "message number " + i);
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(resourceLogs("bad-input", rs)).build().toByteArray();
    }

    @Test
    void badInputIsAnsweredWithItsCodeAndStoresNothing() throws Exception {
        long before = server.count();

        byte[] good = validProtobuf(5);
        HttpResponse<byte[]> truncated = postForBytes(PROTOBUF, Arrays.copyOf(good, good.length - 7));
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(truncated.headers().firstValue("Content-Type").orElse("")).startsWith(PROTOBUF);
        UnknownFieldSet status = rpcStatus(truncated.body());
        assertThat(status.getField(1).getVarintList()).containsExactly(3L); // INVALID_ARGUMENT
        assertThat(status.getField(2).getLengthDelimitedList().get(0).toStringUtf8()).contains("protobuf");

        for (String notOtlp : List.of("{\"source\":\"s\",\"event_type\":\"t\"}", "[1,2,3]", "{\"resourceLogs\":\"x\"}",
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"xyz\"}]}]}]}",
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"soon\"}]}]}]}",
                "{\"resourceLogs\":[]} trailing", "{not json", "")) {
            HttpResponse<String> r = post("application/json", null, notOtlp.getBytes(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(notOtlp + " → " + r.body()).isEqualTo(400);
            JsonNode err = TestServer.json(r.body());
            assertThat(err.get("code").asInt()).isEqualTo(400);
            assertThat(err.get("message").asText()).isNotBlank();
        }

        HttpResponse<byte[]> notGzip = sendBytes(PROTOBUF, "gzip", good, TestServer.KEY);
        assertThat(notGzip.statusCode()).isEqualTo(400);
        assertThat(notGzip.headers().firstValue("Content-Type").orElse(""))
                .as(new String(notGzip.body(), StandardCharsets.UTF_8)).startsWith(PROTOBUF);
        assertThat(rpcStatus(notGzip.body()).getField(2).getLengthDelimitedList().get(0).toStringUtf8()).contains("gzip");
        HttpResponse<String> notGzipJson = post("application/json", "gzip", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(notGzipJson.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(notGzipJson.body()).get("code").asInt()).isEqualTo(400);

        // test-server.yml: limits.maxBatchSizeKb = 64
        byte[] big = ExportLogsServiceRequest.newBuilder().addResourceLogs(resourceLogs("bad-input",
                record("bad-input", "x".repeat(65 * 1024)))).build().toByteArray();
        HttpResponse<byte[]> tooBig = postForBytes(PROTOBUF, big);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(rpcStatus(tooBig.body()).getField(1).getVarintList()).containsExactly(8L);
        HttpResponse<byte[]> bomb = sendBytes(PROTOBUF, "gzip", gzip(big), TestServer.KEY);
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(gzip(big).length).isLessThan(64 * 1024);

        assertThat(post(PROTOBUF, null, good, "wrong-key").statusCode()).isEqualTo(401);
        assertThat(post(PROTOBUF, null, good, null).statusCode()).isEqualTo(401);
        assertThat(post(PROTOBUF, null, good, "read-only-key").statusCode()).isEqualTo(403);

        HttpResponse<String> text = post("text/plain", null, good);
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(TestServer.json(text.body()).get("code").asInt()).isEqualTo(415);
        assertThat(post(null, null, good).statusCode()).isEqualTo(415);
        assertThat(post(PROTOBUF, "br", good).statusCode()).isEqualTo(415);

        HttpResponse<byte[]> empty = postForBytes(PROTOBUF, new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(ExportLogsServiceResponse.parseFrom(empty.body()).hasPartialSuccess()).isFalse();

        assertThat(server.count()).isEqualTo(before);

        // and the same valid body is stored, so the refusals above were about the input
        assertThat(post(PROTOBUF, "gzip", gzip(good)).statusCode()).isEqualTo(200);
        assertThat(post(PROTOBUF, null, good, "ingest-only-key").statusCode()).isEqualTo(200);
        assertThat(server.count()).isEqualTo(before + 10);
    }

    private HttpResponse<byte[]> sendBytes(String contentType, String encoding, byte[] body, String key) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/v1/logs"))
                    .header("X-API-Key", key).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (encoding != null) {
                b.header("Content-Encoding", encoding);
            }
            return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = OtlpLogsIT.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
