package dev.argus.service.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.agents.LifecycleMessage;
import dev.argus.service.auth.ApiKeys;
import dev.argus.service.core.AuthMode;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.storage.CommitSignals;
import dev.argus.service.storage.EventReader;
import dev.argus.service.storage.LiveJournal;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.ServletRegistration;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Installs the live streams: WebSocket {@code /ws} and SSE {@code /events/stream} (SPEC §4, §5). */
public final class Streams {
    /** Largest message a client may send over {@code /ws}; a subscribe is a few hundred bytes. */
    private static final long MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;
    /** A WebSocket with no traffic either way for this long is closed; the server pings every 15 s. */
    private static final Duration WS_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Longest wait on shutdown for live clients to take their close before they are cut off. */
    private static final Duration STREAM_CLOSE_MAX = Duration.ofSeconds(5);

    private Streams() {
    }

    /**
     * Installs {@code /ws} and {@code /events/stream}, fed by {@code engine}'s commits.
     *
     * @return where lifecycle messages of committed writer tasks go (PATCH /sessions, idle sessions)
     */
    public static Consumer<List<LifecycleMessage>> install(ArgusConfiguration config, Environment env,
                                                           IngestEngine engine, EventReader dao, ApiKeys keys,
                                                           ObjectMapper json) {
        return install(config, env, engine, dao, keys, json, null);
    }

    /** The same, with {@code GET /api/stream} (SPEC §13.2) when {@code updates} is given. */
    public static Consumer<List<LifecycleMessage>> install(ArgusConfiguration config, Environment env,
                                                           IngestEngine engine, EventReader dao, ApiKeys keys,
                                                           ObjectMapper json, UpdateStreams updates) {
        return install(config, env, engine, dao, keys, json, updates, null);
    }

    /**
     * The same on a database shared by several instances when {@code cluster} is given: the hub is
     * fed by a {@link CommitTail} (every instance's commits, read back in id order) instead of
     * this instance's commits directly.
     */
    public static Consumer<List<LifecycleMessage>> install(ArgusConfiguration config, Environment env,
                                                           IngestEngine engine, EventReader dao, ApiKeys keys,
                                                           ObjectMapper json, UpdateStreams updates,
                                                           CommitSignals cluster) {
        return install(config, env, engine, dao, keys, json, updates, cluster, null);
    }

    /**
     * The same, with the other instances' session and agent lifecycle messages read from
     * {@code journal} by the commit tail (SPEC §12.3 on every instance, SPEC §15).
     */
    public static Consumer<List<LifecycleMessage>> install(ArgusConfiguration config, Environment env,
                                                           IngestEngine engine, EventReader dao, ApiKeys keys,
                                                           ObjectMapper json, UpdateStreams updates,
                                                           CommitSignals cluster, LiveJournal journal) {
        StreamHub hub = new StreamHub(dao, json.getFactory(), config.getStreams().getClientQueueEvents(), env.metrics());
        env.lifecycle().manage(hub);
        if (cluster == null) {
            engine.addListener(hub);
        } else {
            // Managed after the hub: started after it, stopped before it.
            CommitTail tail = new CommitTail(hub, hub::hasClients, dao, cluster, journal, updates, env.metrics());
            env.lifecycle().manage(tail);
            engine.addListener(tail);
        }
        env.lifecycle().addEventListener(new ShutdownListener(hub, shutdownGracePeriod(config)));
        long authTimeoutSeconds = config.getStreams().getAuthTimeoutSeconds();
        boolean deflate = config.getStreams().isPermessageDeflate();
        // auth.mode relaxed (SPEC §13.3): the subscription is a read, so it needs no key.
        boolean keyOptional = config.getAuth().getMode() == AuthMode.RELAXED;

        JettyWebSocketServletContainerInitializer.configure(env.getApplicationContext(), (context, container) -> {
            container.setIdleTimeout(WS_IDLE_TIMEOUT);
            container.setMaxTextMessageSize(MAX_CLIENT_MESSAGE_BYTES);
            container.setMaxBinaryMessageSize(MAX_CLIENT_MESSAGE_BYTES);
            container.addMapping("/ws", (req, resp) -> {
                if (!deflate) {
                    // Declines permessage-deflate (offered by browsers and Node): see StreamsConfig.
                    resp.setExtensions(List.of());
                }
                return new WebSocketConnection(hub.services(), keys, json, authTimeoutSeconds, keyOptional);
            });
        });

        ServletRegistration.Dynamic sse = env.servlets().addServlet("argus-event-stream", new EventStreamServlet(hub.services(), json));
        sse.setAsyncSupported(true);
        sse.addMapping("/events/stream");
        if (updates != null) {
            updates.attach(env, hub.services());
        }
        return hub::publish;
    }

    private static Duration shutdownGracePeriod(ArgusConfiguration config) {
        if (config.getServerFactory() instanceof AbstractServerFactory f && f.getShutdownGracePeriod() != null) {
            return Duration.ofMillis(f.getShutdownGracePeriod().toMilliseconds());
        }
        return Duration.ofSeconds(30);
    }

    /**
     * Runs when the server starts to stop, before Jetty's graceful stop (which would otherwise wait
     * the whole grace period on streams that never end, and then fail): closes the live clients
     * within a part of {@code server.shutdownGracePeriod} and gives Jetty only what is left of it,
     * so that the whole stop stays within the grace period (SPEC §3).
     */
    private static final class ShutdownListener implements LifeCycle.Listener {
        private final StreamHub hub;
        private final Duration grace;

        ShutdownListener(StreamHub hub, Duration grace) {
            this.hub = hub;
            this.grace = grace;
        }

        @Override
        public void lifeCycleStopping(LifeCycle event) {
            long started = System.nanoTime();
            Duration bound = Duration.ofMillis(Math.min(STREAM_CLOSE_MAX.toMillis(), Math.max(500, grace.toMillis() / 2)));
            hub.goAway(bound);
            if (event instanceof Server server && server.getStopTimeout() > 0) {
                long spentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                server.setStopTimeout(Math.max(1, server.getStopTimeout() - spentMillis));
            }
        }
    }
}
