package dev.argus.service.http;

import dev.argus.service.core.AuthMode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.api.ErrorResponses;
import dev.argus.service.auth.ApiKeys;
import dev.argus.service.core.Scope;
import dev.argus.service.work.MonitorErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.util.URIUtil;

import java.io.IOException;

/**
 * The one HTTP edge of the application port (SPEC §3): every request is matched against the
 * {@link RouteTable} on the decoded, normalised path that the container routes on, authenticated
 * for the endpoint that will serve it, and only then served, by the endpoint's handler or by the
 * container (the SSE, OTLP and WebSocket servlets). Anything not in the table is refused: 401 without a valid
 * key, else 404 (405 for a known path with another method).
 *
 * <p>Spellings: percent-encoded letters, {@code .} and {@code ..} segments are decoded and
 * resolved by Jetty before the match, so {@code /%65vents} and {@code /x/../events} are
 * {@code /events} with its key. Path parameters ({@code ;x}) are refused with 400 rather than
 * stripped, as are empty segments, encoded separators and {@code ..} above the root: no spelling
 * may reach a handler that the table does not name. A servlet receives the canonical path as its
 * request URI, so it routes exactly what was authenticated.
 */
public final class EdgeFilter extends HttpFilter {
    public static final String PRINCIPAL_ATTRIBUTE = "argus.principal";
    /** The canonical path the edge routed on, for handlers that read path parameters. */
    public static final String PATH_ATTRIBUTE = "argus.path";

    private final RouteTable routes;
    private final ApiKeys keys;
    private final ObjectMapper json;
    private final AuthMode mode;
    private final long drainLimit;

    /**
     * @param drainLimit bytes of a refused request's body read and discarded so that the client,
     *                   usually still sending, receives the answer instead of a reset; a larger
     *                   body is answered with {@code Connection: close}
     */
    public EdgeFilter(RouteTable routes, ApiKeys keys, ObjectMapper json, AuthMode mode, long drainLimit) {
        this.routes = routes;
        this.keys = keys;
        this.json = json;
        this.mode = mode;
        this.drainLimit = drainLimit;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String path = canonicalPath(req);
        if (path == null) {
            refuse(req, resp, 400, "malformed or ambiguous request path");
            return;
        }
        String method = req.getMethod();
        RouteTable.Lookup found = routes.find(method, path);
        if (found instanceof RouteTable.Found f) {
            serve(f.endpoint(), path, req, resp, chain);
            return;
        }
        String key = headerKey(req);
        if (found instanceof RouteTable.WrongMethod wrong && wrong.publicPath()) {
            methodNotAllowed(req, resp, method, path, wrong);
        } else if (keys.authenticate(key) == null) {
            refuse(req, resp, 401, missingOrInvalid(key));
        } else if (found instanceof RouteTable.WrongMethod wrong) {
            methodNotAllowed(req, resp, method, path, wrong);
        } else {
            refuse(req, resp, 404, "no route " + path);
        }
    }

    private void methodNotAllowed(HttpServletRequest req, HttpServletResponse resp, String method, String path,
                                  RouteTable.WrongMethod wrong) throws IOException {
        resp.setHeader("Allow", String.join(", ", wrong.allowed()));
        refuse(req, resp, 405, "method " + method + " is not allowed on " + path
                + "; allowed: " + String.join(", ", wrong.allowed()));
    }

    private void serve(RouteTable.Endpoint e, String path, HttpServletRequest req, HttpServletResponse resp,
                       FilterChain chain) throws IOException, ServletException {
        Access access = e.access();
        if (access == Access.READ || access == Access.INGEST) {
            String key = headerKey(req);
            if (key == null && e.keyInQuery()) {
                String q = req.getParameter("api_key");
                key = q == null || q.isEmpty() ? null : q;
            }
            boolean keyOptional = access == Access.READ && mode == AuthMode.RELAXED;
            if (key != null || !keyOptional) {
                ApiKeys.Principal principal = keys.authenticate(key);
                if (principal == null) {
                    refuse(req, resp, 401, missingOrInvalid(key));
                    return;
                }
                Scope needed = access == Access.INGEST ? Scope.INGEST : Scope.READ;
                if (!principal.scopes().contains(needed)) {
                    refuse(req, resp, 403, "API key '" + principal.name() + "' lacks the '" + needed.json() + "' scope");
                    return;
                }
                req.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
            }
        }
        if (e.handler() == Handler.CONTAINER) {
            chain.doFilter(new CanonicalRequest(req, path), resp);
        } else {
            req.setAttribute(PATH_ATTRIBUTE, path);
            e.handler().handle(req, resp);
        }
    }

    /**
     * The decoded, normalised path inside the context that the container routes on, or null when
     * the request's path is not one unambiguous absolute path.
     */
    static String canonicalPath(HttpServletRequest req) {
        String raw = req.getRequestURI();
        if (raw == null || raw.indexOf(';') >= 0 || raw.indexOf('\\') >= 0) {
            return null;
        }
        String path;
        try {
            String info = req.getPathInfo();
            path = req.getServletPath() + (info == null ? "" : info);
        } catch (RuntimeException e) {
            // Jetty refuses to decode an ambiguous URI for the Servlet API
            return null;
        }
        if (path.isEmpty()) {
            path = "/";
        }
        if (path.charAt(0) != '/') {
            return null;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == ';') {
                return null;
            }
        }
        if (path.contains("//")) {
            return null;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        return path;
    }

    private void refuse(HttpServletRequest req, HttpServletResponse resp, int code, String message) throws IOException {
        RequestBodies.discard(req, resp, drainLimit);
        String path = canonicalPath(req);
        if (MonitorErrors.isApiPath(path != null ? path : req.getRequestURI())) {
            // Monitor's clients read the error kind (SPEC §13.2).
            MonitorErrors.send(resp, code, message);
        } else {
            ErrorResponses.send(resp, json, code, message);
        }
    }

    private static String missingOrInvalid(String key) {
        return key == null ? "missing API key: send X-API-Key or Authorization: Bearer" : "invalid API key";
    }

    /** The key of {@code X-API-Key} or {@code Authorization: Bearer}, or null. */
    static String headerKey(HttpServletRequest req) {
        String key = req.getHeader("X-API-Key");
        if (key != null && !key.isBlank()) {
            return key.strip();
        }
        String auth = req.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String bearer = auth.substring(7).strip();
            return bearer.isEmpty() ? null : bearer;
        }
        return null;
    }

    /** Shows the servlet the canonical path as the request URI, so that it routes what the edge authenticated. */
    private static final class CanonicalRequest extends HttpServletRequestWrapper {
        private final String uri;
        private final String url;

        CanonicalRequest(HttpServletRequest req, String path) {
            super(req);
            this.uri = req.getContextPath() + URIUtil.encodePath(path);
            String rawUrl = req.getRequestURL().toString();
            String rawUri = req.getRequestURI();
            this.url = rawUrl.endsWith(rawUri) ? rawUrl.substring(0, rawUrl.length() - rawUri.length()) + uri : rawUrl;
        }

        @Override
        public String getRequestURI() {
            return uri;
        }

        @Override
        public StringBuffer getRequestURL() {
            return new StringBuffer(url);
        }
    }
}
