package dev.argus.service.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.net.http.HttpResponse;
import java.util.List;

/** {@code argus send}: posts one event, for shell hooks; {@code --quiet} leaves only the exit status. */
final class SendCommand extends ClientCommand {
    SendCommand() {
        super("send", "Send one event (POST /events)");
    }

    @Override
    protected void addOptions(Subparser p) {
        p.addArgument("--source").required(true).help("the tool sending the event");
        p.addArgument("--type", "--event-type").dest("event_type").required(true).help("the event type");
        p.addArgument("--message", "-m").help("the message");
        p.addArgument("--level").help("trace, debug, info, warn, error or fatal");
        p.addArgument("--data").metavar("JSON").help("a JSON object, e.g. '{\"exit\":0}'");
        p.addArgument("--tag").action(Arguments.append()).help("a tag (repeatable)");
        p.addArgument("--session").dest("session_id").help("a session / correlation id");
        p.addArgument("--timestamp").help("the event's time (ISO-8601); default: now on the server");
        p.addArgument("--uuid").help("idempotency key: a repeat with the same uuid is stored once");
        p.addArgument("--quiet").action(Arguments.storeTrue()).help("print nothing; only the exit status tells");
    }

    @Override
    protected void run(Namespace ns, ArgusHttp http) throws Exception {
        boolean quiet = ns.getBoolean("quiet");
        try {
            String body = body(ns);
            HttpResponse<String> r = http.require2xx(http.postJson("/events", body));
            JsonNode answer = ArgusHttp.JSON.readTree(r.body());
            if (!quiet) {
                boolean dup = "duplicate".equals(answer.path("status").asText());
                out.println((dup ? "duplicate of event " : "captured event ") + answer.path("event_id").asLong());
            }
        } catch (CommandFailure f) {
            throw new CommandFailure(f.getMessage(), quiet);
        }
    }

    /** The event JSON; {@code --data} is checked to be an object and then embedded as typed, digit for digit. */
    static String body(Namespace ns) throws JsonProcessingException {
        StringBuilder sb = new StringBuilder("{");
        field(sb, "source", ns.getString("source"));
        field(sb, "event_type", ns.getString("event_type"));
        field(sb, "message", ns.getString("message"));
        field(sb, "level", ns.getString("level"));
        field(sb, "session_id", ns.getString("session_id"));
        field(sb, "timestamp", ns.getString("timestamp"));
        field(sb, "uuid", ns.getString("uuid"));
        List<String> tags = ns.getList("tag");
        if (tags != null) {
            sb.append(",\"tags\":").append(ArgusHttp.JSON.writeValueAsString(tags));
        }
        String data = ns.getString("data");
        if (data != null) {
            JsonNode parsed;
            try {
                parsed = ArgusHttp.JSON.readTree(data);
            } catch (JsonProcessingException e) {
                throw new CommandFailure("--data is not valid JSON: " + e.getOriginalMessage());
            }
            if (parsed == null || !parsed.isObject()) {
                throw new CommandFailure("--data must be a JSON object, e.g. '{\"exit\":0}'");
            }
            sb.append(",\"data\":").append(data.strip());
        }
        return sb.append('}').toString();
    }

    private static void field(StringBuilder sb, String name, String value) throws JsonProcessingException {
        if (value == null) {
            return;
        }
        if (sb.length() > 1) {
            sb.append(',');
        }
        sb.append('"').append(name).append("\":").append(ArgusHttp.JSON.writeValueAsString(value));
    }
}
