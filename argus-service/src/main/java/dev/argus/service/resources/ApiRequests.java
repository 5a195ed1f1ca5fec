package dev.argus.service.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.api.ApiException;
import dev.argus.service.api.ErrorResponses;
import dev.argus.service.core.QueryParameters;
import dev.argus.service.http.EdgeFilter;
import dev.argus.service.http.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** What the §3 read handlers share: the query string, the path parameter, the JSON answer and its errors. */
final class ApiRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRequests.class);

    private ApiRequests() {
    }

    @FunctionalInterface
    interface Action {
        void run() throws IOException;
    }

    /**
     * Runs {@code action}; an {@link ApiException} becomes its JSON error, anything else a logged 500
     * (the body of a refused request is drained so that the client gets the answer).
     */
    static void serve(HttpServletRequest req, HttpServletResponse resp, ObjectMapper json, long drainLimit,
                      Action action) throws IOException {
        try {
            action.run();
        } catch (ApiException e) {
            RequestBodies.discard(req, resp, drainLimit);
            ErrorResponses.send(resp, json, e.error());
        } catch (RuntimeException e) {
            long id = ThreadLocalRandom.current().nextLong();
            LOG.error(String.format("Error handling a request: %016x", id), e);
            if (!resp.isCommitted()) {
                resp.reset();
                ErrorResponses.send(resp, json, 500, String.format(
                        "There was an error processing your request. It has been logged (ID %016x).", id));
            }
        }
    }

    /**
     * The query's parameters in order, decoded ({@code +} is a space); a pair without {@code =} has
     * the value {@code ""}, a pair without a name is ignored; a bad percent-encoding → 400.
     */
    static Map<String, List<String>> query(HttpServletRequest req) {
        String raw = req.getQueryString();
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (pair.isEmpty() || eq == 0) {
                continue;
            }
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("malformed query string: bad percent-encoding");
            }
        }
        return params;
    }

    /** {@link #query} with every name in {@code allowed} (else 400 naming it). */
    static Map<String, List<String>> query(HttpServletRequest req, Set<String> allowed) {
        Map<String, List<String>> params = query(req);
        try {
            QueryParameters.checkNames(params, allowed);
        } catch (QueryParameters.InvalidParameterException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return params;
    }

    /** The {@code {id}} of a route {@code /<things>/{id}}: the last segment of the decoded canonical path. */
    static String lastSegment(HttpServletRequest req) {
        String path = (String) req.getAttribute(EdgeFilter.PATH_ATTRIBUTE);
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static void writeJson(HttpServletResponse resp, byte[] body) throws IOException {
        resp.setStatus(200);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
