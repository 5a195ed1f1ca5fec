package dev.argus.service.storage.sqlite;

import com.codahale.metrics.MetricRegistry;
import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.core.EventFilter;
import dev.argus.service.core.EventFilter.Field;
import dev.argus.service.core.EventParser;
import dev.argus.service.core.EventQuery;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.core.IngestResult;
import dev.argus.service.core.Level;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.StoredEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: for random filters over every field (repeated values, SQL and LIKE metacharacters,
 * non-ASCII letters), the SQL of {@code GET /events} and the live matcher select exactly the same
 * events from the same real SQLite file. Seed: {@code -Dargus.filter.seed=N}; printed on failure.
 */
class FilterAgreementTest {
    private static final long SEED = Long.getLong("argus.filter.seed", 20261129L);
    private static final int ITERATIONS = Integer.getInteger("argus.filter.iterations", 500);
    private static final long T0 = 1_700_000_000_000_000L;

    private static final String[] WORDS = {"a", "A", "%", "_", "\\", "'", "!", "?", ":", ":name", "50%_off",
            "C:\\temp", "it's", "É", "é", "e", "E", "ß", "SS", "ss", "ẞ", "İ", "i", "I", "ı", "Σ", "σ", "ς", "Straße",
            "STRASSE", "Ωmega", "ﬁle", "FILE", "日本", "😀", "build", "Build", "FAILED", " ", "--", "*"};
    private static final String[] NAMES = {"s", "S", "É", "é", "50%", "a_b", "a\\b", "it's", "q?", ":x", "ß"};
    private static final String[] HOOKS = {"PreToolUse", "preToolUse", "Stop", "É", "50%"};
    private static final String[] STATUSES = {"success", "failure", "pending", "activated"};

    @TempDir
    Path dir;

    private IngestEngine engine;
    private Connection connection;
    private SqliteEventReader dao;
    private final List<StoredEvent> fresh = new ArrayList<>();

    @BeforeEach
    void store() throws Exception {
        DatabaseConfig config = new DatabaseConfig();
        config.setPath(dir.resolve("events.db").toString());
        config.setSynchronous("OFF");
        SqliteStorage database = new SqliteStorage(config);
        database.migrate();
        engine = new IngestEngine(database.writer(), 10_000, new MetricRegistry());
        engine.start();
        // One read connection for the whole test, as a pooled one is reused: the SQL function is registered once.
        connection = DriverManager.getConnection(database.jdbcUrl());
        dao = new SqliteEventReader(Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() {
                return connection;
            }

            @Override
            public void closeConnection(Connection conn) {
                // kept open across handles
            }
        }));

        Random r = new Random(SEED);
        ObjectMapper json = new ObjectMapper();
        EventParser parser = new EventParser();
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ObjectNode e = json.createObjectNode();
            e.put("source", pick(r, NAMES));
            e.put("event_type", pick(r, NAMES));
            if (r.nextInt(5) > 0) {
                e.put("level", Level.values()[r.nextInt(Level.values().length)].json());
            }
            if (r.nextInt(4) > 0) {
                e.put("message", text(r, 1 + r.nextInt(5)));
            }
            if (r.nextBoolean()) {
                e.put("session_id", pick(r, NAMES));
            }
            // §12.1 fields, each present in about half the events
            if (r.nextBoolean()) {
                e.put("hook", pick(r, HOOKS));
            }
            for (String f : new String[] {"tool_name", "tool_use_id", "agent_id", "task_id"}) {
                if (r.nextBoolean()) {
                    e.put(f, pick(r, NAMES));
                }
            }
            if (r.nextBoolean()) {
                e.put("status", pick(r, STATUSES));
            }
            if (r.nextBoolean()) {
                e.put("is_background", r.nextBoolean());
            }
            var tags = e.putArray("tags");
            for (int t = r.nextInt(4); t > 0; t--) {
                tags.add(pick(r, NAMES));
            }
            e.put("timestamp", java.time.Instant.EPOCH.plusNanos((T0 + r.nextInt(1_000_000)) * 1000).toString());
            byte[] body = json.writeValueAsBytes(e);
            EventParser.Result parsed = parser.parseSingle(body, body.length, T0);
            assertThat(parsed.valid()).as(e.toString()).isTrue();
            events.addAll(parsed.events());
        }
        IngestResult stored = engine.write(events);
        for (int i = 0; i < events.size(); i++) {
            fresh.add(StoredEvent.of(stored.ids()[i], T0, events.get(i)));
        }
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        engine.stop();
    }

    @Test
    void sqlAndTheLiveMatcherSelectTheSameEvents() {
        long started = System.nanoTime();
        Random r = new Random(SEED + 1);
        List<StoredEvent> all = dao.find(new EventQuery(EventFilter.ALL, null, null, 1000, true), 1000);
        assertThat(all).hasSize(fresh.size());
        int nonEmpty = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            EventFilter filter = randomFilter(r);
            TreeSet<Long> sql = new TreeSet<>();
            dao.find(new EventQuery(filter, null, null, 1000, true), 1000).forEach(e -> sql.add(e.id()));
            TreeSet<Long> live = new TreeSet<>();
            fresh.stream().filter(filter::matches).forEach(e -> live.add(e.id()));
            TreeSet<Long> replayed = new TreeSet<>();
            all.stream().filter(filter::matches).forEach(e -> replayed.add(e.id()));
            String where = "seed " + SEED + ", iteration " + i + ", " + filter;
            assertThat(live).as("live matcher vs SQL: " + where).isEqualTo(sql);
            assertThat(replayed).as("matcher on stored rows vs SQL: " + where).isEqualTo(sql);
            if (!sql.isEmpty() && sql.size() < fresh.size()) {
                nonEmpty++;
            }
        }
        System.out.println("filter agreement: " + ITERATIONS + " iterations in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        assertThat(nonEmpty).as("filters that select some but not all events").isGreaterThan(ITERATIONS / 4);
    }

    private static EventFilter randomFilter(Random r) {
        EventFilter.Builder b = EventFilter.builder();
        for (Field field : Field.values()) {
            boolean agentField = field.ordinal() >= Field.HOOK.ordinal() && field.ordinal() <= Field.TASK_ID.ordinal();
            if (r.nextInt(100) >= (agentField ? 12 : 30)) {
                continue;
            }
            int n = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
            for (int k = 0; k < n; k++) {
                b.add(field, switch (field) {
                    case SOURCE, EVENT_TYPE, SESSION_ID, TAG, TOOL_NAME, TOOL_USE_ID, AGENT_ID, TASK_ID -> pick(r, NAMES);
                    case HOOK -> pick(r, HOOKS);
                    case STATUS -> pick(r, STATUSES);
                    case IS_BACKGROUND -> r.nextBoolean();
                    case LEVEL, MIN_LEVEL -> Level.values()[r.nextInt(Level.values().length)];
                    case TEXT -> mixCase(r, text(r, 1 + r.nextInt(2)));
                    case SINCE, UNTIL -> T0 + r.nextInt(1_100_000) - 50_000L;
                });
            }
        }
        return b.build();
    }

    private static String text(Random r, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(pick(r, WORDS));
        }
        return b.toString();
    }

    private static String mixCase(Random r, String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            String c = new String(Character.toChars(cp));
            b.append(switch (r.nextInt(3)) {
                case 0 -> c.toUpperCase(Locale.ROOT);
                case 1 -> c.toLowerCase(Locale.ROOT);
                default -> c;
            });
        });
        return new String(b.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }
}
