package dev.argus.service.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The test server script works: a fresh database is empty, usable, durable across a restart. */
class PostgresServerTest {
    @Test
    void freshDatabasesAreSeparateAndSurviveARestart() throws Exception {
        PostgresServer pg = PostgresServer.get();
        String a = pg.freshDatabase();
        String b = pg.freshDatabase();
        assertThat(a).isNotEqualTo(b).startsWith("jdbc:postgresql://127.0.0.1:");
        String nameA = a.substring(a.lastIndexOf('/') + 1);
        try (Connection c = pg.connect(nameA); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x INT)");
            s.execute("INSERT INTO t VALUES (42)");
            try (ResultSet rs = s.executeQuery("SHOW fsync")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
        }
        if (System.getenv("ARGUS_TEST_POSTGRES_URL") == null) {
            pg.restart();
        }
        try (Connection c = pg.connect(nameA); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT x FROM t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        String nameB = b.substring(b.lastIndexOf('/') + 1);
        try (Connection c = pg.connect(nameB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}
