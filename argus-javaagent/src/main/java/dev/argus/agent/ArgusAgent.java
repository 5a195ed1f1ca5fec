package dev.argus.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point of {@code argus-agent.jar} for {@code -javaagent:} (premain) and for attaching to a
 * running JVM (agentmain). Never throws into the host: any problem is one line on stderr and the
 * application runs on without the agent.
 */
public final class ArgusAgent {
    /** System property set by the first agent start; a second start in the same JVM does nothing. */
    static final String ACTIVE_PROPERTY = "dev.argus.agent.active";

    private ArgusAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, "premain");
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, "agentmain");
    }

    private static void start(String args, Instrumentation inst, String attach) {
        try {
            // a property, not a static field: a second copy of the agent jar has its own statics
            if (System.getProperties().putIfAbsent(ACTIVE_PROPERTY, attach) != null) {
                System.err.println(AgentDiagnostics.PREFIX + "already active in this JVM; ignoring the second start");
                return;
            }
            AgentSettings settings = AgentSettings.resolve(args, System.getProperties(), System.getenv());
            if (settings.enabled) {
                AgentRuntime.start(inst, settings, attach);
            }
        } catch (Throwable t) {
            System.err.println(AgentDiagnostics.PREFIX + "not started, the application runs without it: " + t);
        }
    }
}
