package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where and how events are stored: SQLite (WAL) at {@link #getPath()} by default, PostgreSQL when
 * {@link #getUrl()} is a {@code jdbc:postgresql:} URL (docs/postgres.md).
 */
public class DatabaseConfig {
    private String path;
    private String url;
    private String user;
    private String password;

    @NotNull
    @Pattern(regexp = "(?i)OFF|NORMAL|FULL|EXTRA", message = "must be OFF, NORMAL, FULL or EXTRA")
    private String synchronous = "FULL";

    @Min(1)
    @Max(64)
    private int readPoolSize = 8;

    @Min(1)
    private int maxPendingWrites = 100_000;

    @Min(1)
    private int writeTimeoutSeconds = 60;

    @Min(0)
    private long maxPageCount;

    /** SQLite file. Default {@code $ARGUS_HOME/events.db}, else {@code ~/.local/share/argus/events.db}. */
    @JsonProperty
    public String getPath() {
        return path;
    }

    @JsonProperty
    public void setPath(String path) {
        this.path = path;
    }

    /**
     * A {@code jdbc:postgresql://host:port/database} URL selects PostgreSQL (docs/postgres.md);
     * absent or blank = SQLite at {@link #getPath()}.
     */
    @JsonProperty
    public String getUrl() {
        return url;
    }

    @JsonProperty
    public void setUrl(String url) {
        this.url = url;
    }

    /** PostgreSQL user (e.g. {@code ${ARGUS_DB_USER}}). */
    @JsonProperty
    public String getUser() {
        return user;
    }

    @JsonProperty
    public void setUser(String user) {
        this.user = user;
    }

    /** PostgreSQL password (e.g. {@code ${ARGUS_DB_PASSWORD}}); never logged, never serialised back. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String getPassword() {
        return password;
    }

    @JsonProperty
    public void setPassword(String password) {
        this.password = password;
    }

    /**
     * Whether {@link #getUrl()} selects PostgreSQL. Not a property: without a config file Dropwizard
     * turns a default configuration into a tree and reads it back, and a derived value would be an
     * unknown field there.
     */
    @JsonIgnore
    public boolean isPostgres() {
        return url != null && url.strip().startsWith("jdbc:postgresql:");
    }

    /** SQLite {@code synchronous} pragma. Default {@code FULL}: a 2xx means the WAL was fsynced. */
    @JsonProperty
    public String getSynchronous() {
        return synchronous;
    }

    @JsonProperty
    public void setSynchronous(String synchronous) {
        this.synchronous = synchronous;
    }

    /** Read connections (queries never wait on the writer). Default 8. */
    @JsonProperty
    public int getReadPoolSize() {
        return readPoolSize;
    }

    @JsonProperty
    public void setReadPoolSize(int readPoolSize) {
        this.readPoolSize = readPoolSize;
    }

    /** Write requests that may wait for the writer before new ones get 503. Default 100000. */
    @JsonProperty
    public int getMaxPendingWrites() {
        return maxPendingWrites;
    }

    @JsonProperty
    public void setMaxPendingWrites(int maxPendingWrites) {
        this.maxPendingWrites = maxPendingWrites;
    }

    /**
     * Longest a write request waits for its commit before it is answered 503 (a last resort: the
     * writer normally answers within milliseconds). Default 60 seconds.
     */
    @JsonProperty
    public int getWriteTimeoutSeconds() {
        return writeTimeoutSeconds;
    }

    @JsonProperty
    public void setWriteTimeoutSeconds(int writeTimeoutSeconds) {
        this.writeTimeoutSeconds = writeTimeoutSeconds;
    }

    /**
     * Caps the database file at this many pages (SQLite {@code max_page_count}, 4 KB pages): at the
     * cap writes are refused with 503 "storage full" as on a full disk. Default 0, no cap. Mostly a
     * test knob for the full-disk path.
     */
    @JsonProperty
    public long getMaxPageCount() {
        return maxPageCount;
    }

    @JsonProperty
    public void setMaxPageCount(long maxPageCount) {
        this.maxPageCount = maxPageCount;
    }

    /** The database file this configuration resolves to. */
    public Path resolvePath() {
        if (path != null && !path.isBlank()) {
            return Paths.get(expandHome(path.strip())).toAbsolutePath();
        }
        return ArgusPaths.dataDir().resolve("events.db");
    }

    static String expandHome(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return System.getProperty("user.home") + p.substring(1);
        }
        return p;
    }
}
