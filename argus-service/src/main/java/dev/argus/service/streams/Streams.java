package dev.argus.service.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.auth.ApiKeys;
import dev.argus.service.core.IngestEngine;
import dev.argus.service.db.EventDao;
import dev.argus.service.http.AuthMode;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.ServletRegistration;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;

import java.time.Duration;

/** Installs the live streams: WebSocket {@code /ws} and SSE {@code /events/stream} (SPEC §4, §5). */
public final class Streams {
    /** Largest message a client may send over {@code /ws}; a subscribe is a few hundred bytes. */
    private static final long MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;
    /** A WebSocket with no traffic either way for this long is closed; the server pings every 15 s. */
    private static final Duration WS_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private Streams() {
    }

    public static void install(ArgusConfiguration config, Environment env, IngestEngine engine, EventDao dao,
                               ApiKeys keys, ObjectMapper json) {
        StreamHub hub = new StreamHub(dao, json.getFactory(), config.getStreams().getClientQueueEvents(), env.metrics());
        env.lifecycle().manage(hub);
        engine.addListener(hub);

        // auth.mode relaxed (SPEC §13.3): the subscription is a read, so it needs no key.
        boolean keyOptional = config.getAuth().getMode() == AuthMode.RELAXED;
        JettyWebSocketServletContainerInitializer.configure(env.getApplicationContext(), (context, container) -> {
            container.setIdleTimeout(WS_IDLE_TIMEOUT);
            container.setMaxTextMessageSize(MAX_CLIENT_MESSAGE_BYTES);
            container.setMaxBinaryMessageSize(MAX_CLIENT_MESSAGE_BYTES);
            container.addMapping("/ws", (req, resp) -> new WebSocketConnection(hub, keys, json, keyOptional));
        });

        ServletRegistration.Dynamic sse = env.servlets().addServlet("argus-event-stream", new EventStreamServlet(hub, json));
        sse.setAsyncSupported(true);
        sse.addMapping("/events/stream");
    }
}
