package dev.argus.service.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.work.WorkJson;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A Monitor CLI command ({@code argus workstream|task|update ACTION ...}, SPEC §13.4): each action
 * sends one {@code /api} request and prints the server's JSON answer, indented as Monitor's CLI
 * prints it. {@code --quiet} (or {@code --silent}) prints nothing and keeps only the exit status;
 * an error answer exits 1 with the server's message. The connection options sit on every action,
 * so that they may follow it ({@code argus task list --url ...}); {@code --server} and
 * {@code --token} are accepted as Monitor's names for {@code --url} and {@code --key}.
 */
abstract class MonitorCommand extends Command {
    static final String ACTION = "monitor_action";

    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    protected final PrintStream out;
    protected final PrintStream err;

    protected MonitorCommand(String name, String description, PrintStream out, PrintStream err) {
        super(name, description);
        this.out = out;
        this.err = err;
    }

    protected MonitorCommand(String name, String description) {
        this(name, description, new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8));
    }

    @Override
    public final void configure(Subparser subparser) {
        addActions(subparser.addSubparsers().dest(ACTION).title("actions"));
    }

    /** Adds each action's parser; every one must get {@link #connection(Subparser)}. */
    protected abstract void addActions(Subparsers actions);

    /** Sends the action's request and returns the (2xx) answer. */
    protected abstract HttpResponse<String> send(String action, Namespace ns, ArgusHttp http) throws Exception;

    /** The options every action takes: where to connect, with which key, and {@code --quiet}. */
    static Subparser connection(Subparser p) {
        p.addArgument("--url", "--server").dest("url")
                .help("server URL (default: $ARGUS_URL, else the local config, else " + ClientSettings.DEFAULT_URL + ")");
        p.addArgument("--key", "--token").dest("key")
                .help("API key (default: $ARGUS_API_KEY, else the local config or key file)");
        p.addArgument("--config").metavar("FILE")
                .help("read the URL and key from this config file (default: ~/.config/argus/config.yml when present)");
        p.addArgument("--quiet", "--silent").dest("quiet").action(Arguments.storeTrue())
                .help("print nothing; only the exit status tells");
        return p;
    }

    @Override
    public final void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
        boolean quiet = Boolean.TRUE.equals(ns.getBoolean("quiet"));
        try {
            ClientSettings settings = ClientSettings.resolve(ns.getString("url"), ns.getString("key"), ns.getString("config"));
            ArgusHttp http = new ArgusHttp(settings);
            HttpResponse<String> r = http.require2xx(send(ns.getString(ACTION), ns, http));
            if (!quiet) {
                out.println(pretty(r.body()));
            }
        } catch (CommandFailure f) {
            throw new CommandFailure(f.getMessage(), quiet);
        } finally {
            out.flush();
        }
    }

    @Override
    public void onError(Cli cli, Namespace ns, Throwable e) {
        out.flush();
        String action = ns == null ? null : ns.getString(ACTION);
        String name = "argus " + getName() + (action == null ? "" : " " + action);
        if (e instanceof CommandFailure f) {
            if (!f.quiet()) {
                err.println(name + ": " + f.getMessage());
            }
        } else if (ns == null || !Boolean.TRUE.equals(ns.getBoolean("quiet"))) {
            err.println(name + ": " + e);
        }
        err.flush();
    }

    /** The answer indented two spaces per level, numbers digit for digit; a non-JSON answer as it came. */
    static String pretty(String body) {
        try {
            JsonNode node = WorkJson.MAPPER.readTree(body);
            return node == null ? body : WorkJson.MAPPER.writer(PRETTY).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return body;
        }
    }

    /** {@code --metadata}/{@code --data}: a JSON object, checked before anything is sent. */
    static JsonNode jsonObject(String option, String text) {
        JsonNode node;
        try {
            node = WorkJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CommandFailure("invalid JSON for --" + option + ": " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new CommandFailure("--" + option + " must be a JSON object, e.g. '{\"k\":\"v\"}'");
        }
        return node;
    }

    static ObjectNode object() {
        return WorkJson.MAPPER.createObjectNode();
    }

    static String json(JsonNode node) {
        return WorkJson.write(node);
    }

    /** A status option checked against the allowed values, as Monitor's CLI checks it. */
    static String status(String value, String what, String... allowed) {
        if (value == null) {
            return null;
        }
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new CommandFailure("invalid " + what + " status '" + value + "': expected " + String.join(", ", allowed));
    }

    /** A path segment for an id typed by the user. */
    static String segment(String id) {
        return java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
