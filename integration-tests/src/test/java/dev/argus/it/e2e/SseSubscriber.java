package dev.argus.it.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.it.support.ArgusServer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * {@code /events/stream} subscriber on the JDK's {@link HttpClient}, reading the body line by line:
 * the first connection asks for {@code after_id=0}, every reconnection sends {@code Last-Event-ID}
 * (the last {@code id:} received), as a browser's {@code EventSource} does.
 */
final class SseSubscriber extends StreamSubscriber {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String apiKey;
    private final String source;
    private volatile Stream<String> body;
    private boolean first = true;

    SseSubscriber(String url, String apiKey, String source) {
        super("e2e-sse-" + source);
        this.url = url;
        this.apiKey = apiKey;
        this.source = source;
    }

    @Override
    protected void connectOnce(long afterId) throws Exception {
        String query = "?source=" + URLEncoder.encode(source, StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder().header("X-API-Key", apiKey)
                .header("Accept", "text/event-stream");
        if (first) {
            request.uri(URI.create(url + "/events/stream" + query + "&after_id=" + afterId));
        } else {
            request.uri(URI.create(url + "/events/stream" + query)).header("Last-Event-ID", Long.toString(afterId));
        }
        HttpResponse<Stream<String>> r = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = r.body()) {
            if (r.statusCode() != 200) {
                notice("HTTP " + r.statusCode());
                return;
            }
            first = false;
            body = lines;
            connected();
            String event = null;
            String lastEventId = null;
            StringBuilder data = new StringBuilder();
            Iterator<String> it = lines.iterator();
            while (it.hasNext() && !isClosed()) {
                String line = it.next();
                if (line.isEmpty()) {
                    dispatch(event, lastEventId, data.toString());
                    event = null;
                    lastEventId = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    lastEventId = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
                // ':' comment lines are keep-alives
            }
        } finally {
            body = null;
        }
    }

    private void dispatch(String event, String lastEventId, String data) {
        if (data.isEmpty()) {
            return;
        }
        if (!"event".equals(event)) {
            notice(event + ": " + data);
            return;
        }
        JsonNode e = ArgusServer.readJson(data);
        long id = e.get("id").asLong();
        if (lastEventId == null || Long.parseLong(lastEventId) != id) {
            notice("id: line " + lastEventId + " does not match event id " + id);
        }
        received(id);
    }

    @Override
    protected void abort() {
        Stream<String> b = body;
        if (b != null) {
            b.close();
        }
    }
}
