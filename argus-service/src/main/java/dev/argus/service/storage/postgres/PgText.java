package dev.argus.service.storage.postgres;

import dev.argus.service.core.AgentFields;
import dev.argus.service.core.NewEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL {@code text} cannot hold U+0000, which SPEC §2 allows in a message, a tag, a
 * {@code session_id} or a {@code uuid}. Such an event is stored with each U+0000 replaced by U+FFFD
 * (the replacement character), and the same replaced event is what live streams carry, so a stream
 * and a later query agree. Without this the database would refuse the statement, and with it the
 * whole group commit: every request sharing the commit would be answered 503 because of one event.
 * ({@code data} and the stored tags JSON are JSON text, where U+0000 is always escaped.)
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
}
