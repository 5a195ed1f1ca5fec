package dev.argus.service.otlp;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.argus.service.api.ErrorResponses;
import dev.argus.service.config.LimitsConfig;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.core.StorageException;
import dev.argus.service.core.Timestamps;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * {@code POST /v1/logs}: OTLP/HTTP logs in protobuf or JSON, optionally gzipped (SPEC §16). Each log
 * record becomes one event; the accepted ones are stored in one commit and the answer, an
 * {@code ExportLogsServiceResponse} in the request's encoding, comes after it. Records that break
 * an event rule are counted in {@code partial_success}. The key was checked by the auth filter.
 */
public final class OtlpLogsServlet extends HttpServlet {
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    /** Slack over the limit for the gzip framing of a body whose content is just within it. */
    private static final int GZIP_OVERHEAD = 64 * 1024;
    /**
     * Protobuf's default of 100 nested messages would refuse attribute values that §2 accepts: each
     * kvlist level costs three messages (AnyValue, KeyValueList, KeyValue) and {@code data} may be 64 deep.
     */
    static final int MAX_NESTING = 400;

    private final IngestEngine engine;
    private final LimitsConfig limits;
    private final ObjectMapper json;
    private final OtlpJson otlpJson;
    private final OtlpLogMapper mapper;
    private final Timer timer;
    private final Meter rejectedRecords;

    public OtlpLogsServlet(IngestEngine engine, LimitsConfig limits, ObjectMapper json, MetricRegistry metrics) {
        this.engine = engine;
        this.limits = limits;
        this.json = json;
        this.otlpJson = new OtlpJson(json);
        this.mapper = new OtlpLogMapper(json.getFactory());
        this.timer = metrics.timer("argus.otlp.logs.request-time");
        this.rejectedRecords = metrics.meter("argus.otlp.logs.rejected-records");
    }

    /** Thrown while reading a request that has already been answered. */
    private static final class Answered extends Exception {
        Answered() {
            super(null, null, false, false);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (Timer.Context ignored = timer.time()) {
            handle(req, resp);
        } catch (Answered done) {
            // the error answer has been written
        }
    }

    private void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException, Answered {
        String type = mediaType(req);
        boolean protobuf = PROTOBUF.equals(type);
        if (!protobuf && !JSON.equals(type)) {
            ErrorResponses.send(resp, json, 415, type == null
                    ? "missing Content-Type; expected application/x-protobuf or application/json"
                    : "unsupported Content-Type '" + type + "'; expected application/x-protobuf or application/json");
            return;
        }
        byte[] body = readBody(req, resp, protobuf);

        ExportLogsServiceRequest request;
        if (protobuf) {
            try {
                CodedInputStream in = CodedInputStream.newInstance(body);
                in.setRecursionLimit(MAX_NESTING);
                request = ExportLogsServiceRequest.parseFrom(in);
            } catch (InvalidProtocolBufferException e) {
                error(resp, true, 400, "undecodable protobuf ExportLogsServiceRequest: " + e.getMessage());
                return;
            }
        } else {
            try {
                request = otlpJson.parse(body, body.length);
            } catch (OtlpJson.NotOtlpException e) {
                error(resp, false, 400, e.getMessage());
                return;
            }
        }

        OtlpLogMapper.Result mapped = mapper.map(request, Timestamps.nowMicros());
        if (!mapped.events().isEmpty()) {
            try {
                engine.write(mapped.events());
            } catch (StorageException e) {
                error(resp, protobuf, 503, e.getMessage());
                return;
            }
        }
        ExportLogsServiceResponse.Builder answer = ExportLogsServiceResponse.newBuilder();
        if (mapped.rejected() > 0) {
            rejectedRecords.mark(mapped.rejected());
            answer.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                    .setRejectedLogRecords(mapped.rejected())
                    .setErrorMessage(mapped.errorMessage()));
        }
        ExportLogsServiceResponse response = answer.build();
        write(resp, 200, protobuf, protobuf ? response.toByteArray() : otlpJson.print(response));
    }

    /** The decoded (gunzipped) body, at most {@code limits.maxBatchSizeKb}; answers 400/413/415 itself. */
    private byte[] readBody(HttpServletRequest req, HttpServletResponse resp, boolean protobuf)
            throws IOException, Answered {
        int max = limits.getMaxBatchSizeKb() * 1024;
        String tooLarge = "body exceeds limits.maxBatchSizeKb = " + limits.getMaxBatchSizeKb() + " KB";
        String encoding = req.getHeader("Content-Encoding");
        boolean gzip = false;
        if (encoding != null && !encoding.isBlank()) {
            String e = encoding.strip().toLowerCase(Locale.ROOT);
            if (e.equals("gzip") || e.equals("x-gzip")) {
                gzip = true;
            } else if (!e.equals("identity")) {
                error(resp, protobuf, 415, "unsupported Content-Encoding '" + encoding.strip() + "'; expected gzip or none");
                throw new Answered();
            }
        }
        int rawMax = gzip ? max + GZIP_OVERHEAD : max;
        long declared = req.getContentLengthLong();
        if (declared > rawMax) {
            resp.setHeader("Connection", "close");
            error(resp, protobuf, 413, tooLarge);
            throw new Answered();
        }
        byte[] raw;
        try (InputStream in = req.getInputStream()) {
            raw = readAtMost(in, rawMax, declared >= 0 ? (int) declared : 8192);
        } catch (IOException e) {
            // Jetty's GzipHandler inflates gzip bodies before we see them and fails the read on bad gzip.
            error(resp, protobuf, 400, gzip || encoding != null
                    ? "Content-Encoding is " + encoding.strip() + " but the body could not be decoded: " + e.getMessage()
                    : "request body could not be read: " + e.getMessage());
            throw new Answered();
        }
        if (raw == null) {
            resp.setHeader("Connection", "close");
            error(resp, protobuf, 413, tooLarge);
            throw new Answered();
        }
        if (!gzip) {
            return raw;
        }
        byte[] plain;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 8192)) {
            plain = readAtMost(in, max, Math.min(max, Math.max(raw.length * 4, 1024)));
        } catch (IOException e) {
            error(resp, protobuf, 400, "Content-Encoding is gzip but the body is not valid gzip: " + e.getMessage());
            throw new Answered();
        }
        if (plain == null) {
            error(resp, protobuf, 413, tooLarge + " (after gunzip)");
            throw new Answered();
        }
        return plain;
    }

    /** Reads the whole stream; null when it holds more than {@code max} bytes. */
    private static byte[] readAtMost(InputStream in, int max, int initial) throws IOException {
        byte[] buf = new byte[Math.max(16, Math.min(max, initial))];
        int length = 0;
        while (true) {
            if (length == buf.length) {
                if (length >= max) {
                    return in.read() < 0 ? buf : null;
                }
                buf = Arrays.copyOf(buf, (int) Math.min(max, Math.max(buf.length * 2L, 1024)));
            }
            int n = in.read(buf, length, buf.length - length);
            if (n < 0) {
                return length == buf.length ? buf : Arrays.copyOf(buf, length);
            }
            length += n;
        }
    }

    /** An error answer: a {@code google.rpc.Status} for protobuf requests, the API's JSON otherwise. */
    private void error(HttpServletResponse resp, boolean protobuf, int httpStatus, String message) throws IOException {
        if (!protobuf) {
            ErrorResponses.send(resp, json, httpStatus, message);
            return;
        }
        write(resp, httpStatus, true, rpcStatus(grpcCode(httpStatus), message));
    }

    /** {@code google.rpc.Status{code = 1; message = 2}} (no details), encoded by hand: two fields. */
    static byte[] rpcStatus(int code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length() + 8);
        CodedOutputStream c = CodedOutputStream.newInstance(out);
        try {
            if (code != 0) {
                c.writeInt32(1, code);
            }
            if (!message.isEmpty()) {
                c.writeString(2, message);
            }
            c.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** The gRPC status code that matches an HTTP answer (google.rpc.Code). */
    static int grpcCode(int httpStatus) {
        switch (httpStatus) {
            case 400: return 3;   // INVALID_ARGUMENT
            case 401: return 16;  // UNAUTHENTICATED
            case 403: return 7;   // PERMISSION_DENIED
            case 413: return 8;   // RESOURCE_EXHAUSTED
            case 415: return 3;   // INVALID_ARGUMENT
            case 503: return 14;  // UNAVAILABLE
            default: return 13;   // INTERNAL
        }
    }

    private static void write(HttpServletResponse resp, int status, boolean protobuf, byte[] body) throws IOException {
        resp.setStatus(status);
        resp.setContentType(protobuf ? PROTOBUF : JSON);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static String mediaType(HttpServletRequest req) {
        String ct = req.getContentType();
        if (ct == null) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi >= 0 ? ct.substring(0, semi) : ct).strip().toLowerCase(Locale.ROOT);
    }
}
