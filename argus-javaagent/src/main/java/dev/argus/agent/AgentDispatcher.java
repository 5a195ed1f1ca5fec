package dev.argus.agent;

import dev.argus.agent.bridge.ArgusBridge;
import dev.argus.agent.bridge.ArgusDispatcher;
import dev.argus.client.ArgusClient;
import dev.argus.client.ArgusDiagnostics;

/**
 * Turns what instrumented code reports into events. A per-thread depth counter is raised while
 * the agent does its own work, so that application code it calls (an argument's {@code toString},
 * a class loaded while sending) is never observed and never recurses.
 */
final class AgentDispatcher extends ArgusDispatcher {
    private static final ThreadLocal<int[]> DEPTH = new ThreadLocal<>() {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    };

    private final MethodSites sites;
    private final Events events;
    private final EventSink sink;
    private final AgentSettings settings;
    private final ArgusDiagnostics diagnostics;

    AgentDispatcher(MethodSites sites, Events events, EventSink sink, AgentSettings settings,
                    ArgusDiagnostics diagnostics) {
        this.sites = sites;
        this.events = events;
        this.sink = sink;
        this.settings = settings;
        this.diagnostics = diagnostics;
    }

    @Override
    public long enter(int site) {
        return DEPTH.get()[0] != 0 ? ArgusBridge.NOT_OBSERVED : System.nanoTime();
    }

    @Override
    public void exit(int site, long start, Object[] args, Throwable thrown) {
        long nanos = System.nanoTime() - start;
        int[] depth = DEPTH.get();
        if (depth[0] != 0) {
            return;
        }
        depth[0]++;
        try {
            MethodSite s = sites.get(site);
            if (s != null) {
                var event = events.method(s, nanos, settings.captureArgs ? args : null, thrown, settings.maxArgLength);
                if (settings.methodsSync) {
                    sink.send(event);
                } else {
                    sink.enqueue(event);
                }
            }
        } catch (Throwable t) {
            diagnostics.warn("could not report a method call", t);
        } finally {
            depth[0]--;
        }
    }

    @Override
    public void uncaught(Thread thread, Throwable error) {
        int[] depth = DEPTH.get();
        if (depth[0] != 0 || ArgusClient.isSendingThread()) {
            return;
        }
        depth[0]++;
        try {
            sink.send(events.uncaught(thread, error));
        } catch (Throwable t) {
            diagnostics.warn("could not report an uncaught exception", t);
        } finally {
            depth[0]--;
        }
    }
}
