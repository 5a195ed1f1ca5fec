package dev.argus.agent;

import java.lang.instrument.Instrumentation;

/**
 * What the agent must at least do for a hello world, without its client: read its settings
 * ({@link AgentSettings}), optionally patch {@code Thread} ({@link ThreadHook}, system property
 * {@code lean.patch}), and at exit store jvm.start + jvm.stop in one raw-socket POST /events/batch.
 * Injected into a copy of argus-agent.jar by bench/agent/startup.sh (FLOOR=1): a floor, not a product.
 */
public final class LeanAgent {
    private LeanAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        final AgentSettings s = AgentSettings.resolve(args, System.getProperties(), System.getenv());
        if (!s.enabled) {
            return;
        }
        if (System.getProperty("lean.patch") != null) {
            ThreadHook.install(inst);
        }
        Runtime.getRuntime().addShutdownHook(new Thread("lean-agent") {
            @Override
            public void run() {
                try {
                    int port = Integer.parseInt(s.url.substring(s.url.lastIndexOf(':') + 1));
                    RawPost.post(port, s.apiKey, "/events/batch",
                            "[{\"source\":\"bench-floor\",\"event_type\":\"jvm.start\",\"message\":\"lean\"},"
                                    + "{\"source\":\"bench-floor\",\"event_type\":\"jvm.stop\",\"message\":\"lean\"}]");
                } catch (Exception e) {
                    System.err.println("lean agent: " + e);
                }
            }
        });
    }
}
