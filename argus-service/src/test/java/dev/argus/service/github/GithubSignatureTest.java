package dev.argus.service.github;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class GithubSignatureTest {
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    @Test
    void matchesGitHubsPublishedExample() {
        // The example from GitHub's "Validating webhook deliveries" page.
        assertThat(GithubSignature.sign(SECRET, BODY))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        assertThat(new GithubSignature(SECRET).verify(
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", BODY)).isTrue();
    }

    @Test
    void acceptsUpperCaseHexAndSurroundingSpace() {
        String sig = GithubSignature.sign(SECRET, BODY);
        String upper = "sha256=" + sig.substring(7).toUpperCase(Locale.ROOT);
        assertThat(new GithubSignature(SECRET).verify(" " + upper + " ", BODY)).isTrue();
    }

    @Test
    void rejectsASignatureOverADifferentBody() {
        String sig = GithubSignature.sign(SECRET, "{\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(new GithubSignature(SECRET).verify(sig, "{\"action\":\"closed\"}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
    }

    @Test
    void rejectsASignatureMadeWithAnotherSecret() {
        assertThat(new GithubSignature(SECRET).verify(GithubSignature.sign("another secret", BODY), BODY)).isFalse();
    }

    @Test
    void rejectsMissingMalformedAndSha1Headers() {
        GithubSignature s = new GithubSignature(SECRET);
        String good = GithubSignature.sign(SECRET, BODY);
        assertThat(s.verify(null, BODY)).isFalse();
        assertThat(s.verify("", BODY)).isFalse();
        assertThat(s.verify(good.substring(7), BODY)).as("hex without prefix").isFalse();
        assertThat(s.verify("SHA256=" + good.substring(7), BODY)).isFalse();
        assertThat(s.verify(good.substring(0, good.length() - 2), BODY)).as("truncated").isFalse();
        assertThat(s.verify(good + "00", BODY)).as("too long").isFalse();
        assertThat(s.verify(good.substring(0, good.length() - 1) + "g", BODY)).as("not hex").isFalse();
        assertThat(s.verify(good.substring(0, good.length() - 1) + "\u0663", BODY)).as("non-ASCII digit").isFalse();
        assertThat(s.verify("sha1=0a4d55a8d778e5022fab701977c5d840bbc486d0", BODY)).isFalse();
    }

    @Test
    void failsClosedWithoutASecret() {
        String sig = GithubSignature.sign("x", BODY);
        assertThat(new GithubSignature(null).isConfigured()).isFalse();
        assertThat(new GithubSignature(null).verify(sig, BODY)).isFalse();
        assertThat(new GithubSignature("").verify(sig, BODY)).isFalse();
        assertThat(new GithubSignature(SECRET).isConfigured()).isTrue();
    }

    @Test
    void verifiesASliceOfABuffer() {
        byte[] buffer = new byte[BODY.length + 10];
        System.arraycopy(BODY, 0, buffer, 5, BODY.length);
        GithubSignature s = new GithubSignature(SECRET);
        String sig = GithubSignature.sign(SECRET, BODY);
        assertThat(s.verify(sig, buffer, 5, BODY.length)).isTrue();
        assertThat(s.verify(sig, buffer, 0, BODY.length)).isFalse();
    }
}
