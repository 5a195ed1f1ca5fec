package dev.argus.service.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.agents.AgentStatus;
import dev.argus.service.agents.AgentsJson;
import dev.argus.service.agents.Session;
import dev.argus.service.agents.SessionStatus;
import dev.argus.service.api.ApiError;
import dev.argus.service.api.ApiException;
import dev.argus.service.core.FieldError;
import dev.argus.service.core.QueryParameters;
import dev.argus.service.core.StorageException;
import dev.argus.service.sessions.SessionWrites;
import dev.argus.service.storage.SessionReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sessions and agents (SPEC §12.3): {@code GET /sessions}, {@code GET /sessions/{id}},
 * {@code PATCH /sessions/{id}} and {@code GET /agents}. Reads use the read pool; a PATCH goes
 * through the writer so that it is ordered with the events that change the same session.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class SessionsResource {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final int MAX_ID_LENGTH = 128;

    private final SessionReader reader;
    private final SessionWrites writes;
    private final ObjectMapper json;

    public SessionsResource(SessionReader reader, SessionWrites writes, ObjectMapper json) {
        this.reader = reader;
        this.writes = writes;
        this.json = json;
    }

    @GET
    @Path("sessions")
    public String list(@Context UriInfo uri) {
        Map<String, List<String>> params = uri.getQueryParameters();
        check(params, Set.of("status", "project", "limit"));
        String status = single(params, "status");
        SessionStatus s = null;
        if (status != null) {
            s = SessionStatus.parse(status);
            if (s == null) {
                throw ApiException.badRequest("invalid query parameter 'status': must be active, idle or ended");
            }
        }
        String project = single(params, "project");
        return AgentsJson.sessions(reader.sessions(s, project, limit(params)));
    }

    @GET
    @Path("sessions/{id}")
    public String get(@PathParam("id") String id, @Context UriInfo uri) {
        check(uri.getQueryParameters(), Set.of());
        Session s = reader.session(id);
        if (s == null) {
            throw ApiException.notFound("session '" + id + "' not found");
        }
        return AgentsJson.session(s, reader.agents(id, null, Integer.MAX_VALUE));
    }

    @PATCH
    @Path("sessions/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public String patch(@PathParam("id") String id, @Context UriInfo uri, String body) {
        check(uri.getQueryParameters(), Set.of());
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed JSON");
        }
        if (root == null) {
            throw ApiException.badRequest("request body is empty");
        }
        if (!root.isObject()) {
            throw invalid(null, "the body must be a JSON object");
        }
        boolean end = false;
        String taskId = null;
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode v = root.get(name);
            switch (name) {
                case "status" -> {
                    if (!v.isTextual() || !v.textValue().equals("ended")) {
                        throw invalid("status", "must be \"ended\"");
                    }
                    end = true;
                }
                case "task_id" -> {
                    String t = v.isTextual() ? v.textValue().strip() : null;
                    if (t == null || t.isEmpty() || t.codePointCount(0, t.length()) > MAX_ID_LENGTH) {
                        throw invalid("task_id", "must be a string of 1 to " + MAX_ID_LENGTH + " characters");
                    }
                    taskId = t;
                }
                default -> throw invalid(name, "unknown field; a PATCH takes status and task_id");
            }
        }
        if (!end && taskId == null) {
            throw invalid(null, "nothing to change: give status \"ended\" and/or task_id");
        }
        SessionWrites.PatchResult r;
        try {
            r = writes.patch(id, taskId, end);
        } catch (StorageException e) {
            throw new ApiException(503, e.getMessage());
        }
        if (r instanceof SessionWrites.Patched p) {
            return AgentsJson.session(p.session(), p.agents());
        }
        if (r instanceof SessionWrites.UnknownTask) {
            throw invalid("task_id", "names no task");
        }
        throw ApiException.notFound("session '" + id + "' not found");
    }

    @GET
    @Path("agents")
    public String agents(@Context UriInfo uri) {
        Map<String, List<String>> params = uri.getQueryParameters();
        check(params, Set.of("session_id", "status", "limit"));
        String status = single(params, "status");
        AgentStatus s = null;
        if (status != null) {
            s = AgentStatus.parse(status);
            if (s == null) {
                throw ApiException.badRequest("invalid query parameter 'status': must be pending, running,"
                        + " completed, failed or abandoned");
            }
        }
        return AgentsJson.agents(reader.agents(single(params, "session_id"), s,
                params.containsKey("limit") ? limit(params) : MAX_LIMIT));
    }

    private static void check(Map<String, List<String>> params, Set<String> allowed) {
        try {
            QueryParameters.checkNames(params, allowed);
        } catch (QueryParameters.InvalidParameterException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw ApiException.badRequest("invalid query parameter '" + name + "': given more than once");
        }
        return v.get(0);
    }

    private static int limit(Map<String, List<String>> params) {
        String v = single(params, "limit");
        if (v == null) {
            return DEFAULT_LIMIT;
        }
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw ApiException.badRequest("invalid query parameter 'limit': must be an integer from 1 to " + MAX_LIMIT);
        }
        return n;
    }

    private static WebApplicationException invalid(String field, String message) {
        String text = field == null ? message : field + " " + message;
        return new WebApplicationException(text, Response.status(422).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(422, "invalid session change: " + text,
                        List.of(new FieldError(null, field, message)))).build());
    }
}
