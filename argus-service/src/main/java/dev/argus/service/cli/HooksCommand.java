package dev.argus.service.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.config.ArgusPaths;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * {@code argus hooks install claude [--project DIR] [--mode http|command] [--print]}: hooks Claude
 * Code up to Argus (SPEC §12.4) by merging into its {@code settings.json}.
 */
final class HooksCommand extends Command {
    static final String SCRIPT_RESOURCE = "/dev/argus/service/agents/argus-hook";

    HooksCommand() {
        super("hooks", "Hook coding agents up to Argus (hooks install claude)");
    }

    @Override
    public void configure(Subparser subparser) {
        Subparsers actions = subparser.addSubparsers().dest("hooks_action").title("actions");
        Subparser install = actions.addParser("install").help("merge Argus's hooks into Claude Code's settings.json");
        install.addArgument("agent").choices("claude").help("the coding agent (claude)");
        install.addArgument("--project").metavar("DIR")
                .help("install into DIR/.claude/settings.json instead of ~/.claude/settings.json");
        install.addArgument("--mode").choices("http", "command").setDefault("http")
                .help("http: Claude Code posts to Argus itself (default); command: it runs the argus-hook script");
        install.addArgument("--url").metavar("URL")
                .help("the Argus server (default: $ARGUS_URL, else " + ClientSettings.DEFAULT_URL + ")");
        install.addArgument("--source").help("the events' source (default claude-code)");
        install.addArgument("--task").metavar("ID").help("a task id to attach every event to");
        install.addArgument("--print").action(Arguments.storeTrue()).help("print the merged settings; change nothing");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        run(ns, Path.of(System.getProperty("user.home")), System.getenv("ARGUS_URL"), ArgusPaths.dataDir(), out);
    }

    static void run(Namespace ns, Path home, String envUrl, Path dataDir, PrintStream out) throws IOException {
        String project = ns.getString("project");
        Path settings = (project == null ? home : Path.of(project)).resolve(".claude").resolve("settings.json")
                .toAbsolutePath().normalize();
        String url = ns.getString("url") != null ? ns.getString("url") : envUrl != null && !envUrl.isBlank() ? envUrl.strip()
                : ClientSettings.DEFAULT_URL;
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        boolean command = "command".equals(ns.getString("mode"));
        Path script = dataDir.resolve("bin").resolve("argus-hook");
        ObjectNode hook = command ? ClaudeHooksInstaller.commandHook(commandLine(script, url, ns))
                : ClaudeHooksInstaller.httpHook(url + "/hooks/claude" + query(ns));

        ClaudeHooksInstaller.Merge merge = ClaudeHooksInstaller.merge(ClaudeHooksInstaller.read(settings), hook,
                settings.toString());
        if (ns.getBoolean("print")) {
            out.print(merge.text() == null ? "" : merge.text());
            out.flush();
            return;
        }
        if (command) {
            installScript(script);
        }
        Path backup = ClaudeHooksInstaller.install(settings, hook, merge);
        if (!merge.changed()) {
            out.println("Argus's hooks are already installed in " + settings + "; nothing changed");
        } else {
            out.println("installed Argus's " + ns.getString("mode") + " hook for " + ClaudeHooksInstaller.EVENTS.size()
                    + " hook events into " + settings + (backup == null ? "" : " (backup: " + backup.getFileName() + ")"));
        }
        if (command) {
            out.println("hooks run " + script + " (curl); a payload the server misses is spooled and sent later");
        } else {
            out.println("Claude Code sends the key from $" + ClaudeHooksInstaller.KEY_ENV
                    + ": start it where that variable is set, e.g.  export " + ClaudeHooksInstaller.KEY_ENV
                    + "=$(cat ~/.config/argus/api-key)");
        }
        out.flush();
    }

    private static String query(Namespace ns) {
        StringBuilder q = new StringBuilder();
        append(q, "source", ns.getString("source"));
        append(q, "task_id", ns.getString("task"));
        return q.length() == 0 ? "" : "?" + q;
    }

    private static void append(StringBuilder q, String name, String value) {
        if (value != null) {
            q.append(q.length() == 0 ? "" : "&").append(name).append('=')
                    .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        }
    }

    /** The hook's command line: the script, {@code claude}, and the options it needs, shell-quoted. */
    static String commandLine(Path script, String url, Namespace ns) {
        StringBuilder c = new StringBuilder();
        if (!url.equals(ClientSettings.DEFAULT_URL)) {
            c.append("ARGUS_URL=").append(shellQuote(url)).append(' ');
        }
        c.append(shellQuote(script.toString())).append(" claude");
        if (ns.getString("source") != null) {
            c.append(" --source ").append(shellQuote(ns.getString("source")));
        }
        if (ns.getString("task") != null) {
            c.append(" --task ").append(shellQuote(ns.getString("task")));
        }
        return c.toString();
    }

    static String shellQuote(String s) {
        if (s.matches("[A-Za-z0-9_./:=@%+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Copies the bundled script to {@code script} (mode 0755) unless it is already there unchanged. */
    static void installScript(Path script) throws IOException {
        byte[] bytes;
        try (InputStream in = HooksCommand.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new CommandFailure("the argus-hook script is missing from this build (" + SCRIPT_RESOURCE + ")");
            }
            bytes = in.readAllBytes();
        }
        if (Files.isRegularFile(script) && Arrays.equals(Files.readAllBytes(script), bytes)) {
            return;
        }
        Files.createDirectories(script.getParent());
        Path tmp = script.resolveSibling(script.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: Claude Code runs it through the shell anyway
        }
        Files.move(tmp, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        err.println("argus hooks install: " + (e instanceof CommandFailure ? e.getMessage() : e.toString()));
        err.flush();
    }
}
