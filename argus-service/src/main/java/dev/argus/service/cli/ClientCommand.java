package dev.argus.service.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Argument;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command that talks to a running server. A plain {@link Command} (not a configured one), so
 * it starts no server logging: stdout carries only the command's output, failures are one line
 * on stderr and exit status 1 (Dropwizard exits 1 after {@link #onError}).
 */
abstract class ClientCommand extends Command {
    protected final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    protected final PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);

    protected ClientCommand(String name, String description) {
        super(name, description);
    }

    @Override
    public final void configure(Subparser subparser) {
        subparser.addArgument("--url").help("server URL (default: $ARGUS_URL, else the local config, else "
                + ClientSettings.DEFAULT_URL + ")");
        subparser.addArgument("--key").help("API key (default: $ARGUS_API_KEY, else the local config or key file)");
        subparser.addArgument("--config").metavar("FILE")
                .help("read the URL and key from this config file (default: ~/.config/argus/config.yml when present)");
        addOptions(subparser);
    }

    protected abstract void addOptions(Subparser subparser);

    protected abstract void run(Namespace namespace, ArgusHttp http) throws Exception;

    @Override
    public final void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        ClientSettings settings = ClientSettings.resolve(namespace.getString("url"), namespace.getString("key"),
                namespace.getString("config"));
        try {
            run(namespace, new ArgusHttp(settings));
        } finally {
            out.flush();
        }
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        out.flush();
        if (e instanceof CommandFailure f) {
            if (!f.quiet()) {
                err.println("argus " + getName() + ": " + f.getMessage());
            }
        } else {
            err.println("argus " + getName() + ": " + e);
        }
        err.flush();
    }

    /** Adds the filters shared by {@code query} and {@code tail} (the live filters of SPEC §4). */
    static void addFilters(Subparser p) {
        p.addArgument("--source").action(Arguments.append()).help("only this source (repeatable: any of)");
        p.addArgument("--event-type", "--type").dest("event_type").action(Arguments.append())
                .help("only this event type (repeatable)");
        p.addArgument("--level").action(Arguments.append()).help("only this level (repeatable)");
        p.addArgument("--min-level").dest("min_level").help("this level or more severe");
        p.addArgument("--session").dest("session_id").help("only this session id");
        p.addArgument("--tag").action(Arguments.append()).help("only events with this tag (repeatable: any of)");
        Argument q = p.addArgument("-q", "--search").dest("q");
        q.help("case-insensitive substring of the message");
    }

    static Map<String, Object> filters(Namespace ns) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String name : new String[] {"source", "event_type", "level", "min_level", "session_id", "tag", "q"}) {
            m.put(name, ns.get(name));
        }
        return m;
    }
}
