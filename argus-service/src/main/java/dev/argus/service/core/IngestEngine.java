package dev.argus.service.core;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.argus.service.db.Database;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 */
public final class IngestEngine implements Managed {
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

    private final Database database;
    private final BlockingQueue<Pending> queue;
    private final int maxPending;
    private final long writeTimeoutNanos;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final List<CommitParticipant> participants = new CopyOnWriteArrayList<>();
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
    private volatile boolean reloadTypes;
    private volatile long lastCommitNanos = System.nanoTime();
    private volatile long lastId;
    private volatile WriterFaults faults = WriterFaults.NONE;
    private Thread writer;

    // Owned by the writer thread (and by start/stop while it does not run).
    private final Set<String> knownTypes = new HashSet<>();
    private Connection connection;
    private PreparedStatement insertEvent;
    private PreparedStatement insertTag;
    private PreparedStatement insertType;
    private PreparedStatement findUuid;
    private long appliedPageCap = -1;
    /** Ids ({@code from}, {@code to}] of failed commits that must be verified absent before the next write. */
    private long leftoverFrom = -1;
    private long leftoverTo = -1;
    private long lastFailureLog;
    private long suppressedFailures;

    public IngestEngine(Database database, int maxPendingWrites, MetricRegistry metrics) {
        this(database, maxPendingWrites, DEFAULT_WRITE_TIMEOUT, metrics);
    }

    public IngestEngine(Database database, int maxPendingWrites, Duration writeTimeout, MetricRegistry metrics) {
        this.database = database;
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
        return lastId;
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

    /** Test hook: the database this engine writes to. */
    Database database() {
        return database;
    }

    @Override
    public void start() throws SQLException {
        open();
        state = State.RUNNING;
        writer = new Thread(this::runWriter, "argus-writer");
        writer.setDaemon(false);
        writer.start();
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
        if (writer != null) {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        failQueued(new StorageException("server is shutting down" + StorageErrors.NOTHING_STORED
                + "; retry when it is back", null));
        if (state != State.FAILED) {
            state = State.STOPPED;
        }
        if (writer == null || !writer.isAlive()) {
            // A writer stuck in a commit for 30 s keeps its connection; the process exit closes it.
            closeConnection();
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

    /**
     * Forgets the cached discovery pairs (after retention removed some): the writer reloads them
     * from {@code event_types} before its next transaction. Never blocks, so a {@link WriteTask}
     * may call it; called from the task that deleted pairs, no event can slip in between.
     */
    public void forgetKnownTypes() {
        reloadTypes = true;
    }

    private void submit(Pending p) throws StorageException {
        long stamp = gate.readLock();
        try {
            State s = state;
            if (s != State.RUNNING) {
                throw new StorageException(s == State.FAILED
                        ? "storage unavailable: the writer stopped after an internal error (" + deathCause
                                + "); restart the server" + StorageErrors.NOTHING_STORED
                        : "server is shutting down" + StorageErrors.NOTHING_STORED + "; retry when it is back", null);
            }
            if (!queue.offer(p)) {
                throw new StorageException("storage busy: " + maxPending + " writes are already waiting"
                        + " (database.maxPendingWrites); retry later" + StorageErrors.NOTHING_STORED, null);
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
                                + seconds + " s (database.writeTimeoutSeconds)" + StorageErrors.NOTHING_STORED
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
                            StorageErrors.describe(t, database.path(), database.maxPageCount())
                                    + StorageErrors.NOTHING_STORED, t);
                    for (Pending p : drained) {
                        p.fail(failure);
                    }
                    reopen();
                }
                drained.clear();
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
                + " error (" + deathCause + "); restart the server" + StorageErrors.NOTHING_STORED, cause);
        for (Pending p : inHand) {
            p.fail(failure);
        }
        failQueued(failure);
        closeConnection();
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

    // --- the writer connection -------------------------------------------------------------

    /** Opens the writer connection, prepares its statements and loads the caches from the database. */
    private void open() throws SQLException {
        Connection c = database.openWriter();
        try {
            insertEvent = c.prepareStatement(
                    "INSERT OR IGNORE INTO events (id, source, event_type, level, message, ts, received_at, data, tags, session_id, uuid,"
                            + " hook, tool_name, tool_use_id, agent_id, status, is_background, task_id)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            insertTag = c.prepareStatement("INSERT OR IGNORE INTO event_tags (tag, event_id) VALUES (?, ?)");
            insertType = c.prepareStatement("INSERT OR IGNORE INTO event_types (source, event_type) VALUES (?, ?)");
            findUuid = c.prepareStatement("SELECT id FROM events WHERE uuid = ?");
            try (Statement s = c.createStatement()) {
                long seq = 0;
                try (ResultSet rs = s.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'events'")) {
                    if (rs.next()) {
                        seq = rs.getLong(1);
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM events")) {
                    rs.next();
                    seq = Math.max(seq, rs.getLong(1));
                }
                // Never lower: ids answered before stay unique even when their rows were removed.
                lastId = Math.max(lastId, seq);
            }
            connection = c;
            loadKnownTypes();
            c.commit();
            appliedPageCap = -1;
        } catch (SQLException | RuntimeException e) {
            connection = null;
            closeQuietly(c);
            throw e;
        }
    }

    private void loadKnownTypes() throws SQLException {
        reloadTypes = false;
        knownTypes.clear();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT source, event_type FROM event_types")) {
            while (rs.next()) {
                knownTypes.add(typeKey(rs.getString(1), rs.getString(2)));
            }
        }
    }

    /**
     * Brings the connection to where a transaction may start: reopened if a failure closed it,
     * leftovers of a failed commit removed, the page cap and the discovery cache current.
     */
    private void beginTransaction() throws SQLException {
        if (connection == null) {
            open();
        }
        if (leftoverFrom >= 0) {
            removeLeftovers();
        }
        long cap = database.maxPageCount();
        if (cap != appliedPageCap) {
            Database.applyMaxPageCount(connection, cap);
            appliedPageCap = cap;
        }
        if (reloadTypes) {
            loadKnownTypes();
        }
    }

    /**
     * Verifies that no row of a failed commit was stored, and deletes any that were (SQLite can
     * report an error for a commit that reached the file), in a transaction of its own.
     */
    private void removeLeftovers() throws SQLException {
        int removed;
        try (PreparedStatement tags = connection.prepareStatement("DELETE FROM event_tags WHERE event_id > ? AND event_id <= ?");
             PreparedStatement events = connection.prepareStatement("DELETE FROM events WHERE id > ? AND id <= ?")) {
            tags.setLong(1, leftoverFrom);
            tags.setLong(2, leftoverTo);
            tags.executeUpdate();
            events.setLong(1, leftoverFrom);
            events.setLong(2, leftoverTo);
            removed = events.executeUpdate();
        }
        connection.commit();
        if (removed > 0) {
            LOG.error("removed {} events (ids {}..{}) of a commit that failed but had reached the database",
                    removed, leftoverFrom + 1, leftoverTo);
        }
        leftoverFrom = -1;
        leftoverTo = -1;
    }

    /**
     * Ends a failed transaction. SQLite rolls a transaction back by itself on some errors
     * (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM…); the driver's rollback then fails on "no
     * transaction is active" and never opens the next one, and later statements would autocommit
     * one by one. So the connection is never trusted after a failure: it is closed (SQLite rolls
     * back whatever is still open) and opened again, which also reloads every cache from the
     * database. When it cannot be opened now, the next transaction tries again.
     */
    private void reopen() {
        closeConnection();
        try {
            open();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("writer connection cannot be reopened yet ({}); retrying before the next write", e.getMessage());
        }
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // usually "no transaction is active": SQLite ended it already; close() settles the rest
        }
        closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("closing the writer connection failed", e);
        }
    }

    /**
     * Answers a failed transaction: makes sure nothing of it is stored (the connection is reopened
     * and the commit's ids are checked before any other write), then fails every request in it.
     *
     * @param idsFrom ids above this and up to {@code idsTo} were assigned in it; -1 for a task
     */
    private void failTransaction(List<? extends Pending> requests, Throwable cause, long idsFrom, long idsTo,
                                 boolean ingest) {
        failedCommits.mark();
        String what = StorageErrors.describe(cause, database.path(), database.maxPageCount());
        logFailure(ingest ? "commit" : "writer task", requests.size(), what, cause);
        if (idsTo > idsFrom && idsFrom >= 0) {
            leftoverFrom = leftoverFrom < 0 ? idsFrom : Math.min(leftoverFrom, idsFrom);
            leftoverTo = Math.max(leftoverTo, idsTo);
        }
        reopen();
        if (connection != null && leftoverFrom >= 0) {
            try {
                removeLeftovers();
            } catch (SQLException | RuntimeException e) {
                LOG.error("could not verify yet that nothing of the failed commit was stored ({}); no other write"
                        + " runs until it is", e.getMessage());
                reopen();
            }
        }
        if (ingest) {
            lastFailure = new Failure(Instant.now(), what);
        }
        StorageException failure = new StorageException(what + (ingest ? StorageErrors.NOTHING_STORED : ""), cause);
        for (Pending p : requests) {
            p.fail(failure);
        }
    }

    /** A full disk fails every commit: one log entry with the stack trace per ten seconds, counts between. */
    private void logFailure(String what, int requests, String message, Throwable cause) {
        long now = System.nanoTime();
        if (lastFailureLog != 0 && now - lastFailureLog < TimeUnit.SECONDS.toNanos(10)) {
            suppressedFailures++;
            return;
        }
        String more = suppressedFailures == 0 ? "" : " (" + suppressedFailures + " more failures since the last report)";
        LOG.error("{} of {} requests failed, nothing of it kept: {}{}", what, requests, message, more, cause);
        lastFailureLog = now;
        suppressedFailures = 0;
    }

    // --- transactions ----------------------------------------------------------------------

    private void commitEvents(List<EventWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        long before = lastId;
        long next = before;
        long received = Timestamps.nowMicros();
        Timer.Context timer = commitTimer.time();
        List<NewEvent> inserted = new ArrayList<>();
        List<StoredEvent> stored = new ArrayList<>();
        List<String> newTypes = new ArrayList<>(0);
        Map<String, Long> uuidsInCommit = new HashMap<>();
        List<IngestResult> results = new ArrayList<>(writes.size());
        int dupCount = 0;
        List<Object> derived = List.of();
        try {
            beginTransaction();
            before = lastId;   // reopening may have moved it past ids of rows it found
            next = before;
            // Pass 1: one INSERT OR IGNORE per event; the unique uuid index itself finds stored
            // duplicates, so an event costs no extra lookup. Repeats inside this commit never reach SQL.
            long[] rowIds = new long[16];
            for (EventWrite w : writes) {
                int n = w.events.size();
                long[] ids = new long[n];
                boolean[] dup = new boolean[n];
                for (int i = 0; i < n; i++) {
                    NewEvent e = w.events.get(i);
                    if (e.uuid() != null) {
                        Long earlier = uuidsInCommit.get(e.uuid());
                        if (earlier != null) {
                            ids[i] = -earlier - 1;   // resolved after the insert: the first one's id
                            dup[i] = true;
                            continue;
                        }
                    }
                    long id = ++next;
                    ids[i] = id;
                    bindInsert(id, received, e);
                    if (e.uuid() != null) {
                        uuidsInCommit.put(e.uuid(), id);
                    }
                    if (inserted.size() == rowIds.length) {
                        rowIds = Arrays.copyOf(rowIds, rowIds.length * 2);
                    }
                    rowIds[inserted.size()] = id;
                    inserted.add(e);
                }
                results.add(new IngestResult(ids, dup));
            }
            int[] counts = inserted.isEmpty() ? new int[0] : insertEvent.executeBatch();
            // Pass 2: events the index refused were stored before; everything else gets its tags.
            Map<Long, Long> replaced = new HashMap<>(0);
            for (int k = 0; k < inserted.size(); k++) {
                NewEvent e = inserted.get(k);
                long id = rowIds[k];
                if (counts[k] == 0) {
                    Long existing = e.uuid() == null ? null : findByUuid(e.uuid());
                    if (existing == null) {
                        // Only an id already taken refuses an event without a stored uuid: the
                        // id counter is behind the table. Reopening reloads it from the table.
                        throw new SQLException("event id " + id + " is already taken in the database");
                    }
                    replaced.put(id, existing);
                    continue;
                }
                for (String tag : e.tags()) {
                    insertTag.setString(1, tag);
                    insertTag.setLong(2, id);
                    insertTag.addBatch();
                }
                String key = typeKey(e.source(), e.eventType());
                if (!knownTypes.contains(key) && !newTypes.contains(key)) {
                    newTypes.add(key);
                    insertType.setString(1, e.source());
                    insertType.setString(2, e.eventType());
                    insertType.addBatch();
                }
                stored.add(StoredEvent.of(id, received, e));
            }
            insertTag.executeBatch();
            if (!newTypes.isEmpty()) {
                insertType.executeBatch();
            }
            for (IngestResult r : results) {
                long[] ids = r.ids();
                for (int i = 0; i < ids.length; i++) {
                    long id = ids[i] < 0 ? -(ids[i] + 1) : ids[i];
                    Long existing = replaced.get(id);
                    if (existing != null) {
                        id = existing;
                        r.duplicate()[i] = true;
                    }
                    ids[i] = id;
                    if (r.duplicate()[i]) {
                        dupCount++;
                    }
                }
            }
            if (!participants.isEmpty() && !stored.isEmpty()) {
                derived = new ArrayList<>();
                for (CommitParticipant p : participants) {
                    List<Object> d = p.inTransaction(connection, stored);
                    if (d != null) {
                        derived.addAll(d);
                    }
                }
            }
            faults.beforeCommit(connection, inserted.size());
            connection.commit();
        } catch (Throwable e) {
            timer.stop();
            for (CommitParticipant p : participants) {
                try {
                    p.afterRollback();
                } catch (RuntimeException re) {
                    LOG.warn("commit participant failed after a rollback", re);
                }
            }
            failTransaction(writes, e, before, next, true);
            return;
        }
        timer.stop();
        lastId = next;
        lastCommitNanos = System.nanoTime();
        lastFailure = null;
        knownTypes.addAll(newTypes);
        commitSize.update(stored.size());
        ingested.mark(stored.size());
        if (dupCount > 0) {
            duplicates.mark(dupCount);
        }
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

    private void bindInsert(long id, long received, NewEvent e) throws SQLException {
        PreparedStatement s = insertEvent;
        s.setLong(1, id);
        s.setString(2, e.source());
        s.setString(3, e.eventType());
        if (e.level() == null) {
            s.setNull(4, Types.INTEGER);
        } else {
            s.setInt(4, e.level().ordinal());
        }
        s.setString(5, e.message());
        s.setLong(6, e.timestampMicros());
        s.setLong(7, received);
        s.setString(8, e.dataJson());
        s.setString(9, e.tagsJson());
        s.setString(10, e.sessionId());
        s.setString(11, e.uuid());
        AgentFields a = e.agent();
        s.setString(12, a.hook());
        s.setString(13, a.toolName());
        s.setString(14, a.toolUseId());
        s.setString(15, a.agentId());
        s.setString(16, a.status());
        if (a.isBackground() == null) {
            s.setNull(17, Types.INTEGER);
        } else {
            s.setInt(17, a.isBackground() ? 1 : 0);
        }
        s.setString(18, a.taskId());
        s.addBatch();
    }

    private Long findByUuid(String uuid) throws SQLException {
        findUuid.setString(1, uuid);
        try (ResultSet rs = findUuid.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private <T> void runTask(TaskWrite<T> w) {
        T result;
        try {
            beginTransaction();
            result = w.task.run(connection);
            faults.beforeCommit(connection, 0);
            connection.commit();
        } catch (Throwable e) {
            failTransaction(List.of(w), e, -1, -1, false);
            return;
        }
        lastCommitNanos = System.nanoTime();
        w.future.complete(result);
    }

    private static String typeKey(String source, String eventType) {
        return source + '\u0000' + eventType;
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
