package dev.argus.service.storage.jdbc;

import dev.argus.service.agents.Agent;
import dev.argus.service.agents.AgentStatus;
import dev.argus.service.agents.Session;
import dev.argus.service.agents.SessionStatus;
import dev.argus.service.storage.SessionReader;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@link SessionReader} on a read pool (SQLite and PostgreSQL); every value bound. */
public final class JdbcSessionReader implements SessionReader {
    private final Jdbi jdbi;

    public JdbcSessionReader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public List<Session> sessions(SessionStatus status, String project, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(SessionRows.SESSION_COLUMNS).append(" FROM sessions");
        List<Object> args = new ArrayList<>();
        String and = " WHERE ";
        if (status != null) {
            sql.append(and).append("status = ?");
            args.add(status.json());
            and = " AND ";
        }
        if (project != null) {
            sql.append(and).append("project = ?");
            args.add(project);
        }
        sql.append(" ORDER BY last_event_at DESC, id LIMIT ?");
        args.add(limit);
        return read(h -> {
            try (PreparedStatement p = h.getConnection().prepareStatement(sql.toString())) {
                bind(p, args);
                List<Session> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(SessionRows.session(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Session session(String id) {
        return read(h -> {
            try (PreparedStatement p = h.getConnection().prepareStatement(
                    "SELECT " + SessionRows.SESSION_COLUMNS + " FROM sessions WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? SessionRows.session(rs) : null;
                }
            }
        });
    }

    @Override
    public List<Agent> agents(String sessionId, AgentStatus status, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(SessionRows.AGENT_COLUMNS).append(" FROM agents");
        List<Object> args = new ArrayList<>();
        String and = " WHERE ";
        if (sessionId != null) {
            sql.append(and).append("session_id = ?");
            args.add(sessionId);
            and = " AND ";
        }
        if (status != null) {
            sql.append(and).append("status = ?");
            args.add(status.json());
        }
        sql.append(" ORDER BY seq LIMIT ?");
        args.add(limit);
        return read(h -> {
            try (PreparedStatement p = h.getConnection().prepareStatement(sql.toString())) {
                bind(p, args);
                List<Agent> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(SessionRows.agent(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public boolean taskExists(String taskId) {
        return read(h -> JdbcSessionStore.taskExists(h.getConnection(), taskId));
    }

    private <T> T read(HandleCallback<T, SQLException> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (SQLException e) {
            throw new dev.argus.service.storage.SessionStorageException(e);
        }
    }

    private static void bind(PreparedStatement p, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Integer n) {
                p.setInt(i + 1, n);
            } else {
                p.setString(i + 1, (String) a);
            }
        }
    }
}
