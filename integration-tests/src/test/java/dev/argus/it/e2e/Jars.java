package dev.argus.it.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarFile;

/**
 * The built jars the tests run. Other builds replace them now and then (a half-written jar would
 * fail a child JVM at start), so each is used through a private copy taken once the file is
 * complete: present, unchanged for a second, and readable as a jar with a manifest.
 */
final class Jars {
    private static Path agent;
    private static Path service;

    private Jars() {
    }

    /** A stable copy of {@code argus-agent.jar}. */
    static synchronized Path agent() throws InterruptedException {
        if (agent == null) {
            agent = stableCopy(property("argus.agent.jar", "../argus-javaagent/target/argus-agent.jar"));
        }
        return agent;
    }

    /** A stable copy of {@code argus-service.jar} (for the CLI commands). */
    static synchronized Path service() throws InterruptedException {
        if (service == null) {
            service = stableCopy(property("argus.service.jar", "../argus-service/target/argus-service.jar"));
        }
        return service;
    }

    private static Path property(String name, String fallback) {
        String prop = System.getProperty(name);
        return (prop != null ? Paths.get(prop) : Paths.get(fallback)).toAbsolutePath().normalize();
    }

    private static Path stableCopy(Path jar) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (true) {
            try {
                if (Files.isRegularFile(jar)) {
                    long size = Files.size(jar);
                    FileTime modified = Files.getLastModifiedTime(jar);
                    Thread.sleep(1000);
                    if (size == Files.size(jar) && modified.equals(Files.getLastModifiedTime(jar))) {
                        Path copy = Files.createTempFile("e2e-", "-" + jar.getFileName());
                        copy.toFile().deleteOnExit();
                        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
                        try (JarFile j = new JarFile(copy.toFile())) {
                            if (Files.size(copy) == size && j.getManifest() != null) {
                                return copy;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // being rewritten right now: try again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no complete jar at " + jar);
            }
            Thread.sleep(500);
        }
    }
}
