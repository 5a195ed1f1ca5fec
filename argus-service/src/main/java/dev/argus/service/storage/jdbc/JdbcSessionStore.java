package dev.argus.service.storage.jdbc;

import dev.argus.service.agents.Agent;
import dev.argus.service.agents.Session;
import dev.argus.service.agents.SessionStatus;
import dev.argus.service.storage.SessionStorageException;
import dev.argus.service.storage.WriteLock;
import dev.argus.service.storage.WriterSessionStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link dev.argus.service.agents.SessionStore} on the writer's connection (SQLite and PostgreSQL: the SQL is portable): every call runs inside the transaction the
 * writer has open (the event's, or a writer task's), so an event and the session state it changes
 * commit together. Statements are prepared once per connection; SQL failures surface as
 * {@link SessionStorageException} (unchecked, so that the tracker stays free of SQL) and roll the
 * transaction back. Every call first takes the dialect's {@link WriteLock} (PostgreSQL: the
 * cluster-wide writer lock, so two instances never change one session at the same time). Only the
 * writer thread may use it.
 */
public final class JdbcSessionStore implements WriterSessionStore {

    private static final String FIND = "SELECT " + SessionRows.SESSION_COLUMNS + " FROM sessions WHERE id = ?";
    private static final String AGENTS = "SELECT " + SessionRows.AGENT_COLUMNS
            + " FROM agents WHERE session_id = ? ORDER BY seq";
    private static final String UPSERT_SESSION = "INSERT INTO sessions (" + SessionRows.SESSION_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET source = excluded.source, project = excluded.project,"
            + " cwd = excluded.cwd, task_id = excluded.task_id, started_at = excluded.started_at,"
            + " last_event_at = excluded.last_event_at, ended_at = excluded.ended_at, status = excluded.status,"
            + " event_count = excluded.event_count, tool_count = excluded.tool_count,"
            + " error_count = excluded.error_count, agent_count = excluded.agent_count";
    // ON CONFLICT keeps the row (and so its seq, the creation order); INSERT OR REPLACE would not.
    private static final String UPSERT_AGENT = "INSERT INTO agents (" + SessionRows.AGENT_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, session_id = excluded.session_id,"
            + " parent_agent_id = excluded.parent_agent_id, type = excluded.type, name = excluded.name,"
            + " status = excluded.status, started_at = excluded.started_at, ended_at = excluded.ended_at,"
            + " event_count = excluded.event_count";
    private static final String IDLE_CANDIDATES = "SELECT " + SessionRows.SESSION_COLUMNS
            + " FROM sessions WHERE status = ? AND last_event_at <= ? ORDER BY last_event_at";

    private final Connection connection;
    private final WriteLock lock;
    private PreparedStatement find;
    private PreparedStatement agents;
    private PreparedStatement upsertSession;
    private PreparedStatement upsertAgent;

    public JdbcSessionStore(Connection connection, WriteLock lock) {
        this.connection = connection;
        this.lock = lock;
    }

    /** Whether this store works on {@code c} (the writer reopens its connection after a failure). */
    @Override
    public boolean uses(Connection c) {
        return connection == c;
    }

    @Override
    public Session find(String id) {
        try {
            lock.acquire(connection);
            if (find == null) {
                find = connection.prepareStatement(FIND);
            }
            find.setString(1, id);
            try (ResultSet rs = find.executeQuery()) {
                return rs.next() ? SessionRows.session(rs) : null;
            }
        } catch (SQLException e) {
            throw new SessionStorageException(e);
        }
    }

    @Override
    public List<Agent> agents(String sessionId) {
        try {
            lock.acquire(connection);
            if (agents == null) {
                agents = connection.prepareStatement(AGENTS);
            }
            agents.setString(1, sessionId);
            List<Agent> out = new ArrayList<>();
            try (ResultSet rs = agents.executeQuery()) {
                while (rs.next()) {
                    out.add(SessionRows.agent(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new SessionStorageException(e);
        }
    }

    @Override
    public void upsert(Session s) {
        try {
            lock.acquire(connection);
            if (upsertSession == null) {
                upsertSession = connection.prepareStatement(UPSERT_SESSION);
            }
            PreparedStatement p = upsertSession;
            p.setString(1, s.id());
            p.setString(2, s.source());
            p.setString(3, s.project());
            p.setString(4, s.cwd());
            p.setString(5, s.taskId());
            p.setLong(6, s.startedAt());
            p.setLong(7, s.lastEventAt());
            setLong(p, 8, s.endedAt());
            p.setString(9, s.status().json());
            p.setLong(10, s.eventCount());
            p.setLong(11, s.toolCount());
            p.setLong(12, s.errorCount());
            p.setLong(13, s.agentCount());
            p.executeUpdate();
        } catch (SQLException e) {
            throw new SessionStorageException(e);
        }
    }

    @Override
    public void upsert(Agent a) {
        try {
            lock.acquire(connection);
            if (upsertAgent == null) {
                upsertAgent = connection.prepareStatement(UPSERT_AGENT);
            }
            PreparedStatement p = upsertAgent;
            p.setString(1, a.id());
            p.setString(2, a.agentId());
            p.setString(3, a.sessionId());
            p.setString(4, a.parentAgentId());
            p.setString(5, a.type());
            p.setString(6, a.name());
            p.setString(7, a.status().json());
            p.setLong(8, a.startedAt());
            setLong(p, 9, a.endedAt());
            p.setLong(10, a.eventCount());
            p.executeUpdate();
        } catch (SQLException e) {
            throw new SessionStorageException(e);
        }
    }

    @Override
    public List<Session> activeSince(long cutoffMicros) {
        try {
            lock.acquire(connection);
        } catch (SQLException e) {
            throw new SessionStorageException(e);
        }
        try (PreparedStatement p = connection.prepareStatement(IDLE_CANDIDATES)) {
            p.setString(1, SessionStatus.ACTIVE.json());
            p.setLong(2, cutoffMicros);
            List<Session> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(SessionRows.session(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new SessionStorageException(e);
        }
    }

    @Override
    public boolean taskExists(String taskId) {
        return taskExists(connection, taskId);
    }

    /** Whether {@code taskId} names a task (SPEC §13), on any connection. */
    public static boolean taskExists(Connection c, String taskId) {
        try {
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM tasks WHERE id = ?")) {
                p.setString(1, taskId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next();
                }
            }
        } catch (SQLException e) {
            throw new SessionStorageException(e);
        }
    }

    private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.INTEGER);
        } else {
            p.setLong(i, v);
        }
    }
}
