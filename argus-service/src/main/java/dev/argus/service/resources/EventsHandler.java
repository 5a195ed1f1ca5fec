package dev.argus.service.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.api.ApiException;
import dev.argus.service.api.EventPage;
import dev.argus.service.core.EventQuery;
import dev.argus.service.core.QueryParameters;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.storage.EventReader;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The event reads of SPEC §3, served by the edge: {@code GET /events} (filtered keyset pages),
 * {@code GET /events/{id}}, {@code GET /sources} and {@code GET /event-types} (sorted by code
 * point). POSTs are served by {@link IngestHandler}. Errors are {@code {"code","message"}}.
 */
public final class EventsHandler {
    private static final int DEFAULT_LIMIT = 100;
    private static final Set<String> EVENT_TYPES = Set.of("source");

    private final EventReader dao;
    private final int maxLimit;
    private final ObjectMapper json;

    /** @param json the application's mapper (the event and page shapes are its annotations) */
    public EventsHandler(EventReader dao, int maxLimit, ObjectMapper json) {
        this.dao = dao;
        this.maxLimit = maxLimit;
        this.json = json;
    }

    /** {@code GET /events?filters&limit&order&after_id&before_id} → {@code {"events":[...],"next_before_id":N|null}}. */
    public void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiRequests.serve(req, resp, json, 0, () -> {
            EventQuery q;
            try {
                q = QueryParameters.parseQuery(ApiRequests.query(req), Math.min(DEFAULT_LIMIT, maxLimit), maxLimit);
            } catch (QueryParameters.InvalidParameterException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            List<StoredEvent> rows = dao.find(q, q.limit() + 1);
            boolean more = rows.size() > q.limit();
            if (more) {
                rows = rows.subList(0, q.limit());
            }
            Long next = more ? rows.get(rows.size() - 1).id() : null;
            EventPage page = q.ascending() ? new EventPage(rows, null, next) : new EventPage(rows, next, null);
            ApiRequests.writeJson(resp, json.writeValueAsBytes(page));
        });
    }

    /** {@code GET /events/{id}} → the bare event; 404 when unknown or not a number. */
    public void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiRequests.serve(req, resp, json, 0, () -> {
            ApiRequests.query(req, Set.of());
            String rawId = ApiRequests.lastSegment(req);
            long id;
            try {
                id = Long.parseLong(rawId);
            } catch (NumberFormatException e) {
                throw ApiException.notFound("event '" + rawId + "' not found");
            }
            StoredEvent e = dao.findById(id);
            if (e == null) {
                throw ApiException.notFound("event " + id + " not found");
            }
            ApiRequests.writeJson(resp, json.writeValueAsBytes(e));
        });
    }

    /** {@code GET /sources} → {@code {"sources":[...]}}. */
    public void sources(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiRequests.serve(req, resp, json, 0, () -> {
            ApiRequests.query(req, Set.of());
            ApiRequests.writeJson(resp, json.writeValueAsBytes(Map.of("sources", dao.sources())));
        });
    }

    /** {@code GET /event-types[?source=...]} → {@code {"event_types":[...]}}; a repeated source means any of. */
    public void eventTypes(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiRequests.serve(req, resp, json, 0, () -> {
            Map<String, List<String>> params = ApiRequests.query(req, EVENT_TYPES);
            List<String> sources = new ArrayList<>();
            for (String s : params.getOrDefault("source", List.of())) {
                if (!s.isEmpty()) {
                    sources.add(s.strip());
                }
            }
            ApiRequests.writeJson(resp, json.writeValueAsBytes(Map.of("event_types", dao.eventTypes(sources))));
        });
    }
}
