package dev.argus.service.streams;

import dev.argus.service.streams.Outbox.Close;
import dev.argus.service.streams.Outbox.Control;
import dev.argus.service.streams.Outbox.EventItem;
import dev.argus.service.streams.Outbox.Lagged;
import dev.argus.service.streams.Outbox.Truncated;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.auth.ApiKeys;
import dev.argus.service.core.Scope;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code /ws} protocol (SPEC §4) for one connection: authentication by message within 10 s,
 * ping, subscribe with replay, errors that keep the connection open. Outgoing messages all pass
 * through the outbox so that answers and events keep their order; at most one batch of frames is
 * in flight, so a client that stops reading holds no more than its outbox.
 *
 * <p>Every close the server starts (refused key, auth time-out, 1013, shutdown 1001) follows its
 * message and reaches the client as a clean close with that code. Jetty treats these codes as
 * abnormal: it closes the TCP connection as soon as the close frame is written, without waiting
 * for the client's close reply. A client that inflates {@code permessage-deflate} messages
 * asynchronously (Node's {@code WebSocket}) then sees the socket end before it has parsed the close
 * frame queued behind the compressed message, and reports 1006 without the message. So before the
 * close frame the server sends a ping and waits (bounded) for its pong: a client answers it only
 * after it has handled every message before it, and then handles the close frame at once.
 */
public final class WebSocketConnection extends StreamClient implements Session.Listener.AutoDemanding {
    private static final int FRAMES_PER_WRITE = 64;
    /** Payload of the ping that precedes a close frame. */
    private static final byte[] CLOSE_BARRIER = "argus-close".getBytes(StandardCharsets.US_ASCII);
    /** How long the close frame waits for the client's pong (a client that never answers pings). */
    static final long CLOSE_BARRIER_MILLIS = 2_000;
    /** A close that could not be written by then (the client does not read) ends in a disconnect. */
    static final long CLOSE_ABORT_MILLIS = CLOSE_BARRIER_MILLIS + 5_000;
    private static final String AUTH_OK = "{\"type\":\"auth_result\",\"status\":\"success\"}";
    private static final String PONG = "{\"type\":\"pong\"}";
    private static final String NOT_AUTHENTICATED = "{\"type\":\"error\",\"message\":\"not authenticated\"}";

    private final ApiKeys keys;
    private final ObjectMapper json;
    private final long authTimeoutSeconds;
    /** {@code auth.mode: relaxed}: subscribing needs no auth message (an auth message is still checked). */
    private final boolean keyOptional;
    private final Sender sender = new Sender();
    private final Object authLock = new Object();
    private final AtomicReference<PendingClose> pendingClose = new AtomicReference<>();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private volatile Session session;
    private volatile boolean authenticated;
    private volatile boolean refused;
    private volatile ScheduledFuture<?> authTimeout;

    /** A close frame waiting for the client's pong, and the sender's callback that it completes. */
    private record PendingClose(Close close, Callback done) {
    }

    WebSocketConnection(StreamServices services, ApiKeys keys, ObjectMapper json, long authTimeoutSeconds,
                        boolean keyOptional) {
        super(services, null);
        this.keys = keys;
        this.json = json;
        this.authTimeoutSeconds = authTimeoutSeconds;
        this.keyOptional = keyOptional;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        if (!keyOptional) {
            authTimeout = services.timers().schedule(this::authTimedOut, authTimeoutSeconds, TimeUnit.SECONDS);
        }
        register();
    }

    private void authTimedOut() {
        synchronized (authLock) {
            if (authenticated || refused) {
                return;
            }
            refused = true;
        }
        refuse("Authentication timeout: no auth message within " + authTimeoutSeconds + " s", "authentication timeout");
    }

    /** {@code auth_result} error, then close 1008 (SPEC §4). */
    private void refuse(String message, String closeReason) {
        ObjectNode answer = json.createObjectNode();
        answer.put("type", "auth_result").put("status", "error").put("message", message);
        send(new Control(answer.toString()));
        send(new Close(StatusCode.POLICY_VIOLATION, closeReason));
    }

    @Override
    public void onWebSocketText(String text) {
        if (isClosed() || refused) {
            return;
        }
        JsonNode msg = null;
        try {
            msg = json.readTree(text);
        } catch (JsonProcessingException e) {
            // answered below
        }
        String type = msg != null && msg.isObject() && msg.get("type") != null && msg.get("type").isTextual()
                ? msg.get("type").textValue() : null;
        if ("ping".equals(type)) {
            send(new Control(PONG));
            return;
        }
        if ("auth".equals(type)) {
            authenticate(msg);
            return;
        }
        if (!authenticated && !keyOptional) {
            send(new Control(NOT_AUTHENTICATED));
            return;
        }
        if (msg == null) {
            send(error("invalid JSON"));
        } else if (!msg.isObject()) {
            send(error("a message must be a JSON object with a \"type\""));
        } else if (type == null) {
            send(error("missing message type"));
        } else if ("subscribe".equals(type)) {
            subscribe(msg);
        } else {
            send(error("Unknown message type: " + type));
        }
    }

    private void authenticate(JsonNode msg) {
        if (authenticated) {
            send(error("already authenticated"));
            return;
        }
        JsonNode key = msg.get("api_key");
        ApiKeys.Principal principal = key != null && key.isTextual() ? keys.authenticate(key.textValue()) : null;
        String refusal = null;
        if (principal == null) {
            refusal = "Invalid API key";
        } else if (!principal.scopes().contains(Scope.READ)) {
            refusal = "API key '" + principal.name() + "' lacks the 'read' scope";
        }
        synchronized (authLock) {
            if (refused) {
                return;
            }
            if (refusal != null) {
                refused = true;
            } else {
                authenticated = true;
            }
        }
        ScheduledFuture<?> timeout = authTimeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (refusal != null) {
            refuse(refusal, refusal);
        } else {
            send(new Control(AUTH_OK));
        }
    }

    private void subscribe(JsonNode msg) {
        SubscribeRequest req;
        try {
            req = SubscribeRequest.parse(msg);
        } catch (SubscribeRequest.InvalidSubscribeException e) {
            send(error(e.getMessage()));
            return;
        }
        ObjectNode answer = json.createObjectNode();
        answer.put("type", "subscribe_result").put("status", "subscribed").set("active_filters", req.activeFilters());
        subscribe(req.filter(), req.afterId(), new Control(answer.toString()),
                error("replay from storage failed; subscribe again"));
    }

    private Control error(String message) {
        ObjectNode e = json.createObjectNode();
        e.put("type", "error").put("message", message);
        return new Control(e.toString());
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        send(authenticated || keyOptional ? error("binary messages are not supported; send JSON text") : new Control(NOT_AUTHENTICATED));
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        if (ByteBuffer.wrap(CLOSE_BARRIER).equals(payload)) {
            sendPendingClose();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        gone();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        gone();
    }

    private void gone() {
        ScheduledFuture<?> timeout = authTimeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        markClosed();
    }

    /**
     * The close item reached the head of the outbox: everything before it has been handed to Jetty.
     * Sends the barrier ping; the close frame follows on its pong or after {@link #CLOSE_BARRIER_MILLIS}.
     */
    private void beginClose(Session s, Close c, Callback done) {
        pendingClose.set(new PendingClose(c, done));
        if (closeStarted.compareAndSet(false, true)) {
            // Whatever happens to the close frame, nothing waits on this connection for long.
            if (services.timers().schedule(this::abort, CLOSE_ABORT_MILLIS, TimeUnit.MILLISECONDS) == null) {
                abort();
                return;
            }
        }
        if (services.timers().schedule(this::sendPendingClose, CLOSE_BARRIER_MILLIS, TimeUnit.MILLISECONDS) == null) {
            sendPendingClose();
            return;
        }
        s.sendPing(ByteBuffer.wrap(CLOSE_BARRIER), Callback.from(() -> { }, t -> sendPendingClose()));
    }

    private void sendPendingClose() {
        PendingClose p = pendingClose.getAndSet(null);
        Session s = session;
        if (p != null && s != null) {
            s.close(p.close().code(), p.close().reason(), p.done());
        }
    }

    @Override
    protected void abort() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.disconnect();
        }
        gone();
    }

    @Override
    Transport transport() {
        return Transport.WEBSOCKET;
    }

    @Override
    protected void pump() {
        sender.iterate();
    }

    @Override
    protected void keepalive() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }

    @Override
    protected void closeStuck() {
        // Queued behind the lagged notice, which the client has not taken yet: if it reads again
        // soon it gets the notice, then close 1013; if not, the connection is cut (beginClose).
        if (closeStarted.compareAndSet(false, true)) {
            services.metrics().closedSlowClient();
            if (services.timers().schedule(this::abort, CLOSE_ABORT_MILLIS, TimeUnit.MILLISECONDS) == null) {
                abort();
                return;
            }
            send(new Close(StatusCode.TRY_AGAIN_LATER, "client too slow; resubscribe with after_id"));
        }
    }

    private String encode(Object item) {
        if (item instanceof EventItem e) {
            return e.frame().wsText();
        } else if (item instanceof Outbox.LifecycleItem l) {
            return l.frame().wsText();
        } else if (item instanceof Control c) {
            return c.text();
        } else if (item instanceof Truncated t) {
            return "{\"type\":\"replay_truncated\",\"resume_after_id\":" + t.resumeAfterId() + '}';
        } else if (item instanceof Lagged l) {
            return "{\"type\":\"lagged\",\"missed\":" + l.missed + '}';
        }
        return null;
    }

    /** Sends the outbox in batches; the next batch starts when the last frame of this one is written. */
    private final class Sender extends IteratingCallback {
        private final List<Object> batch = new ArrayList<>(FRAMES_PER_WRITE);
        private boolean closing;

        @Override
        protected Action process() {
            if (closing) {
                return Action.SUCCEEDED;
            }
            Session s = session;
            batch.clear();
            if (s == null || drain(batch, FRAMES_PER_WRITE) == 0) {
                return Action.IDLE;
            }
            int n = batch.size();
            boolean carriesLag = false;
            for (Object item : batch) {
                carriesLag |= item instanceof Lagged;
            }
            Callback done = carriesLag
                    ? Callback.from(() -> {
                        lagWritten();
                        succeeded();
                    }, this::failed)
                    : Callback.from(this::succeeded, this::failed);
            int sentCount = 0;
            for (int i = 0; i < n; i++) {
                Object item = batch.get(i);
                if (item instanceof Close c) {
                    closing = true;
                    services.metrics().sent(sentCount);
                    beginClose(s, c, done);
                    return Action.SCHEDULED;
                }
                s.sendText(encode(item), i == n - 1 ? done : Callback.NOOP);
                if (item instanceof EventItem e && e.live()) {
                    services.metrics().delivered(e.frame(), System.nanoTime());
                }
                sentCount++;
            }
            services.metrics().sent(sentCount);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            gone();
        }
    }
}
