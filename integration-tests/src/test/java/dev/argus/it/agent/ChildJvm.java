package dev.argus.it.agent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs one of the sample applications in a child JVM, optionally with {@code -javaagent:}. */
final class ChildJvm {
    static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");

    /** Outcome of one run. */
    static final class Result {
        final int exitCode;
        final String stdout;
        final String stderr;
        final long pid;
        final long millis;

        Result(int exitCode, String stdout, String stderr, long pid, long millis) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            this.pid = pid;
            this.millis = millis;
        }

        /** stderr without the agent's own {@code [argus-agent]} lines. */
        String stderrWithoutAgent() {
            return stderr.lines().filter(l -> !l.startsWith("[argus-agent]")).collect(Collectors.joining("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " after " + millis + " ms\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final Path javaHome;
    private final List<String> jvmArgs = new ArrayList<>();
    private String agentArgs;
    private Path workDir;

    private ChildJvm(Path javaHome) {
        this.javaHome = javaHome;
    }

    static ChildJvm current() {
        return new ChildJvm(Paths.get(System.getProperty("java.home")));
    }

    static ChildJvm on(Path javaHome) {
        return new ChildJvm(javaHome);
    }

    static Path agentJar() {
        String prop = System.getProperty("argus.agent.jar");
        Path jar = prop != null ? Paths.get(prop) : Paths.get("../argus-javaagent/target/argus-agent.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agent jar not built: " + jar.toAbsolutePath());
        }
        return jar.toAbsolutePath().normalize();
    }

    /** Adds {@code -javaagent:argus-agent.jar=<args>}. */
    ChildJvm agent(String args) {
        this.agentArgs = args;
        return this;
    }

    ChildJvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    ChildJvm workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    /**
     * The test classes and the annotations jar only: the agent must bring everything else itself
     * (the full test class path would also hold an unshaded client and a second agent jar).
     */
    static synchronized String sampleClassPath() {
        if (sampleClasses == null) {
            sampleClasses = copySampleClasses();
        }
        return sampleClasses + File.pathSeparator + location(dev.argus.annotations.Observed.class);
    }

    private static Path sampleClasses;

    /**
     * A private copy of the sample applications' classes, so that a concurrent build recompiling
     * target/test-classes cannot pull them away from under a running test.
     */
    private static Path copySampleClasses() {
        try {
            Path from = Paths.get(location(com.acme.agentapp.SampleApp.class));
            Path to = Files.createTempDirectory("agent-it-classes");
            for (String dir : new String[] {"com/acme/agentapp", "io/opentelemetry/instrumentation/annotations"}) {
                Path target = Files.createDirectories(to.resolve(dir));
                try (var files = Files.list(from.resolve(dir))) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.copy(f, target.resolve(f.getFileName().toString()));
                    }
                }
            }
            return to;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String location(Class<?> type) {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Result run(String mainClass, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin").resolve("java").toString());
        cmd.add("-Xmx64m");
        cmd.addAll(jvmArgs);
        if (agentArgs != null) {
            cmd.add("-javaagent:" + agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        }
        cmd.add("-cp");
        cmd.add(sampleClassPath());
        cmd.add(mainClass);
        cmd.addAll(Arrays.asList(args));
        Path out = Files.createTempFile("child-out", ".txt");
        Path err = Files.createTempFile("child-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("ARGUS_"));
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("child JVM did not finish within 120 s: " + cmd
                        + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), p.pid(), millis);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
