import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Random;

/**
 * Fills an Argus database (schema already created by the server's migrations) with N synthetic
 * events straight through JDBC, for the query and discovery benchmarks:
 * {@code java -cp argus-service.jar SeedDatabase.java events.db 5000000}.
 */
public class SeedDatabase {
    public static void main(String[] args) throws Exception {
        String db = args[0];
        long n = Long.parseLong(args[1]);
        Random r = new Random(42);
        long now = System.currentTimeMillis() * 1000L;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = OFF");
                s.execute("PRAGMA cache_size = -262144");
            }
            c.setAutoCommit(false);
            PreparedStatement ins = c.prepareStatement("INSERT INTO events (id, source, event_type, level, message, ts,"
                    + " received_at, data, tags, session_id, uuid) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
            PreparedStatement tag = c.prepareStatement("INSERT INTO event_tags (tag, event_id) VALUES (?, ?)");
            long start = System.nanoTime();
            for (long id = 1; id <= n; id++) {
                int src = r.nextInt(50);
                int type = r.nextInt(20);
                long ts = now - (n - id) * 500L;
                ins.setLong(1, id);
                ins.setString(2, "source-" + src);
                ins.setString(3, "type-" + type);
                ins.setInt(4, r.nextInt(6));
                ins.setString(5, "message " + id + " from source " + src);
                ins.setLong(6, ts);
                ins.setLong(7, ts);
                ins.setString(8, "{\"n\":" + id + ",\"ok\":true}");
                ins.setString(9, id % 10 == 0 ? "[\"tenth\"]" : "[]");
                ins.setString(10, "session-" + (id / 1000));
                ins.setString(11, "seed-" + id);
                ins.addBatch();
                if (id % 10 == 0) {
                    tag.setString(1, "tenth");
                    tag.setLong(2, id);
                    tag.addBatch();
                }
                if (id % 50_000 == 0) {
                    ins.executeBatch();
                    tag.executeBatch();
                    c.commit();
                }
            }
            ins.executeBatch();
            tag.executeBatch();
            try (Statement s = c.createStatement()) {
                s.execute("INSERT OR IGNORE INTO event_types (source, event_type) SELECT DISTINCT source, event_type FROM events");
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            System.out.printf("seeded %d events in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
        }
    }
}
