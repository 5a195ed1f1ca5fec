package dev.argus.service.resources;

import dev.argus.service.http.Access;
import dev.argus.service.http.RouteTable;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The dashboard (the {@code assets/} folder of the argus-web jar), read once at start into memory
 * and served at {@code /}: each file becomes a public route of the {@link RouteTable}, so a path
 * that is not a real asset never reaches this class and nothing is cached per request.
 */
public final class WebAssets {
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

    private final Map<String, Asset> assets;

    private WebAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /**
     * Loads every file under the class-path folder {@code folder} (a jar entry or a directory),
     * found through its {@code index.html}.
     */
    public static WebAssets load(String folder) {
        URL index = WebAssets.class.getClassLoader().getResource(folder + "/index.html");
        if (index == null) {
            throw new IllegalStateException("no dashboard on the class path: " + folder + "/index.html is missing");
        }
        Map<String, Asset> found = new HashMap<>();
        try {
            if ("jar".equals(index.getProtocol())) {
                JarURLConnection c = (JarURLConnection) index.openConnection();
                c.setUseCaches(false);
                try (JarFile jar = c.getJarFile()) {
                    String prefix = folder + "/";
                    for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                        JarEntry e = en.nextElement();
                        if (!e.isDirectory() && e.getName().startsWith(prefix)) {
                            try (InputStream in = jar.getInputStream(e)) {
                                add(found, "/" + e.getName().substring(prefix.length()), in.readAllBytes());
                            }
                        }
                    }
                }
            } else if ("file".equals(index.getProtocol())) {
                Path root = Path.of(index.toURI()).getParent();
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        add(found, "/" + root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                    }
                }
            } else {
                throw new IllegalStateException("cannot list the dashboard's files at " + index);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard's files at " + index, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return new WebAssets(found);
    }

    /** Assets from memory (tests): path → bytes. */
    static WebAssets of(Map<String, byte[]> files) {
        Map<String, Asset> found = new HashMap<>();
        files.forEach((path, bytes) -> add(found, path, bytes));
        return new WebAssets(found);
    }

    private static void add(Map<String, Asset> found, String path, byte[] bytes) {
        int dot = path.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
        found.put(path, new Asset(bytes, type == null ? "application/octet-stream" : type));
    }

    /** Number of files held; fixed at start. */
    public int size() {
        return assets.size();
    }

    /** Adds a public GET route per file, and {@code /} for {@code /index.html}. */
    public RouteTable.Builder addRoutes(RouteTable.Builder routes) {
        for (String path : assets.keySet()) {
            routes.get(path, Access.PUBLIC, (req, resp) -> serve(path, req, resp));
        }
        if (assets.containsKey("/index.html")) {
            routes.get("/", Access.PUBLIC, (req, resp) -> serve("/index.html", req, resp));
        }
        return routes;
    }

    /** Serves {@code bytes} as a static file with the dashboard's headers (also for generated files). */
    public static void serve(byte[] bytes, String type, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(200);
        resp.setContentType(type);
        resp.setContentLength(bytes.length);
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        if (type.startsWith("text/html")) {
            // Second line of defence behind rendering event text as text: no inline or foreign script.
            resp.setHeader("Content-Security-Policy", CSP);
            resp.setHeader("X-Frame-Options", "DENY");
        }
        if (!"HEAD".equals(req.getMethod())) {
            resp.getOutputStream().write(bytes);
        }
    }

    private void serve(String path, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Asset a = assets.get(path);
        serve(a.bytes(), a.type(), req, resp);
    }
}
