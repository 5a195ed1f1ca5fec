package dev.argus.service.cli;

import dev.argus.service.auth.KeyBootstrap;
import dev.argus.service.config.ArgusPaths;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code argus config init [--force] [--path P]}: writes a commented config with a fresh key, mode 0600. */
final class ConfigCommand extends Command {
    private static final String ACTION = "config_action";

    ConfigCommand() {
        super("config", "Manage the configuration file (config init)");
    }

    @Override
    public void configure(Subparser subparser) {
        Subparsers actions = subparser.addSubparsers().dest(ACTION).title("actions");
        Subparser init = actions.addParser("init").help("write a commented config file with a new API key (mode 0600)");
        init.addArgument("--path").metavar("FILE")
                .help("where to write it (default: " + ArgusPaths.defaultConfigFile() + ")");
        init.addArgument("--force").action(Arguments.storeTrue()).help("overwrite an existing file");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String p = namespace.getString("path");
        Path path = (p == null ? ArgusPaths.defaultConfigFile() : Path.of(p)).toAbsolutePath();
        if (Files.exists(path) && !namespace.getBoolean("force")) {
            throw new CommandFailure(path + " already exists; pass --force to overwrite it");
        }
        if (Files.isDirectory(path)) {
            throw new CommandFailure(path + " is a directory");
        }
        KeyBootstrap.writeSecret(path, ConfigTemplate.render(KeyBootstrap.generate()));
        out.println("wrote " + path + " (mode 0600) with a new API key");
        out.println("start the server with:  java -jar argus-service.jar server " + path);
        out.flush();
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        err.println("argus config init: " + (e instanceof CommandFailure ? e.getMessage() : e.toString()));
        err.flush();
    }
}
