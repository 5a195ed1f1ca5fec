import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;

/**
 * Issue 20: what one event costs the writer in SQLite, without HTTP. The events table and indexes
 * of the V1/V2 migrations, commits of 100 events (one tag each), ids assigned by the caller as the
 * writer does; thread CPU per event (steadier than wall time on a loaded machine). Compares the
 * writer's per-row executeBatch with multi-row INSERT statements (ROWS rows per statement,
 * prepared once), with and without AUTOINCREMENT, and without the tag rows.
 *   java -cp argus-service/target/argus-service.jar bench/speed/SqliteInsertBench.java 200000 FULL
 * (events, synchronous); the first of two passes is a warm-up.
 */
public class SqliteInsertBench {
    static final String COLS = "id, source, event_type, level, message, ts, received_at, data, tags, session_id, uuid";

    public static void main(String[] a) throws Exception {
        int total = a.length > 0 ? Integer.parseInt(a[0]) : 200_000;
        String sync = a.length > 1 ? a[1] : "OFF";
        for (int pass = 0; pass < 2; pass++) {
            for (String mode : new String[] {"batch autoinc", "batch no-autoinc", "batch autoinc no-tags",
                    "multi20 autoinc", "multi20 no-autoinc", "multi50 no-autoinc"}) {
                run(mode, total, sync, pass == 1);
            }
        }
    }

    static void run(String mode, int total, String sync, boolean print) throws Exception {
        Path dir = Files.createTempDirectory("insert-bench");
        boolean autoinc = !mode.contains("no-autoinc");
        boolean tags = !mode.contains("no-tags");
        int rowsPer = mode.startsWith("multi") ? Integer.parseInt(mode.substring(5, mode.indexOf(' '))) : 1;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("e.db"))) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=" + sync);
                s.execute("PRAGMA cache_size=-65536");
                s.execute("CREATE TABLE events (id INTEGER PRIMARY KEY" + (autoinc ? " AUTOINCREMENT" : "")
                        + ", source TEXT NOT NULL, event_type TEXT NOT NULL, level INTEGER, message TEXT, ts INTEGER NOT NULL,"
                        + " received_at INTEGER NOT NULL, data TEXT, tags TEXT NOT NULL DEFAULT '[]', session_id TEXT, uuid TEXT,"
                        + " hook TEXT, tool_name TEXT, tool_use_id TEXT, agent_id TEXT, status TEXT, is_background INTEGER, task_id TEXT)");
                for (String ddl : new String[] {
                        "CREATE UNIQUE INDEX events_uuid ON events (uuid) WHERE uuid IS NOT NULL",
                        "CREATE INDEX events_source_id ON events (source, id)",
                        "CREATE INDEX events_type_id ON events (event_type, id)",
                        "CREATE INDEX events_level_id ON events (level, id) WHERE level IS NOT NULL",
                        "CREATE INDEX events_session_id ON events (session_id, id) WHERE session_id IS NOT NULL",
                        "CREATE INDEX events_ts ON events (ts)",
                        "CREATE TABLE event_tags (tag TEXT NOT NULL, event_id INTEGER NOT NULL, PRIMARY KEY (tag, event_id)) WITHOUT ROWID",
                        "CREATE INDEX event_tags_event ON event_tags (event_id)"}) {
                    s.execute(ddl);
                }
            }
            c.setAutoCommit(false);
            StringBuilder sql = new StringBuilder("INSERT OR IGNORE INTO events (" + COLS + ") VALUES ");
            for (int r = 0; r < rowsPer; r++) {
                sql.append(r == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?)");
            }
            PreparedStatement ins = c.prepareStatement(sql.toString());
            PreparedStatement tag = c.prepareStatement("INSERT OR IGNORE INTO event_tags (tag, event_id) VALUES (?, ?)");
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long id = 0;
            long ts = 1_700_000_000_000_000L;
            for (int b = 0; b < total / 100; b++) {
                int p = 1;
                for (int i = 0; i < 100; i++) {
                    id++;
                    ins.setLong(p++, id);
                    ins.setString(p++, "source-" + (id % 20));
                    ins.setString(p++, "type-" + (id % 7));
                    ins.setInt(p++, 2);
                    ins.setString(p++, "GET /api/items 200 in " + id + "ms");
                    ins.setLong(p++, ts + id * 1000);
                    ins.setLong(p++, ts + id * 1000);
                    ins.setString(p++, "{\"path\":\"/api/items\",\"status\":200,\"ms\":" + id + "}");
                    ins.setString(p++, "[\"bench\"]");
                    ins.setNull(p++, Types.VARCHAR);
                    ins.setNull(p++, Types.VARCHAR);
                    if (rowsPer == 1) {
                        ins.addBatch();
                        p = 1;
                    } else if ((i + 1) % rowsPer == 0) {
                        ins.executeUpdate();
                        p = 1;
                    }
                    if (tags) {
                        tag.setString(1, "bench");
                        tag.setLong(2, id);
                        tag.addBatch();
                    }
                }
                if (rowsPer == 1) {
                    ins.executeBatch();
                }
                if (tags) {
                    tag.executeBatch();
                }
                c.commit();
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            long wall = System.nanoTime() - t0;
            long n;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
                rs.next();
                n = rs.getLong(1);
            }
            if (print) {
                System.out.printf("%-22s synchronous=%s rows=%d  %6.2f µs CPU/event  %6.2f µs wall/event%n",
                        mode, sync, n, cpu / 1e3 / total, wall / 1e3 / total);
            }
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }
}
