package dev.argus.service.config;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The embedded default locations of SPEC §8. */
public final class ArgusPaths {
    private ArgusPaths() {
    }

    /** {@code $ARGUS_HOME}, else {@code ~/.local/share/argus}. */
    public static Path dataDir() {
        String home = System.getenv("ARGUS_HOME");
        if (home != null && !home.isBlank()) {
            return Paths.get(DatabaseConfig.expandHome(home.strip())).toAbsolutePath();
        }
        return Paths.get(System.getProperty("user.home"), ".local", "share", "argus");
    }

    /** {@code ~/.config/argus}: the generated key and {@code config init}'s default config. */
    public static Path configDir() {
        return Paths.get(System.getProperty("user.home"), ".config", "argus");
    }

    public static Path keyFile() {
        return configDir().resolve("api-key");
    }

    public static Path defaultConfigFile() {
        return configDir().resolve("config.yml");
    }
}
