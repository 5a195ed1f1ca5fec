package dev.argus.service.cli;

import dev.argus.client.ArgusClientConfig;
import dev.argus.client.ArgusDiagnostics;
import dev.argus.client.SpoolFlush;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code argus spool flush DIR}: replays a spool directory an appender or the agent left behind
 * (its tool exited or was killed while the server was down) with argus-client's own replay code:
 * in order, a segment deleted only once the server acknowledged all of it, every line keeping its
 * uuid (so what the server already holds is stored once). It takes the spool's lock first and
 * sends nothing while a running client holds it.
 */
final class SpoolCommand extends ClientCommand {
    SpoolCommand() {
        super("spool", "Deliver events left in an appender's or the agent's spool directory (spool flush DIR)");
    }

    @Override
    protected void addOptions(Subparser p) {
        p.addArgument("action").choices("flush").help("flush: send the spooled events to the server, then delete them");
        p.addArgument("dir").metavar("DIR").help("the spool directory (the appender's spoolDir)");
        p.addArgument("--wait").metavar("SECONDS").type(Integer.class).setDefault(0)
                .help("keep retrying a server that fails for up to this long; 0 stops at the first failure");
        p.addArgument("--batch-size").dest("batch_size").type(Integer.class).setDefault(500)
                .help("events per request (1..1000)");
        p.addArgument("--quiet").action(Arguments.storeTrue()).help("print nothing; only the exit status tells");
    }

    @Override
    protected void run(Namespace ns, ArgusHttp http) {
        boolean quiet = ns.getBoolean("quiet");
        ClientSettings settings = ClientSettings.resolve(ns.getString("url"), ns.getString("key"), ns.getString("config"));
        Path dir = Path.of(ns.getString("dir")).toAbsolutePath().normalize();
        ArgusClientConfig config;
        try {
            config = ArgusClientConfig.builder().url(settings.url()).apiKey(settings.key()).spoolDir(dir)
                    .batchSize(ns.getInt("batch_size")).timeout(Duration.ofSeconds(30))
                    .connectTimeout(Duration.ofSeconds(5)).diagnostics(ArgusDiagnostics.silent()).build();
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("not a valid server URL: " + settings.url(), quiet);
        }
        SpoolFlush.Result r = SpoolFlush.flush(config, Duration.ofSeconds(Math.max(0, ns.getInt("wait"))));
        String counts = r.delivered() + " event(s) delivered"
                + (r.rejected() > 0 ? ", " + r.rejected() + " refused by the server as invalid and discarded" : "");
        switch (r.status()) {
            case FLUSHED -> {
                if (!quiet) {
                    out.println("spool " + dir + " flushed to " + settings.url() + ": " + counts);
                }
            }
            case LOCKED -> throw new CommandFailure(r.detail() + "; nothing sent", quiet);
            case UNAVAILABLE -> throw new CommandFailure(r.detail(), quiet);
            default -> throw new CommandFailure("stopped: " + r.detail() + " (" + counts + "; "
                    + r.remainingBytes() + " bytes still spooled, run it again later)", quiet);
        }
    }
}
