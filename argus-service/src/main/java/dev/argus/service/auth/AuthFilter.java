package dev.argus.service.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.api.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Checks the API key before anything else on every API route (SPEC §3): {@code X-API-Key} or
 * {@code Authorization: Bearer}; {@code ?api_key=} only on the SSE stream, which browsers cannot
 * give headers. The dashboard's static files and {@code /ws} (which authenticates by message) pass.
 */
public final class AuthFilter extends HttpFilter {
    public static final String PRINCIPAL_ATTRIBUTE = "argus.principal";
    private static final String STREAM_PATH = "/events/stream";
    private static final java.util.Set<String> ALLOWED_METHODS = java.util.Set.of("GET", "HEAD", "POST");

    private final ApiKeys keys;
    private final ObjectMapper json;

    public AuthFilter(ApiKeys keys, ObjectMapper json) {
        this.keys = keys;
        this.json = json;
    }

    /** True for the paths of the HTTP API (everything else is the dashboard or the WebSocket). */
    public static boolean isApiPath(String path) {
        return path.equals("/events") || path.startsWith("/events/")
                || path.equals("/sources") || path.equals("/event-types") || path.equals("/v1/logs");
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String path = req.getRequestURI();
        if (!isApiPath(path)) {
            chain.doFilter(req, resp);
            return;
        }
        String presented = presentedKey(req, path);
        if (presented == null) {
            ErrorResponses.send(resp, json, 401, "missing API key: send X-API-Key or Authorization: Bearer");
            return;
        }
        ApiKeys.Principal principal = keys.authenticate(presented);
        if (principal == null) {
            ErrorResponses.send(resp, json, 401, "invalid API key");
            return;
        }
        String method = req.getMethod();
        if (!ALLOWED_METHODS.contains(method)) {
            // Answered here rather than by Jersey so that OPTIONS, too, gets a plain 405 (no WADL).
            resp.setHeader("Allow", "GET, HEAD, POST");
            ErrorResponses.send(resp, json, 405, "HTTP 405 Method Not Allowed");
            return;
        }
        Scope needed = "POST".equals(method) ? Scope.INGEST : Scope.READ;
        if (!principal.scopes().contains(needed)) {
            ErrorResponses.send(resp, json, 403, "API key '" + principal.name() + "' lacks the '"
                    + needed.json() + "' scope");
            return;
        }
        req.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
        chain.doFilter(req, resp);
    }

    static String presentedKey(HttpServletRequest req, String path) {
        String key = req.getHeader("X-API-Key");
        if (key != null && !key.isEmpty()) {
            return key.strip();
        }
        String auth = req.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String bearer = auth.substring(7).strip();
            return bearer.isEmpty() ? null : bearer;
        }
        if (STREAM_PATH.equals(path)) {
            String q = req.getParameter("api_key");
            if (q != null && !q.isEmpty()) {
                return q;
            }
        }
        return null;
    }
}
