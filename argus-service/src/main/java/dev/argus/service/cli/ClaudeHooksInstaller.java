package dev.argus.service.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;

/**
 * Merges Argus's hook into a Claude Code {@code settings.json} for every hook event (SPEC §12.4):
 * every other setting and hook is kept in its order, an Argus hook already there is updated in
 * place, a second run changes nothing (the file is not even rewritten), and the original is
 * copied to a timestamped backup before the file is replaced.
 */
final class ClaudeHooksInstaller {
    /** The hook events Argus listens to. */
    static final List<String> EVENTS = List.of("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse",
            "PostToolUseFailure", "Notification", "Stop", "SubagentStart", "SubagentStop", "PreCompact", "SessionEnd");
    /** The environment variable the http hook's key header reads; its value is never written. */
    static final String KEY_ENV = "ARGUS_API_KEY";
    /** Seconds Claude Code waits for one hook before it goes on without it. */
    static final int HOOK_TIMEOUT_SECONDS = 5;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The outcome of a merge: the new text, and whether it differs from what the file holds. */
    record Merge(String text, boolean changed) {
    }

    private ClaudeHooksInstaller() {
    }

    /** {@code {"type":"http","url":URL,"headers":{"X-API-Key":"$ARGUS_API_KEY"},"allowedEnvVars":["ARGUS_API_KEY"],"timeout":5}}. */
    static ObjectNode httpHook(String url) {
        ObjectNode h = JSON.createObjectNode();
        h.put("type", "http");
        h.put("url", url);
        h.putObject("headers").put("X-API-Key", "$" + KEY_ENV);
        h.putArray("allowedEnvVars").add(KEY_ENV);
        h.put("timeout", HOOK_TIMEOUT_SECONDS);
        return h;
    }

    /** {@code {"type":"command","command":COMMAND,"timeout":5}}. */
    static ObjectNode commandHook(String command) {
        ObjectNode h = JSON.createObjectNode();
        h.put("type", "command");
        h.put("command", command);
        h.put("timeout", HOOK_TIMEOUT_SECONDS);
        return h;
    }

    /** Whether a hook entry is one Argus installed (either mode). */
    static boolean isArgus(JsonNode hook) {
        String type = hook.path("type").asText("");
        if (type.equals("http")) {
            return hook.path("url").asText("").contains("/hooks/claude");
        }
        if (type.equals("command")) {
            String c = hook.path("command").asText("");
            return c.contains("argus-hook") || c.contains("argus hook claude");
        }
        return false;
    }

    /**
     * Merges {@code hook} into {@code existing} (the file's text; null or blank for none).
     *
     * @throws CommandFailure when the text is not a JSON object, or {@code hooks} has an unexpected shape
     */
    static Merge merge(String existing, ObjectNode hook, String where) {
        ObjectNode root;
        JsonNode before = null;
        if (existing == null || existing.isBlank()) {
            root = JSON.createObjectNode();
        } else {
            try {
                before = JSON.readTree(existing);
            } catch (JsonProcessingException e) {
                throw new CommandFailure(where + " is not valid JSON (" + e.getOriginalMessage() + " at line "
                        + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                        + "); fix it or move it away, nothing was changed");
            }
            if (before == null || !before.isObject()) {
                throw new CommandFailure(where + " must hold a JSON object; nothing was changed");
            }
            root = (ObjectNode) before.deepCopy();
        }
        JsonNode hooksNode = root.get("hooks");
        if (hooksNode != null && !hooksNode.isObject()) {
            throw new CommandFailure(where + ": \"hooks\" must be an object; nothing was changed");
        }
        ObjectNode hooks = hooksNode == null ? root.putObject("hooks") : (ObjectNode) hooksNode;
        for (String event : EVENTS) {
            JsonNode groupsNode = hooks.get(event);
            if (groupsNode != null && !groupsNode.isArray()) {
                throw new CommandFailure(where + ": \"hooks." + event + "\" must be an array; nothing was changed");
            }
            ArrayNode groups = groupsNode == null ? hooks.putArray(event) : (ArrayNode) groupsNode;
            mergeEvent(groups, hook);
        }
        boolean changed = before == null || !before.equals(root);
        return new Merge(changed ? write(root) : existing, changed);
    }

    /** Keeps the first Argus entry (updated to {@code hook}), drops any other, or appends a new matcher group. */
    private static void mergeEvent(ArrayNode groups, ObjectNode hook) {
        boolean placed = false;
        for (Iterator<JsonNode> g = groups.elements(); g.hasNext(); ) {
            JsonNode group = g.next();
            JsonNode entries = group.get("hooks");
            if (!(entries instanceof ArrayNode list)) {
                continue;
            }
            boolean hadArgus = false;
            for (int i = list.size() - 1; i >= 0; i--) {
                if (isArgus(list.get(i))) {
                    hadArgus = true;
                    list.remove(i);
                }
            }
            if (!hadArgus) {
                continue;
            }
            if (!placed) {
                list.add(hook.deepCopy());
                placed = true;
            } else if (list.isEmpty()) {
                g.remove();
            }
        }
        if (!placed) {
            groups.addObject().putArray("hooks").add(hook.deepCopy());
        }
    }

    /** Two-space indented JSON with {@code "key": value} spacing and a final newline, keys in their order. */
    static String write(JsonNode root) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        try {
            return JSON.writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Merges into {@code settings} and, when that changes it, copies the original to
     * {@code settings.json.bak.<yyyyMMdd-HHmmss>} and replaces the file atomically.
     *
     * @return the backup written, or null (new file, or nothing changed)
     */
    static Path install(Path settings, ObjectNode hook, Merge merge) throws IOException {
        if (!merge.changed()) {
            return null;
        }
        Files.createDirectories(settings.toAbsolutePath().getParent());
        Path backup = null;
        if (Files.exists(settings)) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            backup = settings.resolveSibling(settings.getFileName() + ".bak." + stamp);
            for (int i = 1; Files.exists(backup); i++) {
                backup = settings.resolveSibling(settings.getFileName() + ".bak." + stamp + "-" + i);
            }
            Files.copy(settings, backup, StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path tmp = settings.resolveSibling(settings.getFileName() + ".argus-tmp");
        Files.writeString(tmp, merge.text(), StandardCharsets.UTF_8);
        if (Files.exists(settings)) {
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(settings));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the new file keeps the default permissions
            }
        }
        Files.move(tmp, settings, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return backup;
    }

    /** Reads the settings file, or null when there is none. */
    static String read(Path settings) throws IOException {
        return Files.exists(settings) ? Files.readString(settings, StandardCharsets.UTF_8) : null;
    }
}
