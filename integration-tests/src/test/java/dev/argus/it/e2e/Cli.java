package dev.argus.it.e2e;

import dev.argus.it.support.ArgusServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs {@code java -jar argus-service.jar <command> --url .. --key ..} as a user would from a shell. */
final class Cli {
    private Cli() {
    }

    /** Starts {@code command} (e.g. {@code query}) against {@code server} with {@code args}. */
    static ChildProcess start(ArgusServer server, Path workDir, String command, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ArgusServer.javaBin());
        cmd.add("-Xmx128m");
        cmd.add("-XX:TieredStopAtLevel=1");
        // a private home: the client commands must not find a developer's real config or key file
        cmd.add("-Duser.home=" + workDir.resolve("home"));
        cmd.add("-jar");
        cmd.add(Jars.service().toString());
        cmd.add(command);
        cmd.add("--url");
        cmd.add(server.url());
        cmd.add("--key");
        cmd.add(server.apiKey());
        cmd.addAll(Arrays.asList(args));
        return ChildProcess.start(cmd, Map.of(), workDir);
    }
}
