package dev.argus.service.ingest;

import dev.argus.service.core.*;
import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real full disk: the database on a 24 MB tmpfs, filled with batches of 8 KB events until the
 * disk refuses, then the tmpfs grown to 64 MB. Every 201 is stored, nothing of a 503 is, and
 * ingest resumes without a restart. Needs root to mount (CI runs as root); elsewhere it is skipped
 * with the reason in the test report.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TmpfsDiskFullIT {
    @TempDir
    Path dir;

    @Test
    void aFullDiskRefusesWholeRequestsAndIngestResumesWhenTheDiskGrows() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: mounting a tmpfs needs root, and this runs as " + System.getProperty("user.name"));
        Path mnt = Files.createDirectories(dir.resolve("tmpfs"));
        String mounted = run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mnt.toString());
        assumeTrue(mounted == null, () -> "skipped: cannot mount a tmpfs here: " + mounted);
        DropwizardAppExtension<ArgusConfiguration> app = null;
        try {
            app = TestServer.extensionOn(mnt.resolve("events.db").toString(),
                    // the guard would delete events long before this small disk fills: the full path is under test
                    ConfigOverride.config("retention.minFreeDiskMb", "0"),
                    ConfigOverride.config("limits.maxPayloadSizeKb", "16"),
                    ConfigOverride.config("limits.maxBatchSizeKb", "1024"));
            app.before();
            TestServer server = TestServer.of(app);
            IngestEngine engine = StorageChecks.engine(app);

            StorageChecks.Outcomes out = new StorageChecks.Outcomes();
            int refusedInARow = 0;
            int requests = 0;
            while (refusedInARow < 5 && requests < 400) {
                refusedInARow = out.post(server, "tmpfs", 50, 8000) == 503 ? refusedInARow + 1 : 0;
                requests++;
            }
            assertThat(refusedInARow).as("the 24 MB disk filled within %d batches", requests).isEqualTo(5);
            assertThat(out.unexpected).isEmpty();
            assertThat(out.acknowledged).hasSizeGreaterThan(500);
            assertThat(out.refusals).allSatisfy(body -> assertThat(TestServer.json(body).get("message").asText())
                    .startsWith("storage full: the disk holding the database (" + mnt + ") is full")
                    .endsWith("nothing of this request was stored"));
            JsonNode health = StorageChecks.databaseHealth(server);
            assertThat(health.get("healthy").asBoolean()).as(health.toString()).isFalse();

            assertThat(run("mount", "-o", "remount,size=64m", mnt.toString())).isNull();
            StorageChecks.Outcomes after = new StorageChecks.Outcomes();
            assertThat(after.post(server, "tmpfs", 50, 8000)).as(String.valueOf(after.refusals)).isEqualTo(201);
            assertThat(after.post(server, "tmpfs", 0, 100)).isEqualTo(201);
            health = StorageChecks.databaseHealth(server);
            assertThat(health.get("healthy").asBoolean()).as(health.toString()).isTrue();

            Map<String, String[]> stored = StorageChecks.stored(engine, out.acknowledged.keySet());
            assertThat(stored).as("every acknowledged event is stored").hasSize(out.acknowledged.size());
            out.acknowledged.forEach((uuid, id) -> assertThat(stored.get(uuid)[0]).isEqualTo(Long.toString(id)));
            assertThat(StorageChecks.stored(engine, out.refused)).as("nothing of a refused batch is stored").isEmpty();
            assertThat(StorageChecks.stored(engine, after.acknowledged.keySet())).hasSize(51);
        } finally {
            if (app != null) {
                app.after();
            }
            String unmounted = run("umount", mnt.toString());
            if (unmounted != null) {
                run("umount", "-l", mnt.toString());
            }
        }
    }

    /** Runs a command; null when it exited 0, else its exit status and output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        return p.exitValue() == 0 ? null : String.join(" ", command) + " exited " + p.exitValue() + ": " + output;
    }
}
