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

    private AgentRuntime() {
    }

    static void start(Instrumentation inst, AgentSettings settings, String attach) throws Exception {
        long startedNanos = System.nanoTime();
        AgentDiagnostics diagnostics = new AgentDiagnostics(settings.debug);
        List<String> command = JvmInfo.command();
        String source = settings.source != null ? settings.source : JvmInfo.defaultSource(command);
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
        ArgusClient client = ArgusClient.create(config.build());
        ClientSink sink = new ClientSink(client, settings.timeout.toMillis() + settings.connectTimeout.toMillis());
        Events events = new Events(settings.session);
        try {
            AgentInstaller.install(inst, settings, events, sink, diagnostics, "agentmain".equals(attach));
        } catch (Exception | Error e) {
            client.close();
            throw e;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (settings.lifecycle) {
                    long uptime = ProcessHandle.current().info().startInstant()
                            .map(t -> Duration.between(t, Instant.now()).toMillis())
                            .orElse((System.nanoTime() - startedNanos) / 1_000_000);
                    sink.send(events.stop(uptime, client.droppedCount()));
                }
            } catch (Throwable t) {
                diagnostics.warn("could not send jvm.stop", t);
            } finally {
                client.close();
            }
        }, "argus-agent-shutdown"));

        if (settings.lifecycle) {
            String version = agentVersion();
            Thread starter = new Thread(() -> {
                try {
                    sink.sendFirst(events.start(settings, command, version, attach));
                } catch (Throwable t) {
                    diagnostics.warn("could not send jvm.start", t);
                }
            }, "argus-agent-start");
            starter.setDaemon(true);
            starter.start();
        } else {
            sink.noFirst();
        }
    }

    static String agentVersion() {
        String v = AgentRuntime.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
