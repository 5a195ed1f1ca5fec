package dev.argus.it.cli;

import dev.argus.it.support.ArgusServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar argus-service.jar <command>} as a user would, with its own home folder and environment. */
final class Cli {
    private final Path home;
    private final Map<String, String> env;

    Cli(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    ProcessBuilder builder(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ArgusServer.javaBin(), "-Xmx256m", "-Duser.home=" + home,
                "-jar", ArgusServer.serviceJar().toString()));
        cmd.addAll(List.of(args));
        return environment(new ProcessBuilder(cmd));
    }

    ProcessBuilder environment(ProcessBuilder pb) {
        pb.environment().remove("ARGUS_URL");
        pb.environment().remove("ARGUS_API_KEY");
        pb.environment().remove("ARGUS_HOME");
        pb.environment().putAll(env);
        return pb;
    }

    Result run(String... args) {
        return run(builder(args));
    }

    static Result run(ProcessBuilder pb) {
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            StringBuilder err = new StringBuilder();
            Thread errReader = new Thread(() -> err.append(readAll(p.getErrorStream())));
            errReader.start();
            String out = readAll(p.getInputStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("command did not finish: " + pb.command());
            }
            errReader.join(10_000);
            return new Result(p.exitValue(), out, err.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A long-running command ({@code tail}) whose stdout lines arrive in a queue. */
    static final class Running implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuffer err = new StringBuffer();
        private final Thread errPump;

        Running(ProcessBuilder pb) throws IOException {
            process = pb.start();
            process.getOutputStream().close();
            Thread out = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            });
            out.setDaemon(true);
            out.start();
            errPump = new Thread(() -> err.append(readAll(process.getErrorStream())));
            errPump.setDaemon(true);
            errPump.start();
        }

        /** Everything the process wrote to stderr; call after it exited (waits for the reader to reach the end). */
        String stderr() throws InterruptedException {
            errPump.join(TimeUnit.SECONDS.toMillis(30));
            return err.toString();
        }

        /** The next stdout line, or fails after the timeout. */
        String next(long seconds) throws InterruptedException {
            String line = lines.poll(seconds, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no output within " + seconds + " s; stderr: " + err);
            }
            return line;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
