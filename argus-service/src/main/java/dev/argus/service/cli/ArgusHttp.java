package dev.argus.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The HTTP side of the client commands: JDK {@link HttpClient}, the key header, one-line failures. */
final class ArgusHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    private final ClientSettings settings;
    private final HttpClient client;

    ArgusHttp(ClientSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    String url() {
        return settings.url();
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String body) {
        return send(request(path).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> patchJson(String path, String body) {
        return send(request(path).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens an SSE stream; the caller reads lines until the stream ends. */
    HttpResponse<Stream<String>> stream(String pathAndQuery, long lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(pathAndQuery).header("Accept", "text/event-stream").GET();
        b.header("Last-Event-ID", Long.toString(lastEventId));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofLines());
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(settings.url() + pathAndQuery));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("not a valid server URL: " + settings.url());
        }
        if (settings.key() != null) {
            b.header("X-API-Key", settings.key());
        }
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new CommandFailure(unreachable(settings.url(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted");
        }
    }

    /** The one line shown when the server cannot be reached. */
    static String unreachable(String url, IOException e) {
        String why;
        if (e instanceof ConnectException) {
            why = "connection refused";
        } else if (e instanceof HttpConnectTimeoutException) {
            why = "connect timed out";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer in time";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return "cannot reach Argus at " + url + " (" + why + ")";
    }

    /** Fails with a one-line message unless the answer is 2xx. */
    HttpResponse<String> require2xx(HttpResponse<String> r) {
        int code = r.statusCode();
        if (code >= 200 && code < 300) {
            return r;
        }
        throw new CommandFailure(describeError(r));
    }

    String describeError(HttpResponse<String> r) {
        return describeError(r.statusCode(), r.body());
    }

    String describeError(int code, String body) {
        if (code == 401) {
            return settings.key() == null
                    ? "Argus at " + settings.url() + " needs an API key: pass --key or set ARGUS_API_KEY"
                    : "Argus at " + settings.url() + " rejected the API key (401): check --key / ARGUS_API_KEY";
        }
        return "Argus answered " + code + ": " + errorMessage(body);
    }

    private static String errorMessage(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n.path("message").asText(body);
        } catch (IOException | RuntimeException e) {
            return body == null ? "" : body.strip();
        }
    }

    /** {@code ?a=1&b=2} from the non-null values (a list adds the parameter once per value), or "". */
    static String query(Map<String, ?> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ?> e : params.entrySet()) {
            Object v = e.getValue();
            List<?> values = v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
            for (Object one : values) {
                if (one == null) {
                    continue;
                }
                sb.append(sb.length() == 0 ? '?' : '&').append(e.getKey()).append('=')
                        .append(URLEncoder.encode(one.toString(), StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }
}
