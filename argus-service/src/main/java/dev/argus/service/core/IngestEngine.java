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
import java.util.ArrayList;
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

/**
 * Group commit (SPEC §6): one writer thread drains every waiting request into a single
 * transaction and one fsync, then completes each request. A request's future completes only after
 * the commit that holds it; listeners hear of events only after that commit.
 */
public final class IngestEngine implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(IngestEngine.class);
    /** Upper bound of events in one transaction, so that one commit never takes long. */
    private static final int MAX_EVENTS_PER_COMMIT = 20_000;

    private final Database database;
    private final BlockingQueue<Pending> queue;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final Histogram commitSize;
    private final Timer commitTimer;
    private final Meter ingested;
    private final Meter duplicates;
    private final Set<String> knownTypes = new HashSet<>();

    private volatile boolean running;
    private volatile long lastCommitNanos = System.nanoTime();
    private volatile long lastId;
    private Thread writer;
    private Connection connection;
    private PreparedStatement insertEvent;
    private PreparedStatement insertTag;
    private PreparedStatement insertType;
    private PreparedStatement findUuid;

    public IngestEngine(Database database, int maxPendingWrites, MetricRegistry metrics) {
        this.database = database;
        this.queue = new ArrayBlockingQueue<>(maxPendingWrites);
        this.commitSize = metrics.histogram("argus.ingest.commit-events");
        this.commitTimer = metrics.timer("argus.ingest.commit-time");
        this.ingested = metrics.meter("argus.ingest.events");
        this.duplicates = metrics.meter("argus.ingest.duplicates");
        metrics.gauge("argus.ingest.queue-depth", () -> queue::size);
    }

    public void addListener(CommitListener listener) {
        listeners.add(listener);
    }

    /** The id of the newest committed event (0 when none). */
    public long lastCommittedId() {
        return lastId;
    }

    /** Nanotime of the last successful commit, for health checks. */
    public long lastCommitNanos() {
        return lastCommitNanos;
    }

    @Override
    public void start() throws SQLException {
        connection = database.openWriter();
        insertEvent = connection.prepareStatement(
                "INSERT OR IGNORE INTO events (id, source, event_type, level, message, ts, received_at, data, tags, session_id, uuid)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertTag = connection.prepareStatement("INSERT OR IGNORE INTO event_tags (tag, event_id) VALUES (?, ?)");
        insertType = connection.prepareStatement("INSERT OR IGNORE INTO event_types (source, event_type) VALUES (?, ?)");
        findUuid = connection.prepareStatement("SELECT id FROM events WHERE uuid = ?");
        try (Statement s = connection.createStatement()) {
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
            lastId = seq;
            try (ResultSet rs = s.executeQuery("SELECT source, event_type FROM event_types")) {
                while (rs.next()) {
                    knownTypes.add(typeKey(rs.getString(1), rs.getString(2)));
                }
            }
        }
        connection.commit();
        running = true;
        writer = new Thread(this::runWriter, "argus-writer");
        writer.setDaemon(false);
        writer.start();
    }

    @Override
    public void stop() throws InterruptedException, SQLException {
        running = false;
        if (writer != null) {
            writer.interrupt();
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        // Anything still queued after the writer stopped was never committed: fail it explicitly.
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending p : left) {
            p.fail(new StorageException("server is shutting down", null));
        }
        if (connection != null) {
            connection.close();
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
        return await(w.future);
    }

    /** Runs maintenance work on the writer thread in its own transaction and waits for it. */
    public <T> T execute(WriteTask<T> task) throws StorageException {
        TaskWrite<T> w = new TaskWrite<>(task);
        submit(w);
        return await(w.future);
    }

    private void submit(Pending p) throws StorageException {
        if (!running) {
            throw new StorageException("storage is not running", null);
        }
        if (!queue.offer(p)) {
            throw new StorageException("too many writes waiting; retry later", null);
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws StorageException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    // The answer must reflect the commit, so keep waiting and restore the flag after.
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof StorageException se) {
                        throw se;
                    }
                    throw new StorageException("storage failed: " + e.getCause(), e.getCause());
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
        List<EventWrite> events = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                drained.add(first);
                queue.drainTo(drained, 4096);
            } catch (InterruptedException e) {
                if (running) {
                    continue;
                }
                queue.drainTo(drained);
            }
            int count = 0;
            for (Pending p : drained) {
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
            events.clear();
            drained.clear();
        }
    }

    private void commitEvents(List<EventWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        long next = lastId;
        long received = Timestamps.nowMicros();
        Timer.Context timer = commitTimer.time();
        List<NewEvent> inserted = new ArrayList<>();
        List<StoredEvent> stored = new ArrayList<>();
        List<String> newTypes = new ArrayList<>(0);
        Map<String, Long> uuidsInCommit = new HashMap<>();
        List<IngestResult> results = new ArrayList<>(writes.size());
        int dupCount = 0;
        try {
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
                        rowIds = java.util.Arrays.copyOf(rowIds, rowIds.length * 2);
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
                    Long existing = findByUuid(e.uuid());
                    if (existing == null) {
                        throw new SQLException("event refused by the store but no stored uuid " + e.uuid());
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
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            clearBatches();
            timer.stop();
            LOG.error("commit of {} write requests failed; none acknowledged", writes.size(), e);
            StorageException failure = new StorageException("storage failed: " + e.getMessage(), e);
            for (EventWrite w : writes) {
                w.future.completeExceptionally(failure);
            }
            return;
        }
        timer.stop();
        lastId = next;
        lastCommitNanos = System.nanoTime();
        knownTypes.addAll(newTypes);
        commitSize.update(stored.size());
        ingested.mark(stored.size());
        if (dupCount > 0) {
            duplicates.mark(dupCount);
        }
        for (int i = 0; i < writes.size(); i++) {
            writes.get(i).future.complete(results.get(i));
        }
        if (!stored.isEmpty()) {
            for (CommitListener l : listeners) {
                try {
                    l.committed(stored);
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
        s.addBatch();
    }

    private Long findByUuid(String uuid) throws SQLException {
        findUuid.setString(1, uuid);
        try (ResultSet rs = findUuid.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private <T> void runTask(TaskWrite<T> w) {
        try {
            T result = w.task.run(connection);
            connection.commit();
            w.future.complete(result);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            w.future.completeExceptionally(new StorageException("storage task failed: " + e.getMessage(), e));
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed", e);
        }
    }

    private void clearBatches() {
        for (PreparedStatement s : new PreparedStatement[] {insertEvent, insertTag, insertType}) {
            try {
                s.clearBatch();
            } catch (SQLException ignored) {
                // the statement is reset with the connection's next use
            }
        }
    }

    private static String typeKey(String source, String eventType) {
        return source + '\u0000' + eventType;
    }

    /** Forgets cached discovery pairs (after retention removed some). */
    public void forgetKnownTypes() throws StorageException {
        execute(c -> {
            knownTypes.clear();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT source, event_type FROM event_types")) {
                while (rs.next()) {
                    knownTypes.add(typeKey(rs.getString(1), rs.getString(2)));
                }
            }
            return null;
        });
    }

    private interface Pending {
        void fail(StorageException e);
    }

    private static final class EventWrite implements Pending {
        final List<NewEvent> events;
        final CompletableFuture<IngestResult> future = new CompletableFuture<>();

        EventWrite(List<NewEvent> events) {
            this.events = events;
        }

        @Override
        public void fail(StorageException e) {
            future.completeExceptionally(e);
        }
    }

    private static final class TaskWrite<T> implements Pending {
        final WriteTask<T> task;
        final CompletableFuture<T> future = new CompletableFuture<>();

        TaskWrite(WriteTask<T> task) {
            this.task = task;
        }

        @Override
        public void fail(StorageException e) {
            future.completeExceptionally(e);
        }
    }
}
