package dev.argus.service.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.auth.ApiKeys;
import dev.argus.service.auth.Scope;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code /ws} protocol (SPEC §4) for one connection: authentication by message within 10 s,
 * ping, subscribe with replay, errors that keep the connection open. Outgoing messages all pass
 * through the outbox so that answers and events keep their order; at most one batch of frames is
 * in flight, so a client that stops reading holds no more than its outbox.
 */
public final class WebSocketConnection extends StreamClient implements Session.Listener.AutoDemanding {
    static final long AUTH_TIMEOUT_SECONDS = 10;
    private static final int FRAMES_PER_WRITE = 64;
    private static final String AUTH_OK = "{\"type\":\"auth_result\",\"status\":\"success\"}";
    private static final String PONG = "{\"type\":\"pong\"}";
    private static final String NOT_AUTHENTICATED = "{\"type\":\"error\",\"message\":\"not authenticated\"}";

    private final ApiKeys keys;
    private final ObjectMapper json;
    /** {@code auth.mode: relaxed}: subscribing needs no auth message (an auth message is still checked). */
    private final boolean keyOptional;
    private final Sender sender = new Sender();
    private volatile Session session;
    private volatile boolean authenticated;
    private boolean refused;
    private ScheduledFuture<?> authTimeout;

    WebSocketConnection(StreamHub hub, ApiKeys keys, ObjectMapper json, boolean keyOptional) {
        super(hub);
        this.keys = keys;
        this.json = json;
        this.keyOptional = keyOptional;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        hub.register(this);
        if (keyOptional) {
            return;
        }
        authTimeout = hub.schedule(() -> {
            if (!authenticated) {
                send(new Close(StatusCode.POLICY_VIOLATION, "authentication timeout"));
            }
        }, AUTH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
        if (refusal != null) {
            refused = true;
            ObjectNode answer = json.createObjectNode();
            answer.put("type", "auth_result").put("status", "error").put("message", refusal);
            send(new Control(answer.toString()));
            send(new Close(StatusCode.POLICY_VIOLATION, refusal));
            return;
        }
        authenticated = true;
        if (authTimeout != null) {
            authTimeout.cancel(false);
        }
        send(new Control(AUTH_OK));
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
        if (!subscribe(req.filter(), req.afterId(), new Control(answer.toString()))) {
            send(error("replay from storage failed; subscribe again"));
        }
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
    public void onWebSocketClose(int statusCode, String reason) {
        gone();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        gone();
    }

    private void gone() {
        if (authTimeout != null) {
            authTimeout.cancel(false);
        }
        markClosed();
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
        Session s = session;
        if (s == null) {
            return;
        }
        // The close frame queues behind what the client does not read; disconnect if it never leaves.
        s.close(StatusCode.TRY_AGAIN_LATER, "client too slow; resubscribe with after_id", Callback.NOOP);
        hub.schedule(s::disconnect, 5, TimeUnit.SECONDS);
        markClosed();
    }

    private String encode(Object item) {
        if (item instanceof EventItem e) {
            return e.frame().wsText();
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
            Callback done = Callback.from(this::succeeded, this::failed);
            int sentCount = 0;
            for (int i = 0; i < n; i++) {
                Object item = batch.get(i);
                if (item instanceof Close c) {
                    closing = true;
                    s.close(c.code(), c.reason(), done);
                    hub.sent(sentCount);
                    return Action.SCHEDULED;
                }
                s.sendText(encode(item), i == n - 1 ? done : Callback.NOOP);
                if (item instanceof EventItem e && e.live()) {
                    hub.delivered(e.frame(), System.nanoTime());
                }
                sentCount++;
            }
            hub.sent(sentCount);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            gone();
        }
    }
}
