package dev.argus.service.github;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Checks {@code X-Hub-Signature-256: sha256=<hex>}, the HMAC-SHA256 of the raw request body keyed
 * with the webhook secret (SPEC §14). The comparison is constant-time over the digest bytes. It
 * fails closed: without a secret every signature is invalid, and a missing, malformed or
 * {@code sha1=} header is invalid.
 */
public final class GithubSignature {
    private static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int DIGEST_BYTES = 32;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final SecretKeySpec key;

    /** @param secret {@code github.webhookSecret}; null or empty means none is configured */
    public GithubSignature(String secret) {
        this.key = secret == null || secret.isEmpty()
                ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** Whether a secret is configured; without one {@link #verify} always answers false. */
    public boolean isConfigured() {
        return key != null;
    }

    /** Whether {@code header} is the signature of the whole of {@code body}. */
    public boolean verify(String header, byte[] body) {
        return body != null && verify(header, body, 0, body.length);
    }

    /** Whether {@code header} is the signature of {@code body[offset, offset+length)}. */
    public boolean verify(String header, byte[] body, int offset, int length) {
        if (key == null || header == null || body == null) {
            return false;
        }
        byte[] given = decode(header.strip());
        if (given == null) {
            return false;
        }
        byte[] expected = hmac(key, body, offset, length);
        return MessageDigest.isEqual(expected, given);
    }

    /** The header value GitHub would send for {@code body} signed with {@code secret}: {@code sha256=<lower-case hex>}. */
    public static String sign(String secret, byte[] body) {
        byte[] mac = hmac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM), body, 0, body.length);
        StringBuilder sb = new StringBuilder(PREFIX.length() + 2 * mac.length).append(PREFIX);
        for (byte b : mac) {
            sb.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
        return sb.toString();
    }

    /** The 32 digest bytes of {@code sha256=<64 hex digits>}, or null when the header is anything else. */
    private static byte[] decode(String header) {
        if (!header.startsWith(PREFIX) || header.length() != PREFIX.length() + 2 * DIGEST_BYTES) {
            return null;
        }
        byte[] out = new byte[DIGEST_BYTES];
        for (int i = 0; i < DIGEST_BYTES; i++) {
            int hi = hexValue(header.charAt(PREFIX.length() + 2 * i));
            int lo = hexValue(header.charAt(PREFIX.length() + 2 * i + 1));
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** ASCII hex digits only ({@link Character#digit} would also take other scripts' digits). */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static byte[] hmac(SecretKeySpec key, byte[] body, int offset, int length) {
        try {
            // A Mac is not thread-safe and costs little to make next to hashing a delivery.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(body, offset, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
