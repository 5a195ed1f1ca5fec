package dev.argus.it.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigInitCommandIT {
    private static final Pattern KEY = Pattern.compile("key: \"(argus_[0-9a-f]{64})\"");

    @TempDir
    Path dir;

    private static String key(Path file) throws Exception {
        Matcher m = KEY.matcher(Files.readString(file));
        assertThat(m.find()).as("a generated key in " + file).isTrue();
        return m.group(1);
    }

    @Test
    void writesACommentedConfigWithAFreshKeyReadableOnlyByItsOwner() throws Exception {
        Cli cli = new Cli(dir.resolve("home"), Map.of());
        Cli.Result r = cli.run("config", "init");

        Path file = dir.resolve("home/.config/argus/config.yml");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + file + " (mode 0600)");
        assertThat(r.err()).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text).contains("# --- Retention", "retention:", "apiKeys:", "${ARGUS_PORT:-8765}");
        key(file);

        // The written file is a valid configuration for the server.
        Cli.Result check = cli.run("check", file.toString());
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
    }

    @Test
    void refusesToOverwriteWithoutForceAndReplacesTheKeyWithForce() throws Exception {
        Cli cli = new Cli(dir.resolve("home"), Map.of());
        Path file = dir.resolve("sub/argus.yml");
        assertThat(cli.run("config", "init", "--path", file.toString()).exit()).isZero();
        String first = key(file);

        Cli.Result again = cli.run("config", "init", "--path", file.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.out()).isEmpty();
        assertThat(again.err().strip()).isEqualTo("argus config init: " + file + " already exists; pass --force to overwrite it");
        assertThat(key(file)).isEqualTo(first);

        Cli.Result forced = cli.run("config", "init", "--path", file.toString(), "--force");
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(key(file)).isNotEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void anUnknownOptionPrintsUsageAndExitsOne() {
        Cli.Result r = new Cli(dir.resolve("home"), Map.of()).run("config", "init", "--nope");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("unrecognized arguments: '--nope'", "usage:");
    }
}
