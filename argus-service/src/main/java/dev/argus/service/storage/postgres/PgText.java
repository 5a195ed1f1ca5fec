package dev.argus.service.storage.postgres;

import dev.argus.service.core.AgentFields;
import dev.argus.service.core.NewEvent;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL {@code text} cannot hold U+0000, which SPEC §2 allows in a message, a tag, a
 * {@code session_id} or a {@code uuid}. Such an event is stored with each U+0000 replaced by U+FFFD
 * (the replacement character), and the same replaced event is what live streams carry, so a stream
 * and a later query agree. Without this the database would refuse the statement, and with it the
 * whole group commit: every request sharing the commit would be answered 503 because of one event.
 * ({@code data} and the stored tags JSON are JSON text, where U+0000 is always escaped.)
 *
 * <p>The same holds for every other text bound to a PostgreSQL statement, whatever its route: a
 * workstream's or task's name, a summary, a session's {@code cwd}, a query's filter value. Every
 * connection {@link PostgresStorage} opens or pools is {@linkplain #nulSafe(Connection) wrapped} so
 * that its prepared statements bind strings with U+0000 replaced, whether through JDBI or plain
 * JDBC: a filter holding U+0000 then matches what was stored for it, and no request can fail in the
 * database on this character (it answered 500/503 before).
 */
final class PgText {
    static final char NUL = '\u0000';
    static final char REPLACEMENT = '\uFFFD';

    private PgText() {
    }

    /** {@code e} itself when none of its text holds U+0000, else a copy with U+0000 replaced. */
    static NewEvent storable(NewEvent e) {
        AgentFields a = e.agent();
        if (!has(e.message()) && !has(e.sessionId()) && !has(e.uuid()) && !has(e.source()) && !has(e.eventType())
                && !hasAny(e.tags()) && !has(a.hook()) && !has(a.toolName()) && !has(a.toolUseId())
                && !has(a.agentId()) && !has(a.status()) && !has(a.taskId())) {
            return e;
        }
        List<String> tags = e.tags();
        if (hasAny(tags)) {
            List<String> copy = new ArrayList<>(tags.size());
            for (String t : tags) {
                copy.add(clean(t));
            }
            tags = List.copyOf(copy);
        }
        AgentFields agent = new AgentFields(clean(a.hook()), clean(a.toolName()), clean(a.toolUseId()),
                clean(a.agentId()), clean(a.status()), a.isBackground(), clean(a.taskId()));
        return new NewEvent(clean(e.source()), clean(e.eventType()), e.level(), clean(e.message()),
                e.timestampMicros(), e.dataJson(), tags, e.tagsJson(), clean(e.sessionId()), clean(e.uuid()), agent);
    }

    static String clean(String s) {
        return has(s) ? s.replace(NUL, REPLACEMENT) : s;
    }

    private static boolean has(String s) {
        return s != null && s.indexOf(NUL) >= 0;
    }

    private static boolean hasAny(List<String> list) {
        if (list == null) {
            return false;
        }
        for (String s : list) {
            if (has(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code c} with every prepared statement it makes binding strings ({@code setString},
     * {@code setNString}, {@code setObject} with a {@code String}) with U+0000 replaced. Everything
     * else, {@code unwrap} included, goes to {@code c} unchanged.
     */
    static Connection nulSafe(Connection c) {
        return (Connection) Proxy.newProxyInstance(PgText.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Forwarder(c, true));
    }

    /** Forwards calls; on a connection wraps the statements it prepares, on a statement cleans bound strings. */
    private static final class Forwarder implements InvocationHandler {
        private final Object target;
        private final boolean connection;

        Forwarder(Object target, boolean connection) {
            this.target = target;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "nul-safe " + target;
                };
            }
            if (!connection && args != null && args.length >= 2 && args[1] instanceof String text
                    && (method.getName().equals("setString") || method.getName().equals("setNString")
                    || method.getName().equals("setObject"))) {
                args[1] = clean(text);
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (connection && (method.getName().equals("prepareStatement") || method.getName().equals("prepareCall"))) {
                Class<?> type = result instanceof CallableStatement ? CallableStatement.class : PreparedStatement.class;
                return Proxy.newProxyInstance(PgText.class.getClassLoader(), new Class<?>[] {type},
                        new Forwarder(result, false));
            }
            return result;
        }
    }
}
