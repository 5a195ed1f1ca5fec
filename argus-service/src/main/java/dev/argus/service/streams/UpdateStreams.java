package dev.argus.service.streams;

import dev.argus.service.resources.UpdatesHandler;
import dev.argus.service.storage.UpdateReader;
import dev.argus.service.work.MonitorErrors;
import dev.argus.service.work.WorkEvents;
import dev.argus.service.work.WorkRequestException;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code GET /api/stream} (SPEC §13.2) and the task/workstream state events it carries. The key
 * was checked by the edge (READ access: header or {@code ?api_key=}; none in relaxed mode). The
 * work routes announce committed changes through {@link #published}.
 */
public final class UpdateStreams implements WorkEvents {
    private static final Set<String> NAMES;

    static {
        Set<String> names = new HashSet<>(Set.of("task_id", "source", "kind", "tag", "after_seq", "api_key"));
        NAMES = Set.copyOf(names);
    }

    private final UpdateReader reader;
    /** The connected {@code /api/stream} clients (the state events go to them, not through the dispatcher). */
    private final List<UpdateSseConnection> clients = new CopyOnWriteArrayList<>();
    private volatile StreamServices services;

    public UpdateStreams(UpdateReader reader) {
        this.reader = reader;
    }

    /**
     * Installs the servlet; its clients get the streams' services with a registry that also
     * keeps them here (joined and left with the hub's).
     */
    void attach(Environment env, StreamServices hub) {
        StreamServices.Registry registry = new StreamServices.Registry() {
            @Override
            public void register(StreamClient c) {
                if (c instanceof UpdateSseConnection u) {
                    clients.add(u);
                }
                hub.registry().register(c);
            }

            @Override
            public void unregister(StreamClient c) {
                clients.remove(c);
                hub.registry().unregister(c);
            }
        };
        this.services = new StreamServices(hub.workers(), hub.replays(), hub.timers(), hub.replay(), hub.frames(), hub.metrics(),
                registry, hub.queueEvents());
        ServletRegistration.Dynamic sse = env.servlets().addServlet("argus-update-stream", new Servlet());
        sse.setAsyncSupported(true);
        sse.addMapping("/api/stream");
    }

    /** A committed task or workstream change: queued as a state event for every client that wants it. Never blocks. */
    @Override
    public void published(String type, String taskId, String json) {
        for (UpdateSseConnection u : clients) {
            if (taskId == null ? u.wantsWorkstreams() : u.wantsTask(taskId)) {
                u.sendState(type, json);
            }
        }
    }

    private final class Servlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (!"GET".equals(req.getMethod())) {
                resp.setHeader("Allow", "GET");
                MonitorErrors.send(resp, 405, "method " + req.getMethod() + " is not allowed on /api/stream; use GET");
                return;
            }
            UpdateReader.Query query;
            Long resume;
            try {
                Map<String, List<String>> q = UpdatesHandler.query(req, NAMES);
                q.remove("api_key");
                query = UpdatesHandler.filter(q);
                String last = req.getHeader("Last-Event-ID");
                if (last != null && !last.isBlank()) {
                    resume = lastEventId(last.strip());
                } else {
                    List<String> after = q.get("after_seq");
                    resume = after == null || after.isEmpty() || after.get(0).isBlank() ? null : UpdatesHandler.afterSeq(after);
                }
            } catch (WorkRequestException e) {
                MonitorErrors.send(resp, e.toError());
                return;
            }
            resp.setStatus(200);
            resp.setContentType("text/event-stream");
            resp.setCharacterEncoding("UTF-8");
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("X-Accel-Buffering", "no");
            AsyncContext async = req.startAsync();
            async.setTimeout(0);
            resp.flushBuffer();
            EndPoint endPoint = ServletContextRequest.getServletContextRequest(req).getConnectionMetaData()
                    .getConnection().getEndPoint();
            UpdateSseConnection c = new UpdateSseConnection(services, async, resp.getOutputStream(), endPoint::close,
                    reader, query);
            c.start();
            c.subscribeFrom(resume);
        }
    }

    private static long lastEventId(String raw) {
        try {
            long v = Long.parseLong(raw);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new WorkRequestException(400, null, "Last-Event-ID must be a non-negative integer");
    }
}
