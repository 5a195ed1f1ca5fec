package dev.argus.service.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.api.ErrorResponses;
import dev.argus.service.core.EventFilter;
import dev.argus.service.core.QueryParameters;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /events/stream} (SPEC §5), mapped exactly.
 * The key was already checked by the edge ({@code EdgeFilter}) (header, or {@code ?api_key=} for
 * {@code EventSource}). An async servlet with non-blocking writes: an open stream holds no thread,
 * only its bounded outbox, so hundreds of idle dashboards cost memory, not the request pool.
 */
final class EventStreamServlet extends HttpServlet {
    private static final Set<String> NAMES;

    static {
        Set<String> names = new HashSet<>(QueryParameters.FILTER_NAMES);
        names.add("after_id");
        names.add("api_key");
        NAMES = Set.copyOf(names);
    }

    private final transient StreamServices services;
    private final transient ObjectMapper json;

    EventStreamServlet(StreamServices services, ObjectMapper json) {
        this.services = services;
        this.json = json;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"GET".equals(req.getMethod())) {
            resp.setHeader("Allow", "GET");
            ErrorResponses.send(resp, json, 405, "method " + req.getMethod() + " is not allowed on /events/stream; use GET");
            return;
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        req.getParameterMap().forEach((k, v) -> params.put(k, Arrays.asList(v)));
        EventFilter filter;
        Long resumeAfter;
        try {
            QueryParameters.checkNames(params, NAMES);
            params.remove("api_key");
            List<String> after = params.remove("after_id");
            filter = QueryParameters.parseFilter(params);
            resumeAfter = resumePoint(req.getHeader("Last-Event-ID"), after);
        } catch (QueryParameters.InvalidParameterException e) {
            ErrorResponses.send(resp, json, 400, e.getMessage());
            return;
        }
        resp.setStatus(200);
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        // Headers go out now, before any event (SPEC §5), so that clients see the stream is open.
        resp.flushBuffer();
        // The TCP connection under this response, to cut it when the client stops reading (abort).
        EndPoint endPoint = ServletContextRequest.getServletContextRequest(req).getConnectionMetaData().getConnection().getEndPoint();
        SseConnection c = new SseConnection(services, async, resp.getOutputStream(), endPoint::close);
        c.start();
        c.subscribeFrom(filter, resumeAfter);
    }

    /** {@code Last-Event-ID} wins over {@code after_id}. */
    static Long resumePoint(String lastEventId, List<String> afterId) throws QueryParameters.InvalidParameterException {
        if (lastEventId != null && !lastEventId.isBlank()) {
            return nonNegative(lastEventId.strip(), "Last-Event-ID");
        }
        if (afterId == null) {
            return null;
        }
        List<String> given = afterId.stream().filter(v -> v != null && !v.isBlank()).toList();
        if (given.isEmpty()) {
            return null;
        }
        if (given.size() > 1) {
            throw new QueryParameters.InvalidParameterException("after_id may be given only once");
        }
        return nonNegative(given.get(0).strip(), "after_id");
    }

    private static long nonNegative(String raw, String name) throws QueryParameters.InvalidParameterException {
        try {
            long v = Long.parseLong(raw);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new QueryParameters.InvalidParameterException(name + " must be a non-negative integer");
    }
}
