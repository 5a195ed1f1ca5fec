package dev.argus.service.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The case rule of {@code q}: context-free, and the dashboard's {@code foldText} agrees with it. */
class TextFoldTest {

    @Test
    void foldsCaseBeyondAsciiWithoutContext() {
        assertThat(TextFold.fold("Café")).isEqualTo(TextFold.fold("CAFÉ"));
        assertThat(TextFold.fold("straße")).isEqualTo(TextFold.fold("STRASSE"));
        assertThat(TextFold.fold("ΟΔΟΣ")).isEqualTo(TextFold.fold("οδος")).isEqualTo(TextFold.fold("οδοσ"));
        assertThat(TextFold.fold("ΟΔΟΣ")).contains(TextFold.fold("σ"));
        assertThat(TextFold.fold("İstanbul")).doesNotContain(TextFold.fold("i"));
        assertThat(TextFold.fold("50%_off \\ ' ! ? :")).isEqualTo("50%_OFF \\ ' ! ? :");
    }

    /**
     * Every code point folded by the dashboard's JavaScript (Node) and by Java: the same result,
     * except for letters newer than the JDK's Unicode version.
     */
    @Test
    void theDashboardFoldsEveryCharacterAsTheServerDoes(@TempDir Path dir) throws Exception {
        assumeTrue(nodeAvailable(), "node is not installed");
        Path filters = dir.resolve("filters.mjs");
        try (InputStream in = TextFoldTest.class.getClassLoader().getResourceAsStream("assets/js/filters.js")) {
            assertThat(in).as("argus-web on the class path").isNotNull();
            Files.write(filters, in.readAllBytes());
        }
        Path script = dir.resolve("fold.mjs");
        Files.writeString(script, """
                import { foldText } from './filters.mjs';
                const out = [];
                for (let cp = 0; cp <= 0x10FFFF; cp++) {
                  if (cp >= 0xD800 && cp <= 0xDFFF) continue;
                  const c = String.fromCodePoint(cp);
                  const f = foldText(c);
                  if (f !== c) out.push(cp.toString(16) + ' ' + [...f].map(x => x.codePointAt(0).toString(16)).join(','));
                }
                console.log(out.join('\\n'));
                """);
        Process p = new ProcessBuilder("node", script.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        Map<Integer, String> js = new TreeMap<>();
        for (String line : output.strip().split("\n")) {
            String[] parts = line.split(" ");
            js.put(Integer.parseInt(parts[0], 16), parts[1]);
        }
        List<String> differences = new ArrayList<>();
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            String c = new String(Character.toChars(cp));
            String f = TextFold.fold(c);
            String java = f.equals(c) ? null : String.join(",", f.codePoints().mapToObj(Integer::toHexString).toList());
            String fromJs = js.get(cp);
            // Only characters (and mapping targets) that the JDK's Unicode version knows.
            boolean known = Character.isDefined(cp)
                    && (fromJs == null || Character.isDefined(Integer.parseInt(fromJs.split(",")[0], 16)));
            if (known && !Objects.equals(java, fromJs)) {
                differences.add(Integer.toHexString(cp) + ": java " + java + ", js " + fromJs);
            }
        }
        assertThat(js.size()).as("characters the dashboard folds").isGreaterThan(1000);
        assertThat(differences).isEmpty();
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
