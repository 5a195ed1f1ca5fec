package dev.argus.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code argus tail}: prints matching events live from {@code GET /events/stream} (SSE). When the
 * connection drops (server restart) it reconnects with backoff and resumes with
 * {@code Last-Event-ID}, so nothing committed meanwhile is missed or printed twice.
 */
final class TailCommand extends ClientCommand {
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final int PAGE = 1000;

    TailCommand() {
        super("tail", "Print matching events live as they arrive (SSE /events/stream); Ctrl-C stops");
    }

    @Override
    protected void addOptions(Subparser p) {
        addFilters(p);
        p.addArgument("-n", "--lines").type(Integer.class).setDefault(0)
                .help("first print the last N matching stored events (default 0)");
        p.addArgument("--after-id").dest("after_id").type(Long.class)
                .help("first print every stored matching event with an id greater than this");
        p.addArgument("--max-events").dest("max_events").type(Long.class)
                .help("exit (status 0) after printing this many events");
        p.addArgument("--json").action(Arguments.storeTrue())
                .help("print each event's JSON exactly as the server sent it, one per line");
    }

    /** Where the stream stands: the last printed id and how many were printed. */
    private static final class Cursor {
        long lastId;
        long printed;
        final Long max;

        Cursor(long lastId, Long max) {
            this.lastId = lastId;
            this.max = max;
        }

        boolean done() {
            return max != null && printed >= max;
        }
    }

    @Override
    protected void run(Namespace ns, ArgusHttp http) throws Exception {
        Map<String, Object> filters = filters(ns);
        boolean json = ns.getBoolean("json");
        Cursor cursor = new Cursor(0, ns.getLong("max_events"));
        Long afterId = ns.getLong("after_id");
        int lines = ns.getInt("lines");
        if (afterId != null) {
            cursor.lastId = afterId;
        } else if (lines > 0) {
            cursor.lastId = startForLastLines(http, filters, lines);
        } else {
            cursor.lastId = latestId(http);
        }
        if (afterId != null || lines > 0) {
            catchUp(http, filters, json, cursor);
        }
        long backoff = 250;
        // The server answered the start-up request above, so a refused or dropped stream means a
        // restart: keep reconnecting with backoff and say so once per interruption.
        boolean interrupted = false;
        String query = ArgusHttp.query(filters);
        while (!cursor.done()) {
            HttpResponse<Stream<String>> r;
            try {
                r = http.stream("/events/stream" + query, cursor.lastId);
            } catch (IOException e) {
                if (!interrupted) {
                    err.println("argus tail: " + ArgusHttp.unreachable(http.url(), e) + "; reconnecting");
                    interrupted = true;
                }
                backoff = pause(backoff);
                continue;
            }
            if (r.statusCode() != 200) {
                String body = drain(r.body());
                if (r.statusCode() >= 500) {
                    interrupted = true;
                    backoff = pause(backoff);
                    continue;
                }
                throw new CommandFailure(http.describeError(r.statusCode(), body));
            }
            if (interrupted) {
                err.println("argus tail: reconnected" + (cursor.lastId > 0 ? ", resuming after event " + cursor.lastId : ""));
                interrupted = false;
            }
            backoff = 250;
            String reason = read(r.body(), http, filters, json, cursor);
            if (reason != null && !cursor.done()) {
                err.println("argus tail: " + reason + "; reconnecting");
                interrupted = true;
            }
        }
    }

    /** Reads one SSE connection; returns why it ended (null when the wanted number of events was printed). */
    private String read(Stream<String> body, ArgusHttp http, Map<String, Object> filters, boolean json, Cursor cursor) {
        try (body) {
            Iterator<String> it = body.iterator();
            String event = null;
            StringBuilder data = new StringBuilder();
            boolean hasData = false;
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (hasData) {
                        String type = event == null ? "message" : event;
                        if (type.equals("event")) {
                            JsonNode e = ArgusHttp.JSON.readTree(data.toString());
                            long id = e.path("id").asLong();
                            if (id > cursor.lastId) {
                                print(e, data.toString(), json, cursor);
                            }
                        } else if (type.equals("replay_truncated")) {
                            // More stored events than one replay holds: page them, then reconnect after them.
                            long resume = ArgusHttp.JSON.readTree(data.toString()).path("resume_after_id").asLong(cursor.lastId);
                            cursor.lastId = Math.max(cursor.lastId, resume);
                            catchUp(http, filters, json, cursor);
                            return "replay truncated";
                        }
                        if (cursor.done()) {
                            return null;
                        }
                    }
                    event = null;
                    data.setLength(0);
                    hasData = false;
                } else if (line.startsWith(":")) {
                    continue;
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    if (field.equals("event")) {
                        event = value;
                    } else if (field.equals("data")) {
                        if (hasData) {
                            data.append('\n');
                        }
                        data.append(value);
                        hasData = true;
                    }
                }
            }
            return "the server closed the stream";
        } catch (UncheckedIOException e) {
            return "connection lost (" + e.getCause().getMessage() + ")";
        } catch (IOException e) {
            return "unreadable event (" + e.getMessage() + ")";
        }
    }

    private void print(JsonNode e, String raw, boolean json, Cursor cursor) {
        out.println(json ? raw : EventFormat.line(e));
        out.flush();
        cursor.lastId = Math.max(cursor.lastId, e.path("id").asLong());
        cursor.printed++;
    }

    /** The id just before the last {@code n} matching stored events. */
    private static long startForLastLines(ArgusHttp http, Map<String, Object> filters, int n) throws IOException {
        Map<String, Object> params = new java.util.LinkedHashMap<>(filters);
        params.put("limit", Math.min(n, PAGE));
        params.put("order", "desc");
        JsonNode events = ArgusHttp.JSON.readTree(http.require2xx(http.get("/events" + ArgusHttp.query(params))).body())
                .path("events");
        if (events.isEmpty()) {
            return latestId(http);
        }
        return events.get(events.size() - 1).path("id").asLong() - 1;
    }

    private static long latestId(ArgusHttp http) throws IOException {
        JsonNode events = ArgusHttp.JSON.readTree(http.require2xx(http.get("/events?limit=1")).body()).path("events");
        return events.isEmpty() ? 0 : events.get(0).path("id").asLong();
    }

    /** Prints every stored matching event after the cursor, oldest first, page by page. */
    private void catchUp(ArgusHttp http, Map<String, Object> filters, boolean json, Cursor cursor) throws IOException {
        while (!cursor.done()) {
            Map<String, Object> params = new java.util.LinkedHashMap<>(filters);
            params.put("after_id", cursor.lastId);
            params.put("order", "asc");
            params.put("limit", PAGE);
            String body = http.require2xx(http.get("/events" + ArgusHttp.query(params))).body();
            List<String> raws = EventFormat.rawElements(body, "events");
            List<JsonNode> nodes = new ArrayList<>();
            ArgusHttp.JSON.readTree(body).path("events").forEach(nodes::add);
            for (int i = 0; i < nodes.size() && !cursor.done(); i++) {
                print(nodes.get(i), raws.get(i), json, cursor);
            }
            if (nodes.size() < PAGE) {
                return;
            }
        }
    }

    private static long pause(long backoff) {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted");
        }
        return Math.min(backoff * 2, MAX_BACKOFF_MS);
    }

    private static String drain(Stream<String> body) {
        try (body) {
            return String.join("\n", body.limit(100).toList());
        } catch (UncheckedIOException e) {
            return "";
        }
    }
}
