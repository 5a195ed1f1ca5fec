package dev.argus.service.streams;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A minimal WebSocket client on a plain socket with a tiny receive buffer, so that a test decides
 * exactly when (or whether) the client reads: the JDK and Jetty clients read eagerly. It answers
 * pings while it reads, and can negotiate {@code permessage-deflate} as browsers do.
 */
final class RawWebSocket implements AutoCloseable {
    /** A received message: text, or a close frame's status code. */
    record Message(String text, int closeCode) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Inflater inflater;

    RawWebSocket(int port) throws IOException {
        this(port, false, false);
    }

    /** With {@code offerDeflate}, offers {@code permessage-deflate}; fails unless the server's answer is {@code expectDeflate}. */
    RawWebSocket(int port, boolean offerDeflate, boolean expectDeflate) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        InputStream raw = socket.getInputStream();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n"
                + (offerDeflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" : "") + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = raw.read();
            if (b < 0) {
                throw new IOException("connection closed during handshake: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head);
        }
        boolean deflate = head.toString().toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-extensions: permessage-deflate");
        if (deflate != expectDeflate) {
            throw new IOException("permessage-deflate " + (deflate ? "accepted" : "declined") + " unexpectedly: " + head);
        }
        inflater = deflate ? new Inflater(true) : null;
        in = new DataInputStream(raw);
    }

    void sendText(String text) throws IOException {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    private void sendFrame(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The next text or close message; pings are answered, pongs skipped. */
    Message next() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        boolean compressed = false;
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            int opcode = b0 & 0x0f;
            if (opcode == 0x8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                return new Message(null, code);
            }
            if (opcode == 0x9) {
                sendFrame(0xA, payload);
            }
            if (opcode == 0x1 || opcode == 0x0) {
                compressed |= opcode == 0x1 && (b0 & 0x40) != 0;
                text.write(payload);
                if ((b0 & 0x80) != 0) {
                    byte[] message = compressed ? inflate(text.toByteArray()) : text.toByteArray();
                    return new Message(new String(message, StandardCharsets.UTF_8), 0);
                }
            }
        }
    }

    /** RFC 7692: the message plus the stripped 00 00 ff ff tail, with the window kept across messages. */
    private byte[] inflate(byte[] compressed) throws IOException {
        byte[] tail = {0, 0, (byte) 0xff, (byte) 0xff};
        inflater.setInput(concat(compressed, tail));
        ByteArrayOutputStream plain = new ByteArrayOutputStream(compressed.length * 4);
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = inflater.inflate(buf)) > 0) {
                plain.write(buf, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IOException("bad deflate data", e);
        }
        return plain.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    String nextText() throws IOException {
        Message m = next();
        if (m.text() == null) {
            throw new IOException("closed with " + m.closeCode());
        }
        return m.text();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
