package dev.argus.agent;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Hello world that then stores one event the cheapest way Java allows: one HTTP/1.1 POST written
 * by hand on a plain socket, answer read, no JSON library (bench/agent/startup.sh, FLOOR=1).
 * Args: port key. Compiled with -XDstringConcat=inline (no StringConcatFactory bootstrap). In the
 * agent's package only so that {@link LeanAgent}, injected into a copy of the agent jar with it, can
 * share {@link #post}; run on its own it needs nothing of the agent.
 */
public final class RawPost {
    private RawPost() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("hello");
        post(Integer.parseInt(args[0]), args[1], "/events",
                "{\"source\":\"bench-floor\",\"event_type\":\"jvm.stop\",\"message\":\"raw\"}");
    }

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
