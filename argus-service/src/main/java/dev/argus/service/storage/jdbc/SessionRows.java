package dev.argus.service.storage.jdbc;

import dev.argus.service.agents.Agent;
import dev.argus.service.agents.AgentStatus;
import dev.argus.service.agents.Session;
import dev.argus.service.agents.SessionStatus;

import java.sql.ResultSet;
import java.sql.SQLException;

/** The columns of {@code sessions} and {@code agents} (V2__agents.sql) and their rows as records. */
public final class SessionRows {
    public static final String SESSION_COLUMNS = "id, source, project, cwd, task_id, started_at, last_event_at, ended_at,"
            + " status, event_count, tool_count, error_count, agent_count";
    public static final String AGENT_COLUMNS = "id, agent_id, session_id, parent_agent_id, type, name, status, started_at,"
            + " ended_at, event_count";

    private SessionRows() {
    }

    public static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getLong(7), nullableLong(rs, 8), SessionStatus.parse(rs.getString(9)),
                rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13));
    }

    public static Agent agent(ResultSet rs) throws SQLException {
        return new Agent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), AgentStatus.parse(rs.getString(7)), rs.getLong(8), nullableLong(rs, 9),
                rs.getLong(10));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
