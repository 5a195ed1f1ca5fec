package dev.argus.service.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code argus task create NAME --workstream ID [--metadata] | list [--workstream --status] |
 * update ID [--name --status --summary --summary-source --hidden true|false --metadata]}.
 */
final class TaskCommand extends MonitorCommand {
    private static final String[] STATUSES = {"active", "blocked", "done", "cancelled"};

    TaskCommand() {
        super("task", "Create, list and update tasks (the Monitor API)");
    }

    TaskCommand(PrintStream out, PrintStream err) {
        super("task", "Create, list and update tasks (the Monitor API)", out, err);
    }

    @Override
    protected void addActions(Subparsers actions) {
        var create = connection(actions.addParser("create").help("create a task in a workstream; prints it"));
        create.addArgument("name").metavar("NAME").help("the task's name (1-200 characters)");
        create.addArgument("--workstream").metavar("ID").required(true).help("the workstream it belongs to");
        create.addArgument("--metadata").metavar("JSON").help("a JSON object stored with it");
        var list = connection(actions.addParser("list").help("list tasks, oldest first (hidden ones left out)"));
        list.addArgument("--workstream").metavar("ID").help("only this workstream's tasks");
        list.addArgument("--status").help("only tasks with this status: active, blocked, done or cancelled");
        var update = connection(actions.addParser("update").help("change a task; prints it"));
        update.addArgument("id").metavar("ID").help("the task's id");
        update.addArgument("--name").help("new name");
        update.addArgument("--status").help("active, blocked, done or cancelled");
        update.addArgument("--summary").help("new summary text (also stamps summary_updated_at)");
        update.addArgument("--summary-source").dest("summary_source").help("who wrote the summary (default manual)");
        update.addArgument("--hidden").choices("true", "false").help("hide the task from lists, or show it again");
        update.addArgument("--metadata").metavar("JSON").help("a JSON object replacing the metadata");
    }

    @Override
    protected HttpResponse<String> send(String action, Namespace ns, ArgusHttp http) {
        switch (action) {
            case "create" -> {
                ObjectNode body = object().put("workstream_id", ns.getString("workstream")).put("name", ns.getString("name"));
                if (ns.getString("metadata") != null) {
                    body.set("metadata", jsonObject("metadata", ns.getString("metadata")));
                }
                return http.postJson("/api/tasks", json(body));
            }
            case "list" -> {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("workstream_id", ns.getString("workstream"));
                q.put("status", status(ns.getString("status"), "task", STATUSES));
                return http.get("/api/tasks" + ArgusHttp.query(q));
            }
            default -> {
                ObjectNode body = object();
                if (ns.getString("name") != null) {
                    body.put("name", ns.getString("name"));
                }
                String status = status(ns.getString("status"), "task", STATUSES);
                if (status != null) {
                    body.put("status", status);
                }
                if (ns.getString("summary") != null) {
                    body.put("summary_text", ns.getString("summary"));
                }
                if (ns.getString("summary_source") != null) {
                    body.put("summary_source", ns.getString("summary_source"));
                }
                if (ns.getString("hidden") != null) {
                    body.put("hidden", Boolean.parseBoolean(ns.getString("hidden")));
                }
                if (ns.getString("metadata") != null) {
                    body.set("metadata", jsonObject("metadata", ns.getString("metadata")));
                }
                return http.patchJson("/api/tasks/" + segment(ns.getString("id")), json(body));
            }
        }
    }
}
