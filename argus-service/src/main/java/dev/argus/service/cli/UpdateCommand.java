package dev.argus.service.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.PrintStream;
import java.net.http.HttpResponse;

/** {@code argus update manual --task ID --message TEXT [--level --kind --tags a,b --data JSON]}. */
final class UpdateCommand extends MonitorCommand {
    UpdateCommand() {
        super("update", "Post an update to a task (the Monitor API)");
    }

    UpdateCommand(PrintStream out, PrintStream err) {
        super("update", "Post an update to a task (the Monitor API)", out, err);
    }

    @Override
    protected void addActions(Subparsers actions) {
        var manual = connection(actions.addParser("manual").help("post a manual update; prints it"));
        manual.addArgument("--task").metavar("ID").required(true).help("the task the update belongs to");
        manual.addArgument("--message").metavar("TEXT").required(true).help("what happened");
        manual.addArgument("--level").help("trace, debug, info, warn, error or fatal");
        manual.addArgument("--kind").help("the kind of update (default: update)");
        manual.addArgument("--tags").metavar("A,B").help("comma-separated tags");
        manual.addArgument("--data").metavar("JSON").help("a JSON object stored with the update");
    }

    @Override
    protected HttpResponse<String> send(String action, Namespace ns, ArgusHttp http) {
        ObjectNode body = object().put("task_id", ns.getString("task")).put("message", ns.getString("message"));
        if (ns.getString("level") != null) {
            body.put("level", ns.getString("level"));
        }
        if (ns.getString("kind") != null) {
            body.put("kind", ns.getString("kind"));
        }
        ArrayNode tags = body.putArray("tags");
        if (ns.getString("tags") != null) {
            for (String t : ns.getString("tags").split(",")) {
                if (!t.isBlank()) {
                    tags.add(t.strip());
                }
            }
        }
        if (ns.getString("data") != null) {
            body.set("data", jsonObject("data", ns.getString("data")));
        }
        return http.postJson("/api/updates/manual", json(body));
    }
}
