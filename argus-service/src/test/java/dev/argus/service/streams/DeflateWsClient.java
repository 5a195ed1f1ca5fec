package dev.argus.service.streams;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Jetty WebSocket client that negotiates {@code permessage-deflate}, as browsers and Node do.
 * Every text message and the close are recorded in arrival order.
 */
public final class DeflateWsClient implements Session.Listener.AutoDemanding, AutoCloseable {
    /** What arrived: a text message, or the close (text null, its code). */
    public record Received(String text, int closeCode) {
        boolean isClose() {
            return text == null;
        }
    }

    private final WebSocketClient client = new WebSocketClient();
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile Session session;

    private DeflateWsClient() {
    }

    static DeflateWsClient connect(URI uri) throws Exception {
        DeflateWsClient c = new DeflateWsClient();
        c.client.start();
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.addExtensions("permessage-deflate");
        c.client.connect(c, uri, request).get(30, TimeUnit.SECONDS);
        return c;
    }

    /** The extensions the server accepted, e.g. {@code [permessage-deflate]}. */
    List<String> negotiatedExtensions() {
        return session.getUpgradeResponse().getExtensions().stream().map(e -> e.getName()).toList();
    }

    void send(String text) {
        session.sendText(text, org.eclipse.jetty.websocket.api.Callback.NOOP);
    }

    /** The next message or close; fails after {@code timeout}. */
    Received next(Duration timeout) throws InterruptedException {
        Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("nothing received within " + timeout);
        }
        return r;
    }

    int awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        received.add(new Received(message, 0));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        received.add(new Received(null, statusCode));
        closed.complete(statusCode);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closed.complete(-1);
    }

    @Override
    public void close() throws Exception {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.disconnect();
        }
        client.stop();
    }
}
