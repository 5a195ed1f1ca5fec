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
 */
final class AgentRuntime {
    /** After one failed send the client stops trying for this long, so a dead server costs one timeout. */
    static final Duration BREAKER_COOLDOWN = Duration.ofSeconds(30);
    /** Creating the client is local work (no network); sends made before it exists wait this much longer. */
    static final long CLIENT_START_ALLOWANCE_MS = 5000;

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
                sink, events, diagnostics);
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
    static final class Lifecycle {
        private final AgentSettings settings;
        private final String attach;
        private final String source;
        private final List<String> command;
        private final long startedNanos;
        private final Instant startedAt;
        private final ClientSink sink;
        private final Events events;
        private final AgentDiagnostics diagnostics;

        Lifecycle(AgentSettings settings, String attach, String source, List<String> command, long startedNanos,
                  Instant startedAt, ClientSink sink, Events events, AgentDiagnostics diagnostics) {
            this.settings = settings;
            this.attach = attach;
            this.source = source;
            this.command = command;
            this.startedNanos = startedNanos;
            this.startedAt = startedAt;
            this.sink = sink;
            this.events = events;
            this.diagnostics = diagnostics;
        }

        private ArgusEvent startEvent() {
            return events.start(settings, command, agentVersion(), attach, startedAt);
        }

        /** On the starter thread: creates the client, then sends {@code jvm.start} unless the exit took it. */
        void startClient() {
            ArgusClient client;
            try {
                client = ArgusClient.create(clientConfig(settings, source, diagnostics));
                sink.open(client);
            } catch (Throwable t) {
                sink.fail();
                diagnostics.warn("could not start the Argus client", t);
                return;
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
            // with nothing to send, do not hold up the exit for a client that is still being built
            ArgusClient client = settings.lifecycle || sink.hasPending() ? sink.awaitCreated() : sink.clientNow();
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
                        ArgusEvent stop = events.stop(uptimeMillis(attach, startedNanos), sink.dropped());
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
