package dev.argus.service.ingest;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.argus.service.core.IngestResult;
import dev.argus.service.core.LogEvery;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.StorageException;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.core.Timestamps;
import dev.argus.service.storage.EventBatchWriter;
import dev.argus.service.storage.WriteRunner;
import dev.argus.service.storage.WriteTask;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.StampedLock;

/**
 * Group commit (SPEC §6): one writer thread drains every waiting request into a single
 * transaction and one fsync, then completes each request. A request's future completes only after
 * the commit that holds it; listeners hear of events only after that commit.
 *
 * <p>Every request is answered (SPEC §3): a request is only queued while the writer runs (a lock
 * orders enqueueing against stop and death, so nothing is queued after the last drain); a failed
 * transaction answers each of its requests with 503 after making sure nothing of it is stored;
 * if the writer thread dies anyway, its death answers everything queued and refuses everything
 * after; and no caller waits longer than the write time-out.
 *
 * <p>The engine holds no SQL: the store ({@link EventBatchWriter}) inserts, dedups and verifies;
 * {@link CommitParticipant}s add derived state in the same transaction; {@link CommitListener}s
 * hear of the events and that state after the commit.
 */
public final class IngestEngine implements Managed, WriteRunner {
    private static final Logger LOG = LoggerFactory.getLogger(IngestEngine.class);
    /** Upper bound of events in one transaction, so that one commit never takes long. */
    private static final int MAX_EVENTS_PER_COMMIT = 20_000;
    /** Default bound of a caller's wait for its commit. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(60);

    private enum State { NEW, RUNNING, STOPPING, STOPPED, FAILED }

    /** A failed ingest commit, kept until the next one succeeds. */
    private record Failure(Instant at, String message) {
    }

    /**
     * What the health check reports: {@code problem} is null while the writer runs and its last
     * ingest commit succeeded, else a sentence saying what is wrong.
     */
    public record Status(boolean running, String problem) {
    }

    /** Appended to every 503 of a request that was refused or rolled back. */
    static final String NOTHING_STORED = "; nothing of this request was stored";

    private final EventBatchWriter writer;
    private final List<CommitParticipant> participants = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Pending> queue;
    private final int maxPending;
    private final long writeTimeoutNanos;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final Histogram commitSize;
    private final Timer commitTimer;
    private final Meter ingested;
    private final Meter duplicates;
    private final Meter failedCommits;
    /** Orders enqueueing (read side, many at once) against stop and death (write side). */
    private final StampedLock gate = new StampedLock();

    private volatile State state = State.NEW;
    private volatile String deathCause;
    private volatile Failure lastFailure;
    private volatile long lastCommitNanos = System.nanoTime();
    private volatile WriterFaults faults = WriterFaults.NONE;
    private Thread writerThread;

    private final LogEvery failureLogs = new LogEvery(Duration.ofSeconds(10));
    private long suppressedFailures;

    public IngestEngine(EventBatchWriter writer, int maxPendingWrites, MetricRegistry metrics) {
        this(writer, maxPendingWrites, DEFAULT_WRITE_TIMEOUT, metrics);
    }

    public IngestEngine(EventBatchWriter writer, int maxPendingWrites, Duration writeTimeout, MetricRegistry metrics) {
        this.writer = writer;
        this.queue = new ArrayBlockingQueue<>(maxPendingWrites);
        this.maxPending = maxPendingWrites;
        this.writeTimeoutNanos = writeTimeout.toNanos();
        this.commitSize = metrics.histogram("argus.ingest.commit-events");
        this.commitTimer = metrics.timer("argus.ingest.commit-time");
        this.ingested = metrics.meter("argus.ingest.events");
        this.duplicates = metrics.meter("argus.ingest.duplicates");
        this.failedCommits = metrics.meter("argus.ingest.failed-commits");
        metrics.gauge("argus.ingest.queue-depth", () -> queue::size);
    }

    public void addListener(CommitListener listener) {
        listeners.add(listener);
    }

    /**
     * Adds derived state to every ingest transaction: called on the writer thread after the
     * events are inserted and before the commit (register before {@link #start()}).
     */
    public void addParticipant(CommitParticipant participant) {
        participants.add(participant);
    }

    /** The id of the newest committed event (0 when none); new events get larger ids. */
    public long lastCommittedId() {
        return writer.lastCommittedId();
    }

    /** Nanotime of the last successful commit, for health checks. */
    public long lastCommitNanos() {
        return lastCommitNanos;
    }

    /** Whether the writer takes requests, and what is wrong if anything. */
    public Status status() {
        State s = state;
        if (s == State.FAILED) {
            return new Status(false, "the writer stopped after an internal error (" + deathCause
                    + "); every write is answered 503 until the server is restarted");
        }
        if (s != State.RUNNING) {
            return new Status(false, s == State.NEW ? "the writer has not started" : "the writer is stopping");
        }
        Failure f = lastFailure;
        if (f != null) {
            return new Status(true, "the last ingest commit failed at " + f.at() + ": " + f.message()
                    + "; every request is still tried, and this turns healthy with the next successful commit");
        }
        return new Status(true, null);
    }

    /** Test hook: makes the writer fail on purpose ({@link WriterFaults#NONE} to stop). */
    void injectFaults(WriterFaults faults) {
        this.faults = faults;
    }

    /** Test hook: the store this engine writes to. */
    EventBatchWriter writer() {
        return writer;
    }

    @Override
    public void start() throws java.sql.SQLException {
        writer.open();
        state = State.RUNNING;
        writerThread = new Thread(this::runWriter, "argus-writer");
        writerThread.setDaemon(false);
        writerThread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        long stamp = gate.writeLock();
        try {
            if (state == State.RUNNING || state == State.NEW) {
                state = State.STOPPING;
            }
        } finally {
            gate.unlockWrite(stamp);
        }
        // From here nothing new is queued; the writer commits what is queued, then exits.
        if (writerThread != null) {
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        }
        failQueued(new StorageException("server is shutting down" + NOTHING_STORED
                + "; retry when it is back", null));
        if (state != State.FAILED) {
            state = State.STOPPED;
        }
        if (writerThread == null || !writerThread.isAlive()) {
            // A writer stuck in a commit for 30 s keeps its connection; the process exit closes it.
            writer.close();
        }
    }

    /**
     * Stores the events in one all-or-nothing unit and waits for the commit.
     *
     * @throws StorageException when the store failed or is overloaded; nothing of it was stored
     */
    public IngestResult write(List<NewEvent> events) throws StorageException {
        EventWrite w = new EventWrite(events);
        submit(w);
        return await(w, w.future, writeTimeoutNanos);
    }

    /** Runs maintenance work on the writer thread in its own transaction and waits for it. */
    public <T> T execute(WriteTask<T> task) throws StorageException {
        return execute(task, Duration.ofNanos(writeTimeoutNanos));
    }

    /** The same, waiting at most {@code timeout} (e.g. a health probe that must answer soon). */
    public <T> T execute(WriteTask<T> task, Duration timeout) throws StorageException {
        TaskWrite<T> w = new TaskWrite<>(task);
        submit(w);
        return await(w, w.future, Math.min(timeout.toNanos(), writeTimeoutNanos));
    }

    private void submit(Pending p) throws StorageException {
        long stamp = gate.readLock();
        try {
            State s = state;
            if (s != State.RUNNING) {
                throw new StorageException(s == State.FAILED
                        ? "storage unavailable: the writer stopped after an internal error (" + deathCause
                                + "); restart the server" + NOTHING_STORED
                        : "server is shutting down" + NOTHING_STORED + "; retry when it is back", null);
            }
            if (!queue.offer(p)) {
                throw new StorageException("storage busy: " + maxPending + " writes are already waiting"
                        + " (database.maxPendingWrites); retry later" + NOTHING_STORED, null);
            }
        } finally {
            gate.unlockRead(stamp);
        }
    }

    private static <T> T await(Pending p, CompletableFuture<T> future, long timeoutNanos) throws StorageException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    // The answer must reflect the commit, so keep waiting and restore the flag after.
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof StorageException se) {
                        throw se;
                    }
                    throw new StorageException("storage failed: " + e.getCause(), e.getCause());
                } catch (TimeoutException e) {
                    long seconds = TimeUnit.NANOSECONDS.toSeconds(timeoutNanos);
                    if (p.cancel()) {
                        throw new StorageException("storage too slow: the writer did not reach this request within "
                                + seconds + " s (database.writeTimeoutSeconds)" + NOTHING_STORED
                                + "; retry later", null);
                    }
                    if (future.isDone()) {
                        continue;
                    }
                    throw new StorageException("storage too slow: the commit holding this request did not finish within "
                            + seconds + " s (database.writeTimeoutSeconds); it may still be stored, so retry with"
                            + " the same uuid", null);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runWriter() {
        List<Pending> drained = new ArrayList<>();
        Throwable death = null;
        try {
            while (true) {
                Pending first;
                try {
                    first = queue.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    continue;
                }
                if (first == null) {
                    // No enqueue happens once the state left RUNNING, so an empty queue now stays empty.
                    if (state != State.RUNNING && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                drained.add(first);
                queue.drainTo(drained, 4096);
                faults.taken(drained.size());
                try {
                    process(drained);
                } catch (Throwable t) {
                    // Each transaction answers its own failures; this is a failure in that handling.
                    LOG.error("writer failed while handling {} requests; answering them 503", drained.size(), t);
                    StorageException failure = new StorageException(
                            writer.describe(t)
                                    + NOTHING_STORED, t);
                    for (Pending p : drained) {
                        p.fail(failure);
                    }
                    writer.abort();
                }
                drained.clear();
                writer.betweenTransactions();
            }
        } catch (Throwable t) {
            death = t;
        } finally {
            if (death != null) {
                die(death, drained);
            }
        }
    }

    /** The writer thread is ending abnormally: refuse from now on, answer everything waiting. */
    private void die(Throwable cause, List<Pending> inHand) {
        long stamp = gate.writeLock();
        try {
            deathCause = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            state = State.FAILED;
        } finally {
            gate.unlockWrite(stamp);
        }
        LOG.error("the writer thread died; every write is answered 503 until the server is restarted", cause);
        StorageException failure = new StorageException("storage unavailable: the writer stopped after an internal"
                + " error (" + deathCause + "); restart the server" + NOTHING_STORED, cause);
        for (Pending p : inHand) {
            p.fail(failure);
        }
        failQueued(failure);
        writer.close();
    }

    private void failQueued(StorageException failure) {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending p : left) {
            p.fail(failure);
        }
    }

    private void process(List<Pending> drained) {
        List<EventWrite> events = new ArrayList<>();
        int count = 0;
        for (Pending p : drained) {
            if (!p.take()) {
                continue;   // its caller gave up waiting and was answered 503
            }
            if (p instanceof EventWrite ew) {
                if (count > 0 && count + ew.events.size() > MAX_EVENTS_PER_COMMIT) {
                    commitEvents(events);
                    events.clear();
                    count = 0;
                }
                events.add(ew);
                count += ew.events.size();
            } else {
                commitEvents(events);
                events.clear();
                count = 0;
                runTask((TaskWrite<?>) p);
            }
        }
        commitEvents(events);
    }

    /**
     * Answers a failed transaction: makes sure nothing of it is stored (the store reopens its
     * connection and checks the commit's ids before any other write), then fails every request in it.
     */
    private void failTransaction(List<? extends Pending> requests, Throwable cause, boolean ingest) {
        failedCommits.mark();
        String what = writer.describe(cause);
        logFailure(ingest ? "commit" : "writer task", requests.size(), what, cause);
        writer.abort();
        if (ingest) {
            for (CommitParticipant p : participants) {
                try {
                    p.afterRollback();
                } catch (RuntimeException e) {
                    LOG.warn("commit participant failed after a rollback", e);
                }
            }
            lastFailure = new Failure(Instant.now(), what);
        }
        StorageException failure = new StorageException(what + (ingest ? NOTHING_STORED : ""), cause);
        for (Pending p : requests) {
            p.fail(failure);
        }
    }

    /** A full disk fails every commit: one log entry with the stack trace per ten seconds, counts between. */
    private void logFailure(String what, int requests, String message, Throwable cause) {
        if (!failureLogs.due()) {
            suppressedFailures++;
            return;
        }
        String more = suppressedFailures == 0 ? "" : " (" + suppressedFailures + " more failures since the last report)";
        LOG.error("{} of {} requests failed, nothing of it kept: {}{}", what, requests, message, more, cause);
        suppressedFailures = 0;
    }

    // --- transactions ----------------------------------------------------------------------

    private void commitEvents(List<EventWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        long received = Timestamps.nowMicros();
        Timer.Context timer = commitTimer.time();
        List<List<NewEvent>> requests = new ArrayList<>(writes.size());
        for (EventWrite w : writes) {
            requests.add(w.events);
        }
        EventBatchWriter.Inserted inserted;
        List<Object> derived = List.of();
        try {
            Connection tx = writer.begin();
            inserted = writer.insert(requests, received);
            if (!participants.isEmpty() && !inserted.stored().isEmpty()) {
                derived = new ArrayList<>();
                for (CommitParticipant p : participants) {
                    List<Object> d = p.inTransaction(tx, inserted.stored());
                    if (d != null) {
                        derived.addAll(d);
                    }
                }
            }
            faults.beforeCommit(tx, inserted.stored().size());
            writer.commit();
        } catch (Throwable e) {
            timer.stop();
            failTransaction(writes, e, true);
            return;
        }
        timer.stop();
        lastCommitNanos = System.nanoTime();
        lastFailure = null;
        List<StoredEvent> stored = inserted.stored();
        commitSize.update(stored.size());
        ingested.mark(stored.size());
        if (inserted.duplicates() > 0) {
            duplicates.mark(inserted.duplicates());
        }
        List<IngestResult> results = inserted.results();
        for (int i = 0; i < writes.size(); i++) {
            writes.get(i).future.complete(results.get(i));
        }
        if (!stored.isEmpty() || !derived.isEmpty()) {
            for (CommitListener l : listeners) {
                try {
                    l.committed(stored, derived);
                } catch (RuntimeException e) {
                    LOG.warn("commit listener failed", e);
                }
            }
        }
    }

    private <T> void runTask(TaskWrite<T> w) {
        T result;
        try {
            Connection tx = writer.begin();
            result = w.task.run(tx);
            faults.beforeCommit(tx, 0);
            writer.commit();
        } catch (Throwable e) {
            failTransaction(List.of(w), e, false);
            return;
        }
        lastCommitNanos = System.nanoTime();
        w.future.complete(result);
    }

    /** A request waiting for the writer; answered exactly once, by the writer or by its own caller's time-out. */
    private abstract static class Pending {
        private static final AtomicIntegerFieldUpdater<Pending> CLAIM =
                AtomicIntegerFieldUpdater.newUpdater(Pending.class, "claim");
        /** 0 waiting, 1 taken by the writer, 2 given up by its caller. */
        private volatile int claim;

        /** The writer takes it; false when its caller gave up already. */
        final boolean take() {
            return CLAIM.compareAndSet(this, 0, 1);
        }

        /** Its caller gives up; false when the writer has it already. */
        final boolean cancel() {
            return CLAIM.compareAndSet(this, 0, 2);
        }

        abstract void fail(StorageException e);
    }

    private static final class EventWrite extends Pending {
        final List<NewEvent> events;
        final CompletableFuture<IngestResult> future = new CompletableFuture<>();

        EventWrite(List<NewEvent> events) {
            this.events = events;
        }

        @Override
        void fail(StorageException e) {
            future.completeExceptionally(e);
        }
    }

    private static final class TaskWrite<T> extends Pending {
        final WriteTask<T> task;
        final CompletableFuture<T> future = new CompletableFuture<>();

        TaskWrite(WriteTask<T> task) {
            this.task = task;
        }

        @Override
        void fail(StorageException e) {
            future.completeExceptionally(e);
        }
    }
}
