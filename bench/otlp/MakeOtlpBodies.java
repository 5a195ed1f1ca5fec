import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an OTLP logs export of N records (default 100) as protobuf ({@code logs-100.pb}) and OTLP
 * JSON ({@code logs-100.json}), each record the OTLP twin of bench/service/post-batch.lua's event.
 * Run with the service jar on the class path: {@code java -cp argus-service.jar MakeOtlpBodies.java DIR [N]}.
 */
public class MakeOtlpBodies {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        ScopeLogs.Builder scope = ScopeLogs.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("bench").setVersion("1.0"));
        long t = 1_767_225_600_000_000_000L;
        for (int i = 0; i < n; i++) {
            scope.addLogRecords(LogRecord.newBuilder()
                    .setTimeUnixNano(t + i * 1_000_000L)
                    .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
                    .setBody(str("GET /api/items 200 in 12ms"))
                    .addAttributes(kv("event.name", str("request")))
                    .addAttributes(kv("path", str("/api/items")))
                    .addAttributes(kv("status", AnyValue.newBuilder().setIntValue(200).build()))
                    .addAttributes(kv("ms", AnyValue.newBuilder().setIntValue(12).build())));
        }
        ExportLogsServiceRequest req = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("bench"))))
                        .addScopeLogs(scope))
                .build();
        Files.write(dir.resolve("logs-" + n + ".pb"), req.toByteArray());
        // No trace/span ids, so protobuf's JSON mapping is exactly OTLP's.
        String json = com.google.protobuf.util.JsonFormat.printer().omittingInsignificantWhitespace().print(req);
        Files.writeString(dir.resolve("logs-" + n + ".json"), json);
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    private static KeyValue kv(String k, AnyValue v) {
        return KeyValue.newBuilder().setKey(k).setValue(v).build();
    }
}
