package dev.argus.service.cli;

import dev.argus.service.ArgusConfiguration;
import io.dropwizard.core.setup.Bootstrap;

/** Adds the command-line commands of SPEC §8 beyond Dropwizard's own {@code server} and {@code check}. */
public final class Commands {
    private Commands() {
    }

    public static void addTo(Bootstrap<ArgusConfiguration> bootstrap) {
        bootstrap.addCommand(new ConfigCommand());
        bootstrap.addCommand(new QueryCommand());
        bootstrap.addCommand(new TailCommand());
        bootstrap.addCommand(new SendCommand());
        bootstrap.addCommand(new StatusCommand());
        bootstrap.addCommand(new SpoolCommand());
        bootstrap.addCommand(new HooksCommand());
        bootstrap.addCommand(new WorkstreamCommand());
        bootstrap.addCommand(new TaskCommand());
        bootstrap.addCommand(new UpdateCommand());
    }
}
