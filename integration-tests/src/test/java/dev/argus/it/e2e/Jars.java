package dev.argus.it.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The built jars the tests run. Other builds replace them now and then, so a moment's absence is
 * waited out (bounded) instead of failing the test.
 */
final class Jars {
    private Jars() {
    }

    static Path agent() throws InterruptedException {
        return await(property("argus.agent.jar", "../argus-javaagent/target/argus-agent.jar"));
    }

    static Path service() throws InterruptedException {
        return await(property("argus.service.jar", "../argus-service/target/argus-service.jar"));
    }

    private static Path property(String name, String fallback) {
        String prop = System.getProperty(name);
        return (prop != null ? Paths.get(prop) : Paths.get(fallback)).toAbsolutePath().normalize();
    }

    static Path await(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.isRegularFile(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not built: " + file);
            }
            Thread.sleep(500);
        }
        return file;
    }
}
