package dev.argus.service.resources;

import dev.argus.service.http.Access;
import dev.argus.service.http.RouteTable;

import java.nio.charset.StandardCharsets;

import static dev.argus.service.http.Handler.CONTAINER;

/**
 * The route table of the application port (SPEC §3): one line per route and method. A route
 * missing here is unreachable, whatever the container maps.
 */
public final class Routes {
    private static final byte[] HEALTH = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);

    private Routes() {
    }

    /**
     * @param uiConfigJson served at {@code /ui-config.json}: the dashboard's settings that are not
     *                     secrets (its title), so the page needs no key to show them
     * @param benchNoop    whether the benchmark-only {@code POST /bench/noop} servlet is installed
     */
    public static RouteTable table(IngestHandler ingest, ClaudeHookHandler hooks, EventsHandler events,
                                   SessionsHandler sessions, WorkHandler work,
                                   UpdatesHandler updates, GithubHookHandler github, WebAssets web,
                                   String uiConfigJson, boolean benchNoop) {
        byte[] uiConfig = uiConfigJson.getBytes(StandardCharsets.UTF_8);
        RouteTable.Builder routes = RouteTable.builder()
                .post("/events", Access.INGEST, ingest::single)
                .post("/events/batch", Access.INGEST, ingest::batch)
                .get("/events", Access.READ, events::list)
                .get("/events/{id}", Access.READ, events::get)
                .sse("/events/stream", CONTAINER)
                .get("/sources", Access.READ, events::sources)
                .get("/event-types", Access.READ, events::eventTypes)
                .post("/v1/logs", Access.INGEST, CONTAINER)
                .post("/hooks/claude", Access.INGEST, hooks::handle)
                .post("/hooks/github", Access.HANDLER, github::handle)
                .get("/sessions", Access.READ, sessions::list)
                .get("/sessions/{id}", Access.READ, sessions::get)
                .patch("/sessions/{id}", Access.INGEST, sessions::patch)
                .get("/agents", Access.READ, sessions::agents)
                .get("/ws", Access.HANDLER, CONTAINER)
                .post("/api/workstreams", Access.INGEST, work::createWorkstream)
                .get("/api/workstreams", Access.READ, work::listWorkstreams)
                .patch("/api/workstreams/{id}", Access.INGEST, work::patchWorkstream)
                .post("/api/tasks", Access.INGEST, work::createTask)
                .get("/api/tasks", Access.READ, work::listTasks)
                .patch("/api/tasks/{id}", Access.INGEST, work::patchTask)
                .post("/api/updates/manual", Access.INGEST, updates::manual)
                .post("/api/updates/claude-hook", Access.INGEST, updates::claudeHook)
                .post("/api/updates/github-webhook", Access.INGEST, updates::githubWebhook)
                .get("/api/updates", Access.READ, updates::list)
                .sse("/api/stream", CONTAINER)
                .get("/health", Access.PUBLIC, (req, resp) -> WebAssets.serve(HEALTH, "application/json", req, resp))
                .get("/ui-config.json", Access.PUBLIC,
                        (req, resp) -> WebAssets.serve(uiConfig, "application/json", req, resp));
        if (benchNoop) {
            routes.post("/bench/noop", Access.INGEST, CONTAINER);
        }
        return web.addRoutes(routes).build();
    }
}
