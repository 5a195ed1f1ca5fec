package dev.argus.service.sessions;

import dev.argus.service.agents.LifecycleMessage;

import java.util.List;

/**
 * Hands committed lifecycle messages (SPEC §12.3) to the live streams. Called after the
 * transaction that wrote the change committed; must not block.
 */
@FunctionalInterface
public interface LifecyclePublisher {
    LifecyclePublisher NONE = messages -> { };

    void publish(List<LifecycleMessage> messages);
}
