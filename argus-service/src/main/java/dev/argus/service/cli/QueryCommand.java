package dev.argus.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code argus query}: stored events as an aligned table, or their raw JSON with {@code --json}. */
final class QueryCommand extends ClientCommand {
    QueryCommand() {
        super("query", "Query stored events (GET /events) and print a table or JSON");
    }

    @Override
    protected void addOptions(Subparser p) {
        addFilters(p);
        p.addArgument("--since").help("events at or after this time (ISO-8601, e.g. 2026-01-31T08:00:00Z)");
        p.addArgument("--until").help("events at or before this time (ISO-8601)");
        p.addArgument("--after-id").dest("after_id").type(Long.class).help("only ids greater than this");
        p.addArgument("--before-id").dest("before_id").type(Long.class).help("only ids smaller than this (paging)");
        p.addArgument("--limit").type(Integer.class).help("most events to print (server default 100, max 1000)");
        p.addArgument("--order").choices("asc", "desc").help("desc: newest first (default); asc: oldest first");
        p.addArgument("--json").action(Arguments.storeTrue())
                .help("print each event's JSON exactly as the server sent it, one per line");
    }

    @Override
    protected void run(Namespace ns, ArgusHttp http) throws Exception {
        Map<String, Object> params = filters(ns);
        for (String name : new String[] {"since", "until", "after_id", "before_id", "limit", "order"}) {
            params.put(name, ns.get(name));
        }
        HttpResponse<String> r = http.require2xx(http.get("/events" + ArgusHttp.query(params)));
        if (ns.getBoolean("json")) {
            for (String raw : EventFormat.rawElements(r.body(), "events")) {
                out.println(raw);
            }
            return;
        }
        JsonNode page = ArgusHttp.JSON.readTree(r.body());
        List<JsonNode> events = new ArrayList<>();
        page.path("events").forEach(events::add);
        if (events.isEmpty()) {
            err.println("no events match");
            return;
        }
        EventFormat.table(events).forEach(out::println);
        JsonNode next = page.get("next_before_id");
        JsonNode after = page.get("next_after_id");
        if (next != null && !next.isNull()) {
            err.println("more events: add --before-id " + next.asLong());
        } else if (after != null && !after.isNull()) {
            err.println("more events: add --after-id " + after.asLong());
        }
    }
}
