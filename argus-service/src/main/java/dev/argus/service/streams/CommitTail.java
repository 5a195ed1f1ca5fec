package dev.argus.service.streams;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.argus.service.core.EventFilter;
import dev.argus.service.core.EventQuery;
import dev.argus.service.core.LogEvery;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.ingest.CommitListener;
import dev.argus.service.storage.CommitSignals;
import dev.argus.service.storage.EventReader;
import dev.argus.service.storage.LiveJournal;
import dev.argus.service.work.WorkEvents;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The live streams' feed when several instances share one database (SPEC §15): instead of hearing
 * only this instance's commits, the hub is handed every committed event of the cluster, read back
 * from the database in id order.
 *
 * <p>One thread (the tail) reads {@code id > lastDelivered} in id order, in pages of
 * {@value #PAGE} rows, and hands each page to the hub exactly as a local commit would be. It
 * wakes when this instance commits (at once: local latency stays low), when another instance's
 * commit is signalled ({@code LISTEN argus_events}, on a second thread holding its own
 * connection), after that connection is (re)opened, and every {@value #POLL_MILLIS} ms anyway.
 * A signal carries nothing the tail relies on, so a notification lost across a reconnect or
 * merged with others costs latency only. This is gap-free only because the store commits ids in
 * id order across instances: when the tail has read id N, no id below N commits later.
 *
 * <p>Lifecycle messages derived from this instance's commits (SPEC §12.3) are handed to the hub
 * right after the events of their commit. Those of other instances' commits, and their
 * {@code /api/stream} task/workstream state events, come from the {@link LiveJournal}, where every commit wrote them in id (= commit) order: after each read
 * of events the tail reads the journal past the last entry it handled, skips this instance's own
 * entries, and hands on each other entry once the event it follows was delivered (an entry whose
 * event is not read yet waits for the next round, and so do the entries after it).
 *
 * <p>While no stream client is connected the tail does not read events: it only moves
 * {@code lastDelivered} to the newest id (read before it checks that there is still no client,
 * so a client that subscribes meanwhile replays everything up to it from storage).
 */
final class CommitTail implements Managed, CommitListener {
    private static final Logger LOG = LoggerFactory.getLogger(CommitTail.class);
    /** Rows per read. */
    static final int PAGE = 1000;
    /** Fallback poll: the longest a committed event waits when no signal reaches this instance. */
    static final int POLL_MILLIS = 1000;
    /** How long the listener blocks on its socket before it looks at the stop flag. */
    private static final int LISTEN_SLICE_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    /** A failure is logged at most this often while it lasts. */
    private static final Duration LOG_EVERY = Duration.ofSeconds(30);

    /** Derived messages of a local commit, handed on once every id up to {@code maxId} was delivered. */
    private record Pending(long maxId, List<Object> derived) {
    }

    private final CommitListener hub;
    private final BooleanSupplier hasClients;
    private final EventReader reader;
    private final CommitSignals signals;
    /** Null: no other instance's lifecycle messages (tests of the event path alone). */
    private final LiveJournal journal;
    /** Where other instances' task/workstream state events go ({@code /api/stream}), or null. */
    private final WorkEvents updates;
    /** The last journal entry handled (tail thread only). */
    private long lastJournal;
    private final Meter reads;
    private final Meter reconnects;

    private final Object lock = new Object();
    private boolean woken;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private volatile boolean running;
    private volatile long lastDelivered;
    private Thread tail;
    private Thread listener;

    /**
     * @param hub        where the events go, in id order, as committed batches
     * @param hasClients whether any stream client is connected (no reads while none is)
     */
    CommitTail(CommitListener hub, BooleanSupplier hasClients, EventReader reader, CommitSignals signals,
               MetricRegistry metrics) {
        this(hub, hasClients, reader, signals, null, null, metrics);
    }

    /**
     * @param journal where the other instances' live messages are read, or null for none
     * @param updates where their {@code /api/stream} state events go, or null for none
     */
    CommitTail(CommitListener hub, BooleanSupplier hasClients, EventReader reader, CommitSignals signals,
               LiveJournal journal, WorkEvents updates, MetricRegistry metrics) {
        this.hub = hub;
        this.hasClients = hasClients;
        this.reader = reader;
        this.signals = signals;
        this.journal = journal;
        this.updates = updates;
        this.reads = metrics.meter("argus.streams.tail.reads");
        this.reconnects = metrics.meter("argus.streams.tail.listen-connects");
        metrics.gauge("argus.streams.tail.last-delivered-id", () -> () -> lastDelivered);
    }

    @Override
    public void start() {
        lastDelivered = newestId();
        lastJournal = journal == null ? 0 : journal.newestId();
        running = true;
        tail = new Thread(this::tailLoop, "argus-commit-tail");
        tail.setDaemon(true);
        listener = new Thread(this::listenLoop, "argus-commit-listen");
        listener.setDaemon(true);
        tail.start();
        listener.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        for (Thread t : new Thread[] {tail, listener}) {
            if (t != null) {
                t.interrupt();
            }
        }
        for (Thread t : new Thread[] {tail, listener}) {
            if (t != null) {
                t.join(5_000);
            }
        }
    }

    /** The newest id handed to the hub (every id up to it that committed was). */
    long lastDelivered() {
        return lastDelivered;
    }

    /** This instance committed (on the writer thread): wake the tail; never blocks. */
    @Override
    public void committed(List<StoredEvent> events) {
        wake();
    }

    @Override
    public void committed(List<StoredEvent> events, List<Object> derived) {
        if (!derived.isEmpty()) {
            long max = -1;
            for (StoredEvent e : events) {
                max = Math.max(max, e.id());
            }
            synchronized (lock) {
                pending.add(new Pending(max, List.copyOf(derived)));
            }
        }
        wake();
    }

    private void wake() {
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }

    private void tailLoop() {
        long failingSince = 0;
        LogEvery warnings = new LogEvery(LOG_EVERY);
        long backoff = 100;
        while (running) {
            try {
                synchronized (lock) {
                    if (!woken) {
                        lock.wait(POLL_MILLIS);
                    }
                    woken = false;
                }
            } catch (InterruptedException e) {
                continue;   // stop() clears running
            }
            try {
                catchUp();
                if (failingSince != 0) {
                    LOG.info("commit tail reads again after {} ms; live streams caught up to id {}",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingSince), lastDelivered);
                    failingSince = 0;
                }
                backoff = 100;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (failingSince == 0) {
                    failingSince = System.nanoTime();
                }
                if (warnings.due()) {
                    LOG.warn("commit tail cannot read events after id {} (live streams wait; retrying): {}",
                            lastDelivered, e.toString());
                }
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                wake();   // retry without waiting for the next signal
            }
        }
    }

    /** Reads and hands on every event committed after {@code lastDelivered}, in id order. */
    private void catchUp() {
        flushPending();
        if (!hasClients.getAsBoolean()) {
            long newest = newestId();
            // Checked again after the read: a client that subscribed before it is served from here on.
            if (!hasClients.getAsBoolean()) {
                lastDelivered = Math.max(lastDelivered, newest);
                flushPending();
                if (journal != null) {
                    lastJournal = Math.max(lastJournal, journal.newestId());
                }
                return;
            }
        }
        while (running) {
            List<StoredEvent> page = reader.findAfter(EventFilter.ALL, lastDelivered, PAGE);
            reads.mark();
            deliver(page);
            deliverJournal();
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    /** Hands on the other instances' lifecycle messages whose events were delivered, in journal order. */
    private void deliverJournal() {
        if (journal == null) {
            return;
        }
        while (running) {
            List<LiveJournal.Entry> entries = journal.after(lastJournal, PAGE);
            for (LiveJournal.Entry e : entries) {
                boolean own = e.instance().equals(journal.instance());
                if (!own && e.afterEventId() > lastDelivered) {
                    return;   // its event is not delivered yet: next round
                }
                if (!own && LiveJournal.UPDATES.equals(e.stream())) {
                    if (updates != null) {
                        updates.published(e.sseEvent(), e.taskId(), e.frame());
                    }
                } else if (!own) {
                    hub.committed(List.of(), List.of(e));
                }
                lastJournal = e.id();
            }
            if (entries.size() < PAGE) {
                return;
            }
        }
    }

    /** Hands {@code page} on, each local commit's derived messages right after its last event. */
    private void deliver(List<StoredEvent> page) {
        int from = 0;
        for (int i = 0; i < page.size(); i++) {
            long id = page.get(i).id();
            Pending head = peek();
            if (head != null && head.maxId() < id && i > from) {
                hub.committed(page.subList(from, i), List.of());
                lastDelivered = page.get(i - 1).id();
                from = i;
                flushPending();
            }
        }
        if (from < page.size()) {
            hub.committed(page.subList(from, page.size()), List.of());
            lastDelivered = page.get(page.size() - 1).id();
        }
        flushPending();
    }

    private Pending peek() {
        synchronized (lock) {
            return pending.peek();
        }
    }

    /** The derived messages whose commit's events were all delivered, in commit order. */
    private void flushPending() {
        while (true) {
            Pending p;
            synchronized (lock) {
                p = pending.peek();
                if (p == null || p.maxId() > lastDelivered) {
                    return;
                }
                pending.poll();
            }
            hub.committed(List.of(), p.derived());
        }
    }

    private long newestId() {
        List<StoredEvent> newest = reader.find(new EventQuery(EventFilter.ALL, null, null, 1, false), 1);
        return newest.isEmpty() ? 0 : newest.get(0).id();
    }

    /** Holds the listening connection, reopening it with back-off; every (re)open wakes the tail. */
    private void listenLoop() {
        long backoff = 100;
        long failingSince = 0;
        LogEvery warnings = new LogEvery(LOG_EVERY);
        while (running) {
            CommitSignals.Listener l;
            try {
                l = signals.open();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (failingSince == 0) {
                    failingSince = System.nanoTime();
                }
                if (warnings.due()) {
                    LOG.warn("commit tail cannot listen for other instances' commits (polling every {} ms meanwhile;"
                            + " retrying): {}", POLL_MILLIS, e.toString());
                }
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                continue;
            }
            reconnects.mark();
            if (failingSince != 0) {
                LOG.info("commit tail listens again");
                failingSince = 0;
            }
            backoff = 100;
            // Notifications sent while no connection listened are not replayed: read what was missed.
            wake();
            try {
                while (running) {
                    if (l.await(LISTEN_SLICE_MILLIS)) {
                        wake();
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.info("commit tail's listening connection broke ({}); reconnecting", e.toString());
                }
            } finally {
                l.close();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
