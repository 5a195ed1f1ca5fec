package dev.argus.service.resources;

import dev.argus.service.api.ApiException;
import dev.argus.service.core.QueryParameters;
import dev.argus.service.storage.EventReader;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code GET /sources} and {@code GET /event-types}: what exists, sorted by code point. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class DiscoveryResource {
    private final EventReader dao;

    public DiscoveryResource(EventReader dao) {
        this.dao = dao;
    }

    @GET
    @Path("sources")
    public Map<String, List<String>> sources(@Context UriInfo uri) {
        check(uri.getQueryParameters(), Set.of());
        return Map.of("sources", dao.sources());
    }

    @GET
    @Path("event-types")
    public Map<String, List<String>> eventTypes(@Context UriInfo uri) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        check(params, Set.of("source"));
        List<String> sources = new ArrayList<>();
        for (String s : params.getOrDefault("source", List.of())) {
            if (!s.isEmpty()) {
                sources.add(s.strip());
            }
        }
        return Map.of("event_types", dao.eventTypes(sources));
    }

    private static void check(MultivaluedMap<String, String> params, Set<String> allowed) {
        try {
            QueryParameters.checkNames(params, allowed);
        } catch (QueryParameters.InvalidParameterException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
