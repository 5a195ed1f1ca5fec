package dev.argus.agent;

import dev.argus.client.ArgusClient;
import dev.argus.client.ArgusClientConfig;

import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One running agent: the client, the installed transformations, {@code jvm.start} on a daemon
 * thread and a shutdown hook that sends {@code jvm.stop} and drains the batch queue.
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

        String version = agentVersion();
        // Off the start-up path: the JDK HttpClient sets up TLS when it is built, which costs more
        // than everything else the agent does at start.
        Thread starter = new Thread(() -> {
            try {
                ArgusClient client = ArgusClient.create(clientConfig(settings, source, diagnostics));
                sink.open(client, settings.lifecycle ? events.start(settings, command, version, attach) : null);
            } catch (Throwable t) {
                sink.fail();
                diagnostics.warn("could not start the Argus client", t);
            }
            diagnostics.info("background start done after " + (System.nanoTime() - startedNanos) / 1_000_000 + " ms");
        }, "argus-agent-start");
        starter.setDaemon(true);
        starter.start();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long hookStart = System.nanoTime();
            // with nothing to send, do not hold up the exit for a client that is still being built
            ArgusClient client = settings.lifecycle || sink.hasPending() ? sink.awaitClient() : sink.clientNow();
            diagnostics.info("shutdown: client ready after " + (System.nanoTime() - hookStart) / 1_000_000 + " ms");
            if (client == null) {
                return;
            }
            try {
                if (settings.lifecycle) {
                    client.send(events.stop(uptimeMillis(attach, startedNanos), sink.dropped()));
                }
            } catch (Throwable t) {
                diagnostics.warn("could not send jvm.stop", t);
            } finally {
                long closing = System.nanoTime();
                client.close();
                diagnostics.info("client closed in " + (System.nanoTime() - closing) / 1_000_000 + " ms");
            }
        }, "argus-agent-shutdown"));
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
