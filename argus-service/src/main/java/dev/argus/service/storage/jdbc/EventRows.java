package dev.argus.service.storage.jdbc;

import dev.argus.service.core.AgentFields;
import dev.argus.service.core.Level;
import dev.argus.service.core.StoredEvent;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;

/** The columns of {@code events} that make a {@link StoredEvent}, and the row mapper (both dialects). */
public final class EventRows {
    public static final String COLUMNS =
            "id, source, event_type, level, message, ts, received_at, data, tags, session_id, uuid,"
                    + " hook, tool_name, tool_use_id, agent_id, status, is_background, task_id";

    public static final RowMapper<StoredEvent> MAPPER = (rs, ctx) -> event(rs);

    private EventRows() {
    }

    /** The event of the current row (columns in the order of {@link #COLUMNS}). */
    public static StoredEvent event(ResultSet rs) throws SQLException {
        int level = rs.getInt(4);
        Level lvl = rs.wasNull() ? null : Level.ofOrdinal(level);
        return new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), lvl, rs.getString(5),
                rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), null, agentFields(rs));
    }

    /** Columns 12–18: the §12.1 fields. */
    private static AgentFields agentFields(ResultSet rs) throws SQLException {
        int bg = rs.getInt(17);
        Boolean background = rs.wasNull() ? null : bg != 0;
        return AgentFields.of(rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                rs.getString(16), background, rs.getString(18));
    }

    /** {@link #COLUMNS} with a table alias, e.g. {@code e.id, e.source, …}. */
    public static String prefixed(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }
}
