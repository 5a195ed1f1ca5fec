package dev.argus.service.cli;

import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.net.http.HttpResponse;

/** {@code argus status}: exit 0 when the server answers with the key accepted, 1 otherwise. */
final class StatusCommand extends ClientCommand {
    StatusCommand() {
        super("status", "Check that the server is running and accepts the key (exit 0), else exit 1");
    }

    @Override
    protected void addOptions(Subparser p) {
        p.addArgument("--quiet").action(Arguments.storeTrue()).help("print nothing; only the exit status tells");
    }

    @Override
    protected void run(Namespace ns, ArgusHttp http) {
        boolean quiet = ns.getBoolean("quiet");
        HttpResponse<String> r;
        try {
            r = http.get("/events?limit=1");
        } catch (CommandFailure f) {
            throw new CommandFailure(f.getMessage().replace("cannot reach Argus at", "Argus is not running at"), quiet);
        }
        int code = r.statusCode();
        String message;
        if (code == 200) {
            long newest = 0;
            try {
                newest = ArgusHttp.JSON.readTree(r.body()).path("events").path(0).path("id").asLong(0);
            } catch (Exception e) {
                throw new CommandFailure("Argus at " + http.url() + " answered 200 with an unexpected body", quiet);
            }
            message = "Argus is running at " + http.url() + " (newest event id " + newest + ")";
        } else if (code == 403) {
            message = "Argus is running at " + http.url() + " (the key is accepted but may not read events)";
        } else {
            throw new CommandFailure(http.describeError(r), quiet);
        }
        if (!quiet) {
            out.println(message);
        }
    }
}
