package dev.argus.service.resources;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the dashboard (the {@code assets/} folder of the argus-web jar) at {@code /}. A filter
 * rather than Dropwizard's AssetServlet because the API's resources also live at the root, where
 * Jersey's {@code /*} mapping would hide a servlet; anything not found here falls through to Jersey.
 */
public final class WebAssetsFilter extends HttpFilter {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            "woff2", "font/woff2");

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(byte[] bytes, String type) {
    }

    private final String root;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    /**
     * @param uiConfigJson served at {@code /ui-config.json}: the dashboard's settings that are not
     *                     secrets (its title), so the page needs no key to show them
     */
    public WebAssetsFilter(String classpathRoot, String uiConfigJson) {
        this.root = classpathRoot;
        cache.put("/ui-config.json", Optional.of(new Asset(uiConfigJson.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json")));
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String method = req.getMethod();
        String path = req.getRequestURI();
        if (!("GET".equals(method) || "HEAD".equals(method)) || path.contains("..")) {
            chain.doFilter(req, resp);
            return;
        }
        if (path.equals("/") || path.isEmpty()) {
            path = "/index.html";
        }
        Optional<Asset> asset = cache.computeIfAbsent(path, this::load);
        if (asset.isEmpty()) {
            chain.doFilter(req, resp);
            return;
        }
        Asset a = asset.get();
        resp.setStatus(200);
        resp.setContentType(a.type());
        resp.setContentLength(a.bytes().length);
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        if (a.type().startsWith("text/html")) {
            // Second line of defence behind rendering event text as text: no inline or foreign script.
            resp.setHeader("Content-Security-Policy", CSP);
            resp.setHeader("X-Frame-Options", "DENY");
        }
        if ("GET".equals(method)) {
            resp.getOutputStream().write(a.bytes());
        }
    }

    private Optional<Asset> load(String path) {
        int dot = path.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = WebAssetsFilter.class.getResourceAsStream(root + path)) {
            return in == null ? Optional.empty() : Optional.of(new Asset(in.readAllBytes(), type));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
