package dev.argus.agent;

import dev.argus.client.ArgusClient;
import dev.argus.client.ArgusClientConfig;
import dev.argus.client.ArgusEvent;

import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One running agent: the client, the installed transformations, {@code jvm.start} on a daemon
 * thread and a shutdown hook that sends {@code jvm.stop} (with {@code jvm.start} in the same
 * request when the program ended before the starter sent it) and drains the batch queue.
 * <p>The starter waits up to {@link #START_DELAY_MS} before it builds the client, unless
 * something needs the client sooner (see {@link ClientSink}): the client costs a fresh JVM
 * ~15 ms of CPU to build and ~20 ms more for its first request, which a short program, busy
 * starting on every core, would pay in wall time. A program that ends within that delay having
 * sent nothing else never builds it: its shutdown hook stores {@code jvm.start} and
 * {@code jvm.stop} in one {@link ArgusClient#postBatchOnce plain POST} and falls back to the
 * client for the same two events (same uuids) when that fails.
 */
final class AgentRuntime {
    /** After one failed send the client stops trying for this long, so a dead server costs one timeout. */
    static final Duration BREAKER_COOLDOWN = Duration.ofSeconds(30);
    /** Creating the client is local work (no network); sends made before it exists wait this much longer. */
    static final long CLIENT_START_ALLOWANCE_MS = 5000;
    /**
     * How long the starter waits (for anything that needs the client) before it builds the
     * client and sends {@code jvm.start} of a program that is still running, unless the setting
     * {@code startDelayMs} says otherwise. After an attach there is no start-up to spare and it
     * does not wait.
     */
    static final long START_DELAY_MS = 200;

    private AgentRuntime() {
    }

    static void start(Instrumentation inst, AgentSettings settings, String attach) throws Exception {
        long startedNanos = System.nanoTime();
        Instant startedAt = Instant.now();
        AgentDiagnostics diagnostics = new AgentDiagnostics(settings.debug);
        List<String> command = JvmInfo.command();
        String source = settings.source != null ? settings.source : JvmInfo.defaultSource(command);
        ClientSink sink = new ClientSink(CLIENT_START_ALLOWANCE_MS
                + settings.timeout.toMillis() + settings.connectTimeout.toMillis());
        Events events = new Events(settings.session);
        AgentInstaller.Installation installation =
                AgentInstaller.install(inst, settings, events, sink, diagnostics, "agentmain".equals(attach));
        if (settings.errors) {
            installation.hookThreads();
        }
        diagnostics.info("premain done in " + (System.nanoTime() - startedNanos) / 1_000_000 + " ms");

        Lifecycle lifecycle = new Lifecycle(settings, attach, source, command, startedNanos, startedAt,
                sink, events, diagnostics, "agentmain".equals(attach) ? 0 : settings.startDelayMillis);
        // Off the start-up path: nothing before main waits on the client or the network.
        // (anonymous classes, not lambdas: the first lambda in a JVM bootstraps the lambda
        // metafactory, milliseconds the host would pay before main)
        Thread starter = new Thread("argus-agent-start") {
            @Override
            public void run() {
                lifecycle.startClient();
            }
        };
        starter.setDaemon(true);
        starter.start();
        Runtime.getRuntime().addShutdownHook(new Thread("argus-agent-shutdown") {
            @Override
            public void run() {
                lifecycle.stop();
            }
        });
    }

    /** {@code jvm.start} and {@code jvm.stop}, and the client they go through. */
    static final class Lifecycle implements ClientSink.Maker {
        private final AgentSettings settings;
        private final String attach;
        private final String source;
        private final List<String> command;
        private final long startedNanos;
        private final Instant startedAt;
        private final ClientSink sink;
        private final Events events;
        private final AgentDiagnostics diagnostics;
        private final long startDelayMillis;

        Lifecycle(AgentSettings settings, String attach, String source, List<String> command, long startedNanos,
                  Instant startedAt, ClientSink sink, Events events, AgentDiagnostics diagnostics,
                  long startDelayMillis) {
            this.settings = settings;
            this.attach = attach;
            this.source = source;
            this.command = command;
            this.startedNanos = startedNanos;
            this.startedAt = startedAt;
            this.sink = sink;
            this.events = events;
            this.diagnostics = diagnostics;
            this.startDelayMillis = startDelayMillis;
            sink.maker(this);
            if (!settings.lifecycle) {
                sink.started(); // no jvm.start for anything to wait for
            }
        }

        /** Builds the client (for whoever needs it first); null when it could not. */
        @Override
        public ArgusClient make() {
            try {
                return ArgusClient.create(clientConfig(settings, source, diagnostics));
            } catch (Throwable t) {
                diagnostics.warn("could not start the Argus client", t);
                return null;
            }
        }

        private ArgusEvent startEvent() {
            return events.start(settings, command, agentVersion(), attach, startedAt);
        }

        /**
         * On the starter thread: waits until something needs the client or the start delay is
         * over, then creates the client and sends {@code jvm.start} unless the exit took it.
         */
        void startClient() {
            if (startDelayMillis > 0) {
                sink.awaitDemand(startDelayMillis);
            }
            if (sink.isExiting() && !sink.demanded()) {
                // the program ended within the delay with nothing else to send: the shutdown
                // hook stores jvm.start and jvm.stop without a client (or makes it if it must)
                return;
            }
            ArgusClient client = sink.client();
            if (client == null) {
                return; // the sink failed: senders stop waiting
            }
            if (!settings.lifecycle) {
                sink.started();
            } else if (!sink.takeStart()) {
                // the program is ending and its shutdown hook sends jvm.start with jvm.stop: have
                // a connection ready for it (the socket classes load here, not on the exit path)
                try {
                    client.warmUp();
                } catch (Throwable t) {
                    diagnostics.warn("could not connect ahead", t);
                }
            } else {
                try {
                    client.send(startEvent());
                } catch (Throwable t) {
                    diagnostics.warn("could not send jvm.start", t);
                } finally {
                    sink.started();
                }
            }
            diagnostics.info("background start done after " + (System.nanoTime() - startedNanos) / 1_000_000 + " ms");
        }

        /**
         * In the shutdown hook: sends {@code jvm.stop}, together with {@code jvm.start} in one
         * request when the starter has not sent that yet (a short program), then drains the queue.
         */
        void stop() {
            long hookStart = System.nanoTime();
            sink.exiting();
            // taken before waiting for the client, so the starter cannot send it on its own now
            boolean withStart = settings.lifecycle && sink.takeStart();
            // built while the starter may still be creating the client (on another core): the
            // first ProcessHandle and the event classes cost a fresh JVM ~10 ms
            ArgusEvent start = null;
            Throwable startFailure = null;
            if (withStart) {
                try {
                    start = startEvent();
                } catch (Throwable t) {
                    startFailure = t;
                }
            }
            ArgusEvent stop = null;
            if (start != null && sink.clientNow() == null && !sink.demanded()) {
                // a short program that needed no client: both events in one plain request
                stop = events.stop(uptimeMillis(attach, startedNanos), sink.dropped());
                if (storeWithoutClient(start, stop, hookStart)) {
                    return;
                }
            }
            // with nothing to send, do not hold up the exit for a client that is still being built
            ArgusClient client = settings.lifecycle || sink.hasPending() ? sink.client() : sink.clientNow();
            diagnostics.info("shutdown: client ready after " + (System.nanoTime() - hookStart) / 1_000_000 + " ms");
            if (client == null) {
                if (withStart) {
                    sink.started();
                }
                return;
            }
            try {
                if (settings.lifecycle) {
                    try {
                        if (startFailure != null) {
                            throw startFailure;
                        }
                        if (!withStart) {
                            sink.awaitClient(); // the starter is sending jvm.start: it goes first
                        }
                        if (stop == null) {
                            stop = events.stop(uptimeMillis(attach, startedNanos), sink.dropped());
                        }
                        if (withStart) {
                            client.sendAll(List.of(start, stop));
                        } else {
                            client.send(stop);
                        }
                    } finally {
                        if (withStart) {
                            sink.started();
                        }
                    }
                }
            } catch (Throwable t) {
                diagnostics.warn("could not send jvm.stop", t);
            } finally {
                long closing = System.nanoTime();
                client.close();
                diagnostics.info("client closed in " + (System.nanoTime() - closing) / 1_000_000 + " ms");
            }
        }

        /**
         * The lean exit: {@code jvm.start} and {@code jvm.stop} in one plain POST, no client. True
         * when the server stored them (then a client that exists or is needed now by events that came
         * meanwhile is closed, which drains them). False when they were not stored: the caller sends
         * the same two events through the client; if the server could not be reached or did not
         * answer, the client's circuit breaker is opened first, so they go to the spool (or are
         * dropped without one) at once instead of after a second time-out.
         */
        private boolean storeWithoutClient(ArgusEvent start, ArgusEvent stop, long hookStart) {
            String unreachable = null;
            try {
                int status = ArgusClient.postBatchOnce(settings.url, settings.apiKey, source, List.of(start, stop),
                        millis(settings.connectTimeout), millis(settings.timeout));
                if (status == 200 || status == 201) {
                    sink.started();
                    diagnostics.info("shutdown: jvm.start and jvm.stop stored in one request without a client after "
                            + (System.nanoTime() - hookStart) / 1_000_000 + " ms");
                    ArgusClient late = sink.hasPending() ? sink.client() : sink.clientNow();
                    if (late != null) {
                        late.close();
                    }
                    return true;
                }
                diagnostics.info("shutdown: the plain request was answered HTTP " + status + "; sending through the client");
            } catch (java.io.IOException e) {
                unreachable = e.toString();
                diagnostics.info("shutdown: the plain request failed (" + unreachable + "); the client takes over");
            } catch (RuntimeException e) {
                // https, an unusual URL, a key that cannot be a header: the client deals with it as always
                diagnostics.info("shutdown: no plain request (" + e + "); sending through the client");
            }
            if (unreachable != null) {
                ArgusClient c = sink.client();
                if (c != null) {
                    c.serverFailed(unreachable);
                }
            }
            return false;
        }

        private static int millis(Duration d) {
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
        }
    }

    /**
     * From premain: precise, and premain runs within a few tens of milliseconds of JVM start.
     * After an attach, from the process start the OS reports (Linux: to about a second), since
     * the JVM ran long before the agent came.
     */
    private static long uptimeMillis(String attach, long startedNanos) {
        long sincePremain = (System.nanoTime() - startedNanos) / 1_000_000;
        if (!"agentmain".equals(attach)) {
            return sincePremain;
        }
        return ProcessHandle.current().info().startInstant()
                .map(t -> Duration.between(t, Instant.now()).toMillis())
                .orElse(sincePremain);
    }

    private static ArgusClientConfig clientConfig(AgentSettings settings, String source, AgentDiagnostics diagnostics) {
        ArgusClientConfig.Builder config = ArgusClientConfig.builder()
                .url(settings.url)
                .source(source)
                .timeout(settings.timeout)
                .connectTimeout(settings.connectTimeout)
                .breakerFailures(1)
                .breakerCooldown(BREAKER_COOLDOWN)
                // its own HTTP/1.1 on a socket: HttpURLConnection's first use loads ~200 JDK
                // classes, which a short-lived JVM pays at exit (https still goes through it)
                .plainSocket(true)
                .diagnostics(diagnostics);
        if (settings.apiKey != null) {
            config.apiKey(settings.apiKey);
        }
        if (settings.spoolDir != null) {
            config.spoolDir(settings.spoolDir);
        }
        return config.build();
    }

    static String agentVersion() {
        String v = AgentRuntime.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
