package dev.argus.service.storage.sqlite;

import dev.argus.service.core.AgentFields;
import dev.argus.service.core.IngestResult;
import dev.argus.service.core.LogEvery;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.storage.EventBatchWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQLite writer: the single writer connection, the insert statements, uuid dedup, the cache of
 * discovery pairs and the id counter. Used only on the writer thread (and by start/stop while it
 * does not run); {@link #lastCommittedId()} and {@link #forgetKnownTypes()} are safe from any thread.
 */
public final class SqliteEventWriter implements EventBatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventWriter.class);

    private final SqliteStorage storage;
    private final Set<String> knownTypes = new HashSet<>();
    private final List<String> newTypes = new ArrayList<>(0);
    private volatile boolean reloadTypes;
    private volatile long lastId;
    private Connection connection;
    /** All columns, for events with §12.1 agent fields. */
    private PreparedStatement insertEvent;
    /**
     * The plain columns only (the agent columns default to NULL): most events carry no agent
     * field, and every bound parameter is a JNI call, so this saves seven per event.
     */
    private PreparedStatement insertPlain;
    private PreparedStatement insertTag;
    private PreparedStatement insertType;
    private PreparedStatement findUuid;
    private long appliedPageCap = -1;
    /** The writer thread's own connection for finishing WAL checkpoints (opened on first use). */
    private Connection walConnection;
    private final LogEvery walWarnings = new LogEvery(Duration.ofSeconds(60));
    /** Commits and events since the last checkpoint request ({@link WalCheckpointer}). */
    private int commitsSinceCheckpoint;
    private long eventsSinceCheckpoint;
    /** Ids assigned in the open transaction: ({@code txFrom}, {@code txTo}]. */
    private long txFrom;
    private long txTo;
    /** Ids ({@code from}, {@code to}] of failed commits that must be verified absent before the next write. */
    private long leftoverFrom = -1;
    private long leftoverTo = -1;

    SqliteEventWriter(SqliteStorage storage) {
        this.storage = storage;
    }

    /** The storage this writer belongs to (tests move its page cap). */
    public SqliteStorage storage() {
        return storage;
    }

    @Override
    public long lastCommittedId() {
        return lastId;
    }

    @Override
    public void forgetKnownTypes() {
        reloadTypes = true;
    }

    @Override
    public String describe(Throwable failure) {
        return SqliteErrors.describe(failure, storage.path(), storage.maxPageCount());
    }

    /** Opens the writer connection, prepares its statements and loads the caches from the database. */
    @Override
    public void open() throws SQLException {
        Connection c = storage.openWriter();
        try {
            insertEvent = c.prepareStatement(
                    "INSERT OR IGNORE INTO events (id, source, event_type, level, message, ts, received_at, data, tags, session_id, uuid,"
                            + " hook, tool_name, tool_use_id, agent_id, status, is_background, task_id)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            insertPlain = c.prepareStatement(
                    "INSERT OR IGNORE INTO events (id, source, event_type, level, message, ts, received_at, data, tags, session_id, uuid)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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

    @Override
    public Connection begin() throws SQLException {
        txFrom = lastId;
        txTo = lastId;
        newTypes.clear();
        if (connection == null) {
            open();
        }
        if (leftoverFrom >= 0) {
            removeLeftovers();
        }
        long cap = storage.maxPageCount();
        if (cap != appliedPageCap) {
            SqliteStorage.applyMaxPageCount(connection, cap);
            appliedPageCap = cap;
        }
        if (reloadTypes) {
            loadKnownTypes();
        }
        txFrom = lastId;   // reopening may have moved it past ids of rows it found
        txTo = lastId;
        return connection;
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

    @Override
    public Inserted insert(List<List<NewEvent>> requests, long received) throws SQLException {
        long next = txTo;
        List<NewEvent> inserted = new ArrayList<>();
        List<StoredEvent> stored = new ArrayList<>();
        Map<String, Long> uuidsInCommit = new HashMap<>();
        List<IngestResult> results = new ArrayList<>(requests.size());
        int dupCount = 0;
        // Pass 1: one INSERT OR IGNORE per event; the unique uuid index itself finds stored
        // duplicates, so an event costs no extra lookup. Repeats inside this commit never reach SQL.
        long[] rowIds = new long[16];
        // For row k: its position in the plain statement's batch (>= 0), or -1 - its position in the full one's.
        int[] slots = new int[16];
        int plainRows = 0;
        int fullRows = 0;
        try {
            for (List<NewEvent> events : requests) {
                int n = events.size();
                long[] ids = new long[n];
                boolean[] dup = new boolean[n];
                for (int i = 0; i < n; i++) {
                    NewEvent e = events.get(i);
                    if (e.uuid() != null) {
                        Long earlier = uuidsInCommit.get(e.uuid());
                        if (earlier != null) {
                            ids[i] = -earlier - 1;   // resolved after the insert: the first one's id
                            dup[i] = true;
                            continue;
                        }
                    }
                    long id = ++next;
                    txTo = next;
                    ids[i] = id;
                    boolean plain = e.agent() == AgentFields.NONE;
                    bindInsert(plain ? insertPlain : insertEvent, plain, id, received, e);
                    if (e.uuid() != null) {
                        uuidsInCommit.put(e.uuid(), id);
                    }
                    if (inserted.size() == rowIds.length) {
                        rowIds = Arrays.copyOf(rowIds, rowIds.length * 2);
                        slots = Arrays.copyOf(slots, slots.length * 2);
                    }
                    rowIds[inserted.size()] = id;
                    slots[inserted.size()] = plain ? plainRows++ : -1 - fullRows++;
                    inserted.add(e);
                }
                results.add(new IngestResult(ids, dup));
            }
        } finally {
            txTo = next;
        }
        int[] plainCounts = plainRows == 0 ? new int[0] : insertPlain.executeBatch();
        int[] fullCounts = fullRows == 0 ? new int[0] : insertEvent.executeBatch();
        // Pass 2: events the index refused were stored before; everything else gets its tags.
        Map<Long, Long> replaced = new HashMap<>(0);
        for (int k = 0; k < inserted.size(); k++) {
            NewEvent e = inserted.get(k);
            long id = rowIds[k];
            int slot = slots[k];
            int count = slot >= 0 ? plainCounts[slot] : fullCounts[-1 - slot];
            if (count == 0) {
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
        return new Inserted(results, stored, dupCount);
    }

    private static void bindInsert(PreparedStatement s, boolean plain, long id, long received, NewEvent e)
            throws SQLException {
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
        if (plain) {
            s.addBatch();
            return;
        }
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

    @Override
    public void commit() throws SQLException {
        connection.commit();
        eventsSinceCheckpoint += txTo - txFrom;
        if (++commitsSinceCheckpoint >= WalCheckpointer.COMMITS || eventsSinceCheckpoint >= WalCheckpointer.EVENTS) {
            commitsSinceCheckpoint = 0;
            eventsSinceCheckpoint = 0;
            WalCheckpointer.request(storage);
        }
        lastId = txTo;
        txFrom = txTo;
        knownTypes.addAll(newTypes);
        newTypes.clear();
    }

    @Override
    public void betweenTransactions() {
        if (!storage.takeWalFinish()) {
            return;
        }
        if (!storage.checkpointLock().tryLock()) {
            storage.walPassDone();   // another pass runs: finish after it, never wait for it here
            return;
        }
        try {
            if (walConnection == null) {
                walConnection = storage.openCheckpointer();
            }
            WalCheckpointer.passive(walConnection);
        } catch (SQLException | RuntimeException e) {
            // Only the WAL's size is at stake: the data is committed; the next pass tries again.
            closeQuietly(walConnection);
            walConnection = null;
            if (walWarnings.due()) {
                LOG.warn("finishing a WAL checkpoint of {} failed ({}); the WAL grows until one succeeds",
                        storage.path(), e.getMessage());
            }
        } finally {
            storage.checkpointLock().unlock();
        }
    }

    /**
     * Ends a failed transaction. SQLite rolls a transaction back by itself on some errors
     * (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM…); the driver's rollback then fails on "no
     * transaction is active" and never opens the next one, and later statements would autocommit
     * one by one. So the connection is never trusted after a failure: it is closed (SQLite rolls
     * back whatever is still open) and opened again, which also reloads every cache from the
     * database; the ids the transaction assigned are then verified absent. When the connection
     * cannot be opened now, the next transaction tries again, and verifies first.
     */
    @Override
    public void abort() {
        newTypes.clear();
        if (txTo > txFrom && txFrom >= 0) {
            leftoverFrom = leftoverFrom < 0 ? txFrom : Math.min(leftoverFrom, txFrom);
            leftoverTo = Math.max(leftoverTo, txTo);
        }
        txFrom = lastId;
        txTo = lastId;
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
    }

    private void reopen() {
        close();
        try {
            open();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("writer connection cannot be reopened yet ({}); retrying before the next write", e.getMessage());
        }
    }

    @Override
    public void close() {
        closeQuietly(walConnection);
        walConnection = null;
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
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("closing the writer connection failed", e);
        }
    }

    private static String typeKey(String source, String eventType) {
        return source + '\u0000' + eventType;
    }
}
