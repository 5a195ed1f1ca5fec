package dev.argus.service.resources;

import dev.argus.service.api.ApiException;
import dev.argus.service.api.EventPage;
import dev.argus.service.core.EventQuery;
import dev.argus.service.core.QueryParameters;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.storage.EventReader;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/** {@code GET /events} (filtered keyset pages) and {@code GET /events/{id}}; POSTs are served by {@link IngestHandler}. */
@Path("/events")
@Produces(MediaType.APPLICATION_JSON)
public final class EventsResource {
    private static final int DEFAULT_LIMIT = 100;

    private final EventReader dao;
    private final int maxLimit;

    public EventsResource(EventReader dao, int maxLimit) {
        this.dao = dao;
        this.maxLimit = maxLimit;
    }

    @GET
    public EventPage list(@Context UriInfo uri) {
        EventQuery q;
        try {
            q = QueryParameters.parseQuery(uri.getQueryParameters(), Math.min(DEFAULT_LIMIT, maxLimit), maxLimit);
        } catch (QueryParameters.InvalidParameterException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        List<StoredEvent> rows = dao.find(q, q.limit() + 1);
        boolean more = rows.size() > q.limit();
        if (more) {
            rows = rows.subList(0, q.limit());
        }
        Long next = more ? rows.get(rows.size() - 1).id() : null;
        return q.ascending() ? new EventPage(rows, null, next) : new EventPage(rows, next, null);
    }

    @GET
    @Path("{id}")
    public StoredEvent get(@PathParam("id") String rawId, @Context UriInfo uri) {
        try {
            QueryParameters.checkNames(uri.getQueryParameters(), java.util.Set.of());
        } catch (QueryParameters.InvalidParameterException e) {
            throw ApiException.badRequest(e.getMessage());
        }
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
        return e;
    }
}
