package dev.argus.service.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.agents.AgentStatus;
import dev.argus.service.agents.AgentsJson;
import dev.argus.service.agents.Session;
import dev.argus.service.agents.SessionStatus;
import dev.argus.service.api.ApiException;
import dev.argus.service.core.FieldError;
import dev.argus.service.core.StorageException;
import dev.argus.service.sessions.SessionWrites;
import dev.argus.service.storage.SessionReader;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sessions and agents (SPEC §12.3), served by the edge: {@code GET /sessions},
 * {@code GET /sessions/{id}}, {@code PATCH /sessions/{id}} and {@code GET /agents}. Reads use the
 * read pool; a PATCH goes through the writer so that it is ordered with the events that change
 * the same session. Errors are {@code {"code","message"}}.
 */
public final class SessionsHandler {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final int MAX_ID_LENGTH = 128;
    private static final Set<String> SESSION_LIST = Set.of("status", "project", "limit");
    private static final Set<String> AGENT_LIST = Set.of("session_id", "status", "limit");

    private final SessionReader reader;
    private final SessionWrites writes;
    private final ObjectMapper json;
    private final int maxBodyBytes;

    /** @param maxBodyBytes largest PATCH body accepted (413 beyond) */
    public SessionsHandler(SessionReader reader, SessionWrites writes, ObjectMapper json, int maxBodyBytes) {
        this.reader = reader;
        this.writes = writes;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** {@code GET /sessions?status=&project=&limit=} → {@code {"sessions":[...]}}, most recent activity first. */
    public void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiRequests.serve(req, resp, json, 0, () -> {
            Map<String, List<String>> params = ApiRequests.query(req, SESSION_LIST);
            String status = single(params, "status");
            SessionStatus s = null;
            if (status != null) {
                s = SessionStatus.parse(status);
                if (s == null) {
                    throw ApiException.badRequest("invalid query parameter 'status': must be active, idle or ended");
                }
            }
            String project = single(params, "project");
            write(resp, AgentsJson.sessions(reader.sessions(s, project, limit(params))));
        });
    }

    /** {@code GET /sessions/{id}} → the session with its {@code agents}; 404 when unknown. */
    public void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiRequests.serve(req, resp, json, 0, () -> {
            ApiRequests.query(req, Set.of());
            String id = ApiRequests.lastSegment(req);
            Session s = reader.session(id);
            if (s == null) {
                throw ApiException.notFound("session '" + id + "' not found");
            }
            write(resp, AgentsJson.session(s, reader.agents(id, null, Integer.MAX_VALUE)));
        });
    }

    /**
     * {@code PATCH /sessions/{id}} with {@code {"status":"ended"}} and/or {@code {"task_id":...}}
     * ({@code application/json}) → the session; 404 when unknown, 422 for a bad change.
     */
    public void patch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiRequests.serve(req, resp, json, maxBodyBytes, () -> {
            String id = ApiRequests.lastSegment(req);
            Charset charset = jsonCharset(req);
            ApiRequests.query(req, Set.of());
            String body = body(req, charset);
            JsonNode root;
            try {
                root = body.isBlank() ? null : json.readTree(body);
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
                write(resp, AgentsJson.session(p.session(), p.agents()));
                return;
            }
            if (r instanceof SessionWrites.UnknownTask) {
                throw invalid("task_id", "names no task");
            }
            throw ApiException.notFound("session '" + id + "' not found");
        });
    }

    /** {@code GET /agents?session_id=&status=&limit=} → {@code {"agents":[...]}} in creation order. */
    public void agents(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiRequests.serve(req, resp, json, 0, () -> {
            Map<String, List<String>> params = ApiRequests.query(req, AGENT_LIST);
            String status = single(params, "status");
            AgentStatus s = null;
            if (status != null) {
                s = AgentStatus.parse(status);
                if (s == null) {
                    throw ApiException.badRequest("invalid query parameter 'status': must be pending, running,"
                            + " completed, failed or abandoned");
                }
            }
            write(resp, AgentsJson.agents(reader.agents(single(params, "session_id"), s,
                    params.containsKey("limit") ? limit(params) : MAX_LIMIT)));
        });
    }

    /** The charset of an {@code application/json} body (its {@code charset} parameter, else UTF-8); 415 for another type. */
    private static Charset jsonCharset(HttpServletRequest req) {
        String type = req.getContentType();
        String[] parts = type == null ? new String[0] : type.split(";");
        String media = parts.length == 0 ? null : parts[0].strip().toLowerCase(Locale.ROOT);
        if (!"application/json".equals(media)) {
            throw new ApiException(415, media == null || media.isEmpty() ? "missing Content-Type; expected application/json"
                    : "unsupported Content-Type '" + media + "'; expected application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            if (param.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = param.substring(8).strip().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    throw new ApiException(415, "unsupported charset '" + name + "'");
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** The body as text; 413 beyond the bound. */
    private String body(HttpServletRequest req, Charset charset) throws IOException {
        if (req.getContentLengthLong() > maxBodyBytes) {
            throw tooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = req.getInputStream()) {
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                if (out.size() > maxBodyBytes) {
                    throw tooLarge();
                }
            }
        }
        return out.toString(charset);
    }

    private ApiException tooLarge() {
        return new ApiException(413, "request body exceeds " + maxBodyBytes / 1024 + " KB");
    }

    private static void write(HttpServletResponse resp, String body) throws IOException {
        ApiRequests.writeJson(resp, body.getBytes(StandardCharsets.UTF_8));
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

    private static ApiException invalid(String field, String message) {
        String text = field == null ? message : field + " " + message;
        return new ApiException(422, "invalid session change: " + text, List.of(new FieldError(null, field, message)));
    }
}
