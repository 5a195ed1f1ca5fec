package dev.argus.service.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code argus workstream create NAME [--metadata JSON] | list [--include-archived] | update ID [--name --status --metadata]}. */
final class WorkstreamCommand extends MonitorCommand {
    WorkstreamCommand() {
        super("workstream", "Create, list and update workstreams (the Monitor API)");
    }

    WorkstreamCommand(PrintStream out, PrintStream err) {
        super("workstream", "Create, list and update workstreams (the Monitor API)", out, err);
    }

    @Override
    protected void addActions(Subparsers actions) {
        var create = connection(actions.addParser("create").help("create a workstream; prints it"));
        create.addArgument("name").metavar("NAME").help("the workstream's name (1-200 characters)");
        create.addArgument("--metadata").metavar("JSON").help("a JSON object stored with it");
        var list = connection(actions.addParser("list").help("list workstreams, oldest first"));
        list.addArgument("--include-archived").dest("include_archived").action(Arguments.storeTrue())
                .help("also list archived workstreams");
        var update = connection(actions.addParser("update").help("change a workstream; prints it"));
        update.addArgument("id").metavar("ID").help("the workstream's id");
        update.addArgument("--name").help("new name");
        update.addArgument("--status").help("active or archived");
        update.addArgument("--metadata").metavar("JSON").help("a JSON object replacing the metadata");
    }

    @Override
    protected HttpResponse<String> send(String action, Namespace ns, ArgusHttp http) {
        switch (action) {
            case "create" -> {
                ObjectNode body = object().put("name", ns.getString("name"));
                if (ns.getString("metadata") != null) {
                    body.set("metadata", jsonObject("metadata", ns.getString("metadata")));
                }
                return http.postJson("/api/workstreams", json(body));
            }
            case "list" -> {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("include_archived", Boolean.TRUE.equals(ns.getBoolean("include_archived")) ? "true" : null);
                return http.get("/api/workstreams" + ArgusHttp.query(q));
            }
            default -> {
                ObjectNode body = object();
                if (ns.getString("name") != null) {
                    body.put("name", ns.getString("name"));
                }
                String status = status(ns.getString("status"), "workstream", "active", "archived");
                if (status != null) {
                    body.put("status", status);
                }
                if (ns.getString("metadata") != null) {
                    body.set("metadata", jsonObject("metadata", ns.getString("metadata")));
                }
                return http.patchJson("/api/workstreams/" + segment(ns.getString("id")), json(body));
            }
        }
    }
}
