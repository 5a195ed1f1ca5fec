package dev.argus.service.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every route the application port serves, with who may call it and what serves it. The edge
 * matches the decoded, normalised path (the one the container routes on) against this table and
 * nothing else reaches a handler: a path or method that is not here is refused (deny by default).
 *
 * <p>Patterns are absolute paths whose segments are literals, {@code {name}} (exactly one
 * non-empty segment) or a final {@code **} (any rest, also none). Literal paths win over patterns;
 * patterns are tried in the order they were added. {@code HEAD} is served wherever {@code GET} is.
 * Matching is exact and case-sensitive: {@code /events/} and {@code /Events} are not {@code /events}.
 */
public final class RouteTable {

    /** One method of one route. {@code keyInQuery}: the key may come as {@code ?api_key=} (EventSource). */
    public record Endpoint(String method, String pattern, Access access, boolean keyInQuery, Handler handler) {
    }

    /** What a lookup found. */
    public sealed interface Lookup permits Found, WrongMethod, NotFound {
    }

    /** The endpoint that serves the request. */
    public record Found(Endpoint endpoint) implements Lookup {
    }

    /** The path exists, the method does not: {@code allowed} for the {@code Allow} header. */
    public record WrongMethod(Set<String> allowed, boolean publicPath) implements Lookup {
    }

    /** No route has this path. */
    public record NotFound() implements Lookup {
    }

    private static final NotFound NOT_FOUND = new NotFound();

    private record Route(String pattern, String[] segments, Map<String, Endpoint> byMethod) {
        boolean matches(String[] path) {
            int n = segments.length;
            boolean rest = n > 0 && segments[n - 1].equals("**");
            if (rest ? path.length < n - 1 : path.length != n) {
                return false;
            }
            for (int i = 0; i < (rest ? n - 1 : n); i++) {
                String s = segments[i];
                if (s.startsWith("{") ? path[i].isEmpty() : !s.equals(path[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Map<String, Route> literal;
    private final List<Route> patterns;

    private RouteTable(Map<String, Route> literal, List<Route> patterns) {
        this.literal = literal;
        this.patterns = patterns;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint for {@code method} on the canonical {@code path}. */
    public Lookup find(String method, String path) {
        Route route = literal.get(path);
        if (route == null) {
            String[] segments = split(path);
            for (Route r : patterns) {
                if (r.matches(segments)) {
                    route = r;
                    break;
                }
            }
        }
        if (route == null) {
            return NOT_FOUND;
        }
        Endpoint e = route.byMethod.get(method);
        if (e == null && "HEAD".equals(method)) {
            e = route.byMethod.get("GET");
        }
        if (e != null) {
            return new Found(e);
        }
        Set<String> allowed = new TreeSet<>(route.byMethod.keySet());
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        boolean publicPath = route.byMethod.values().stream().allMatch(x -> x.access() == Access.PUBLIC);
        return new WrongMethod(Collections.unmodifiableSet(allowed), publicPath);
    }

    /** Every endpoint, for tests and documentation. */
    public List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        literal.values().forEach(r -> all.addAll(r.byMethod.values()));
        patterns.forEach(r -> all.addAll(r.byMethod.values()));
        return all;
    }

    private static String[] split(String path) {
        // "/a/b" → ["a", "b"]; "/" → [""]
        return path.substring(1).split("/", -1);
    }

    /** Collects routes; one line per route and method. */
    public static final class Builder {
        private final Map<String, Route> literal = new LinkedHashMap<>();
        private final Map<String, Route> patterns = new LinkedHashMap<>();

        public Builder get(String pattern, Access access, Handler handler) {
            return route("GET", pattern, access, false, handler);
        }

        public Builder post(String pattern, Access access, Handler handler) {
            return route("POST", pattern, access, false, handler);
        }

        public Builder patch(String pattern, Access access, Handler handler) {
            return route("PATCH", pattern, access, false, handler);
        }

        /** A Server-Sent Events route: GET with the {@code read} key, also accepted as {@code ?api_key=}. */
        public Builder sse(String pattern, Handler handler) {
            return route("GET", pattern, Access.READ, true, handler);
        }

        public Builder route(String method, String pattern, Access access, boolean keyInQuery, Handler handler) {
            if (!pattern.startsWith("/") || pattern.contains("//")) {
                throw new IllegalArgumentException("route pattern must be an absolute path: " + pattern);
            }
            String[] segments = split(pattern);
            boolean isPattern = false;
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                if (s.equals("**") && i != segments.length - 1) {
                    throw new IllegalArgumentException("'**' must end the pattern: " + pattern);
                }
                isPattern |= s.equals("**") || s.startsWith("{");
            }
            Map<String, Route> target = isPattern ? patterns : literal;
            Route route = target.computeIfAbsent(pattern, p -> new Route(p, segments, new HashMap<>()));
            if (route.byMethod.putIfAbsent(method, new Endpoint(method, pattern, access, keyInQuery, handler)) != null) {
                throw new IllegalArgumentException("duplicate route " + method + " " + pattern);
            }
            return this;
        }

        public RouteTable build() {
            Map<String, Route> lit = new HashMap<>();
            literal.forEach((k, r) -> lit.put(k, new Route(r.pattern, r.segments, Map.copyOf(r.byMethod))));
            List<Route> pat = new ArrayList<>();
            patterns.values().forEach(r -> pat.add(new Route(r.pattern, r.segments, Map.copyOf(r.byMethod))));
            return new RouteTable(Map.copyOf(lit), List.copyOf(pat));
        }
    }
}
