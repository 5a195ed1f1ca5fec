package dev.argus.it.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process whose stdout is read line by line as it is written (so a test can wait for a
 * line with a deadline) and whose stderr goes to a file for failure messages.
 */
final class ChildProcess implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final Path stderr;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ChildProcess(List<String> command, Process process, Path stderr) {
        this.command = command;
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::readStdout, "e2e-stdout-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code command} in {@code workDir} with the environment cleared of {@code ARGUS_*} and then {@code env} added. */
    static ChildProcess start(List<String> command, Map<String, String> env, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path err = Files.createTempFile(workDir, "stderr-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectError(ProcessBuilder.Redirect.to(err.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("ARGUS_"));
        pb.environment().putAll(env);
        return new ChildProcess(List.copyOf(command), pb.start(), err);
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process went away; what was read stays available
        }
    }

    /** Every stdout line read so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits until a stdout line matches; fails with the process's output when the deadline passes. */
    String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                Optional<String> hit = lines.stream().filter(match).findFirst();
                if (hit.isPresent()) {
                    return hit.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching stdout line within " + timeout + "\n" + describe());
                }
                if (!process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("process ended without a matching stdout line\n" + describe());
                }
                lines.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
            }
        }
    }

    /** Waits for the process to exit and returns its exit code; fails (and kills it) at the deadline. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            String text = describe();
            close();
            throw new AssertionError("process did not exit within " + timeout + "\n" + text);
        }
        reader.join(10_000);
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    String stderr() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    /** Command, stdout and stderr, for assertion messages. */
    String describe() {
        return "command: " + String.join(" ", command) + "\n--- stdout\n" + String.join("\n", lines())
                + "\n--- stderr\n" + stderr();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
