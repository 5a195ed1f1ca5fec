package dev.argus.agent;

import dev.argus.client.ArgusEvent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Keeps what the agent would send, noting whether it was sent synchronously. */
final class RecordingSink implements EventSink {
    final List<ArgusEvent> sent = new CopyOnWriteArrayList<>();
    final List<ArgusEvent> enqueued = new CopyOnWriteArrayList<>();

    @Override
    public boolean send(ArgusEvent event) {
        sent.add(event);
        return true;
    }

    @Override
    public boolean enqueue(ArgusEvent event) {
        enqueued.add(event);
        return true;
    }

    List<ArgusEvent> enqueued(String method) {
        return enqueued.stream().filter(e -> method.equals(e.data().get("method"))).collect(Collectors.toList());
    }
}
