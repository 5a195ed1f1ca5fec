package dev.argus.service.auth;

import dev.argus.service.core.Scope;
import dev.argus.service.config.ApiKeyConfig;
import dev.argus.service.config.ArgusPaths;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;

/**
 * Decides which keys the server accepts: the configured ones; else {@code ARGUS_API_KEY}; else the
 * key saved at {@code ~/.config/argus/api-key}; else a new key, saved there with mode 0600 and
 * printed once.
 */
public final class KeyBootstrap {
    private KeyBootstrap() {
    }

    public static ApiKeys resolve(List<ApiKeyConfig> configured, Path keyFile, PrintStream out) throws IOException {
        ApiKeys keys = new ApiKeys();
        for (ApiKeyConfig k : configured) {
            keys.add(k.getKey(), k.getName(), k.getScopes());
        }
        if (!keys.isEmpty()) {
            return keys;
        }
        String env = System.getenv("ARGUS_API_KEY");
        if (env != null && !env.isBlank()) {
            return keys.add(env.strip(), "ARGUS_API_KEY", EnumSet.allOf(Scope.class));
        }
        if (Files.isRegularFile(keyFile)) {
            String saved = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            if (!saved.isEmpty()) {
                return keys.add(saved, "local", EnumSet.allOf(Scope.class));
            }
        }
        String fresh = generate();
        writeSecret(keyFile, fresh + "\n");
        out.println("Argus: generated an API key and saved it to " + keyFile + " (mode 0600):");
        out.println();
        out.println("    " + fresh);
        out.println();
        out.println("Send it as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'. It is not printed again.");
        out.flush();
        return keys.add(fresh, "local", EnumSet.allOf(Scope.class));
    }

    public static ApiKeys resolve(List<ApiKeyConfig> configured) throws IOException {
        return resolve(configured, ArgusPaths.keyFile(), System.out);
    }

    /** 32 random bytes as 64 hex characters. */
    public static String generate() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return "argus_" + HexFormat.of().formatHex(b);
    }

    /** Writes a file that is readable by its owner only from the moment it exists. */
    public static void writeSecret(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("could not create " + tmp, e);
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
