package dev.argus.agent;

import dev.argus.client.ArgusEvent;

/** Where the agent's events go: the Argus client in production, a recorder in tests. */
interface EventSink {

    /** Sends and waits for the server (bounded); never throws. */
    boolean send(ArgusEvent event);

    /** Hands the event to the batch pipeline without waiting; never throws. */
    boolean enqueue(ArgusEvent event);
}
