package dev.argus.service.agents;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.argus.service.core.Timestamps;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The wire form of sessions and agents (SPEC §12.3): every field present, absent ones as null,
 * times as §2's {@code 2026-11-21T12:34:56.123456Z}. Bodies of {@code GET /sessions},
 * {@code GET /sessions/{id}}, {@code GET /agents} and the lifecycle messages; {@link #module()}
 * lets another mapper write {@link Session} and {@link Agent} too.
 */
public final class AgentsJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private AgentsJson() {
    }

    /** Registers serializers for {@link Session}, {@link Agent} and {@link LifecycleMessage}. */
    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("argus-agents");
        m.addSerializer(Session.class, new StdSerializer<>(Session.class) {
            @Override
            public void serialize(Session s, JsonGenerator g, SerializerProvider p) throws IOException {
                writeSession(g, s, null);
            }
        });
        m.addSerializer(Agent.class, new StdSerializer<>(Agent.class) {
            @Override
            public void serialize(Agent a, JsonGenerator g, SerializerProvider p) throws IOException {
                writeAgent(g, a);
            }
        });
        m.addSerializer(LifecycleMessage.class, new StdSerializer<>(LifecycleMessage.class) {
            @Override
            public void serialize(LifecycleMessage msg, JsonGenerator g, SerializerProvider p) throws IOException {
                writeLifecycle(g, msg);
            }
        });
        return m;
    }

    /** {@code {"sessions":[...]}}. */
    public static String sessions(List<Session> sessions) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("sessions");
            for (Session s : sessions) {
                writeSession(g, s, null);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The session with its {@code agents} ({@code GET /sessions/{id}}). */
    public static String session(Session s, List<Agent> agents) {
        return write(g -> writeSession(g, s, agents));
    }

    /** {@code {"agents":[...]}}. */
    public static String agents(List<Agent> agents) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("agents");
            for (Agent a : agents) {
                writeAgent(g, a);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** {@code {"type":T,"payload":{...}}}: the session for {@code session_*}, the agent for {@code agent_*}. */
    public static String lifecycle(LifecycleMessage m) {
        return write(g -> writeLifecycle(g, m));
    }

    public static void writeLifecycle(JsonGenerator g, LifecycleMessage m) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", m.type().json());
        g.writeFieldName("payload");
        if (m.type().aboutAgent()) {
            writeAgent(g, m.agent());
        } else {
            writeSession(g, m.session(), null);
        }
        g.writeEndObject();
    }

    /** One session; with {@code agents} non-null an {@code agents} array is added. */
    public static void writeSession(JsonGenerator g, Session s, List<Agent> agents) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", s.id());
        nullable(g, "source", s.source());
        nullable(g, "project", s.project());
        nullable(g, "cwd", s.cwd());
        nullable(g, "task_id", s.taskId());
        g.writeStringField("status", s.status().json());
        g.writeStringField("started_at", Timestamps.format(s.startedAt()));
        g.writeStringField("last_event_at", Timestamps.format(s.lastEventAt()));
        time(g, "ended_at", s.endedAt());
        g.writeNumberField("event_count", s.eventCount());
        g.writeNumberField("tool_count", s.toolCount());
        g.writeNumberField("error_count", s.errorCount());
        g.writeNumberField("agent_count", s.agentCount());
        if (agents != null) {
            g.writeArrayFieldStart("agents");
            for (Agent a : agents) {
                writeAgent(g, a);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    public static void writeAgent(JsonGenerator g, Agent a) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", a.id());
        nullable(g, "agent_id", a.agentId());
        g.writeStringField("session_id", a.sessionId());
        nullable(g, "parent_agent_id", a.parentAgentId());
        nullable(g, "type", a.type());
        nullable(g, "name", a.name());
        g.writeStringField("status", a.status().json());
        g.writeStringField("started_at", Timestamps.format(a.startedAt()));
        time(g, "ended_at", a.endedAt());
        g.writeNumberField("event_count", a.eventCount());
        g.writeEndObject();
    }

    private static void nullable(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    private static void time(JsonGenerator g, String name, Long micros) throws IOException {
        if (micros == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, Timestamps.format(micros));
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
