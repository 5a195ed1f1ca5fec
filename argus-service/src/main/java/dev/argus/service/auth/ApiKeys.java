package dev.argus.service.auth;

import dev.argus.service.core.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The accepted keys, held as SHA-256 digests and compared in constant time: every key is compared
 * on every call, and digests hide the length of the secret.
 */
public final class ApiKeys {
    /** An authenticated caller: the key's name (safe to log) and scopes. */
    public record Principal(String name, Set<Scope> scopes) {
    }

    private record Entry(byte[] digest, Principal principal) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public ApiKeys add(String key, String name, Set<Scope> scopes) {
        entries.add(new Entry(sha256(key), new Principal(name, Set.copyOf(scopes))));
        return this;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The principal of {@code presented}, or null when it matches no key. */
    public Principal authenticate(String presented) {
        if (presented == null) {
            return null;
        }
        byte[] digest = sha256(presented);
        Principal found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest, digest) && found == null) {
                found = e.principal;
            }
        }
        return found;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
