/** The -javaagent floor: an agent whose premain does nothing (bench/agent/startup.sh, FLOOR=1). */
public class EmptyAgent {
    public static void premain(String args, java.lang.instrument.Instrumentation inst) {
    }
}
