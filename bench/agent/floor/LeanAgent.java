package dev.argus.agent;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

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
                    post(port, s.apiKey, "/events/batch",
                            "[{\"source\":\"bench-floor\",\"event_type\":\"jvm.start\",\"message\":\"lean\"},"
                                    + "{\"source\":\"bench-floor\",\"event_type\":\"jvm.stop\",\"message\":\"lean\"}]");
                } catch (Exception e) {
                    System.err.println("lean agent: " + e);
                }
            }
        });
    }

    /** The same hand-written POST as RawPost (the default package cannot be imported). */
    static void post(int port, String key, String path, String body) throws Exception {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 2000);
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n";
            o.write(head.getBytes(StandardCharsets.ISO_8859_1));
            o.write(b);
            o.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[512];
            int n = in.read(buf);
            String status = n > 12 ? new String(buf, 9, 3, StandardCharsets.ISO_8859_1) : "none";
            if (!status.startsWith("2")) {
                throw new IllegalStateException("answer " + status);
            }
        }
    }
}
