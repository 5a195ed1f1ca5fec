package dev.argus.service.streams;

import dev.argus.service.core.StoredEvent;
import dev.argus.service.storage.EventReader;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What a stream client is given at construction, so that it never calls back into the hub: where
 * its work runs, where replays come from, what it counts and where it registers.
 *
 * @param workers runs pumps (never a container I/O thread); drops work when stopping
 * @param replays runs replay queries, apart from the pumps: a slow query never delays another
 *                client's answers or live events; drops work when stopping
 * @param timers schedules close barriers and time-outs
 * @param replay the stored events of a resume
 * @param frames encodes a stored event once for every transport
 * @param metrics what the clients count
 * @param registry the clients the dispatcher offers events to
 * @param queueEvents bound of a client's live backlog ({@code streams.clientQueueEvents})
 */
record StreamServices(Executor workers, Executor replays, Timers timers, EventReader replay, Function<StoredEvent, EventFrame> frames,
                      Metrics metrics, Registry registry, int queueEvents) {

    interface Timers {
        /** Null when the streams are stopping. */
        ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit);
    }

    interface Metrics extends Outbox.Counters {
        void sent(int messages);

        /** A live event handed to the network (delivery delay since its commit). */
        void delivered(EventFrame frame, long nowNanos);

        /** A client that did not take its lagged notice in time is being closed. */
        void closedSlowClient();

        void replayFailed(RuntimeException e);
    }

    interface Registry {
        void register(StreamClient client);

        void unregister(StreamClient client);
    }
}
