package dev.argus.service.agents;

import dev.argus.service.core.FieldError;
import dev.argus.service.core.Level;
import dev.argus.service.core.MalformedInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClaudeHookMapperTest {
    private static final String SESSION = "8f2c1d9e-4b7a-4e31-9a6c-2f0d5e7b1c43";
    private final ClaudeHookMapper mapper = new ClaudeHookMapper();

    static byte[] fixture(String name) {
        try (InputStream in = ClaudeHookMapperTest.class.getResourceAsStream("/claude-hooks/" + name + ".json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private HookEvent map(String fixture) throws Exception {
        return mapper.map(fixture(fixture), null, null, null);
    }

    private HookEvent mapJson(String json) throws Exception {
        return mapper.map(json.getBytes(StandardCharsets.UTF_8), null, null, null);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SessionStart       | SessionStart       | info  |           | Session started (startup) in /home/dev/src/shop-api",
            "UserPromptSubmit   | UserPromptSubmit   | info  |           | Prompt: Run the tests and fix whatever fails in the cart module",
            "PreToolUse         | PreToolUse         | info  | pending   | Bash: npm test",
            "PreToolUse-Task    | PreToolUse         | info  | pending   | Task: Find where cart totals are computed",
            "PostToolUse        | PostToolUse        | info  | success   | Write ok",
            "PostToolUseFailure | PostToolUseFailure | error | failure   | Bash failed: Command exited with non-zero status code 1",
            "Notification       | Notification       | warn  |           | Notification: Claude needs your permission to use Bash",
            "Stop               | Stop               | info  |           | Stop",
            "SubagentStart      | SubagentStart      | info  | activated | Subagent Explore started",
            "SubagentStop       | SubagentStop       | info  | success   | Subagent Explore stopped",
            "PreCompact         | PreCompact         | info  |           | PreCompact",
            "SessionEnd         | SessionEnd         | info  |           | Session ended (prompt_input_exit)",
            "FutureHook         | WorktreeCreate     | info  |           | WorktreeCreate",
    })
    void mapsEveryHookClaudeCodeSends(String fixture, String hook, String level, String status, String message)
            throws Exception {
        byte[] body = fixture(fixture);
        HookEvent e = mapper.map(body, null, null, null);
        assertThat(e.source()).isEqualTo("claude-code");
        assertThat(e.eventType()).isEqualTo("hook");
        assertThat(e.hook()).isEqualTo(hook);
        assertThat(e.level().json()).isEqualTo(level);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.message()).isEqualTo(message);
        assertThat(e.sessionId()).isEqualTo(SESSION);
        assertThat(e.cwd()).isEqualTo("/home/dev/src/shop-api");
        assertThat(e.project()).isEqualTo("shop-api");
        assertThat(e.dataJson()).isEqualTo(text(body).strip());
    }

    @Test
    void copiesToolFieldsAndTagsTheToolName() throws Exception {
        HookEvent e = map("PreToolUse");
        assertThat(e.toolName()).isEqualTo("Bash");
        assertThat(e.toolUseId()).isEqualTo("toolu_01ABCdefGHIjklMNOpqrSTU1");
        assertThat(e.tags()).containsExactly("Bash");
        assertThat(e.agentId()).isNull();
        assertThat(e.subagentType()).isNull();
        assertThat(map("Stop").tags()).isEmpty();
    }

    @Test
    void copiesAgentFieldsOfSubagentHooks() throws Exception {
        HookEvent e = map("SubagentStop");
        assertThat(e.agentId()).isEqualTo("a3f9c2e1b7d04c58");
        assertThat(e.agentType()).isEqualTo("Explore");
        assertThat(e.toolName()).isNull();
    }

    @Test
    void readsTheSubagentToolsTypeAndDescription() throws Exception {
        HookEvent e = map("PreToolUse-Task");
        assertThat(e.subagentType()).isEqualTo("Explore");
        assertThat(e.subagentName()).isEqualTo("Find where cart totals are computed");
        HookEvent agent = mapJson("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Agent\",\"tool_use_id\":\"t\","
                + "\"tool_input\":{\"subagent_type\":\"Plan\",\"description\":\"Plan it\",\"run_in_background\":true}}");
        assertThat(agent.subagentType()).isEqualTo("Plan");
        assertThat(agent.isBackground()).isTrue();
    }

    @Test
    void keepsTheBodyByteForByteWithUnknownFields() throws Exception {
        byte[] body = fixture("FutureHook");
        HookEvent e = mapper.map(body, null, null, null);
        assertThat(e.dataJson()).contains("12345678901234567890123", "2.50", "\"ünïcødé_field\": \"κόσμε\"");
        assertThat(e.dataJson().getBytes(StandardCharsets.UTF_8)).isEqualTo(text(body).strip().getBytes(StandardCharsets.UTF_8));
        String odd = "{ \"b\" :1.0e3 ,\"hook_event_name\":\"X\",\"a\":{\"\\u00e9\":[ ]}}";
        assertThat(mapJson("\n  " + odd + "\n").dataJson()).isEqualTo(odd);
    }

    @Test
    void queryParametersSetSourceTaskAndUuid() throws Exception {
        HookEvent e = mapper.map(fixture("Stop"), " my-claude ", "task-7", "u-1");
        assertThat(e.source()).isEqualTo("my-claude");
        assertThat(e.taskId()).isEqualTo("task-7");
        assertThat(e.uuid()).isEqualTo("u-1");
    }

    @Test
    void pickTheMostTellingToolInput() throws Exception {
        assertThat(mapJson(pre("Read", "{\"file_path\":\"/a/b.ts\",\"limit\":10}")).message()).isEqualTo("Read: /a/b.ts");
        assertThat(mapJson(pre("Grep", "{\"pattern\":\"TODO\",\"path\":\"src\"}")).message()).isEqualTo("Grep: TODO");
        assertThat(mapJson(pre("Glob", "{\"pattern\":\"**/*.java\"}")).message()).isEqualTo("Glob: **/*.java");
        assertThat(mapJson(pre("WebFetch", "{\"url\":\"https://x.dev\",\"prompt\":\"p\"}")).message())
                .isEqualTo("WebFetch: https://x.dev");
        assertThat(mapJson(pre("WebSearch", "{\"query\":\"jdbi sqlite\"}")).message()).isEqualTo("WebSearch: jdbi sqlite");
        assertThat(mapJson(pre("TodoWrite", "{\"todos\":[]}")).message()).isEqualTo("TodoWrite");
        assertThat(mapJson(pre("Bash", "{\"command\":\"git status\\n  && git diff\",\"description\":\"d\"}")).message())
                .isEqualTo("Bash: git status && git diff");
        assertThat(mapJson("{\"hook_event_name\":\"PreToolUse\"}").message()).isEqualTo("PreToolUse");
    }

    private static String pre(String tool, String input) {
        return "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"" + tool + "\",\"tool_input\":" + input + "}";
    }

    @Test
    void aToolResponseWithAnErrorIsAFailure() throws Exception {
        HookEvent isError = mapJson("{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"mcp__db__query\","
                + "\"tool_response\":{\"is_error\":true,\"content\":[{\"type\":\"text\",\"text\":\"relation missing\"}]}}");
        assertThat(isError.level()).isEqualTo(Level.ERROR);
        assertThat(isError.status()).isEqualTo("failure");
        assertThat(isError.message()).isEqualTo("mcp__db__query failed: relation missing");
        HookEvent error = mapJson("{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Edit\","
                + "\"tool_response\":{\"error\":\"old_string not found\"}}");
        assertThat(error.level()).isEqualTo(Level.ERROR);
        assertThat(error.message()).isEqualTo("Edit failed: old_string not found");
        HookEvent fine = mapJson("{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Edit\","
                + "\"tool_response\":{\"is_error\":false,\"error\":null}}");
        assertThat(fine.level()).isEqualTo(Level.INFO);
        assertThat(fine.message()).isEqualTo("Edit ok");
        HookEvent stringResponse = mapJson("{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Bash\",\"tool_response\":\"error\"}");
        assertThat(stringResponse.level()).isEqualTo(Level.INFO);
    }

    @Test
    void messagesDegradeWhenMembersAreMissing() throws Exception {
        assertThat(mapJson("{\"hook_event_name\":\"SessionStart\"}").message()).isEqualTo("Session started");
        assertThat(mapJson("{\"hook_event_name\":\"SessionEnd\"}").message()).isEqualTo("Session ended");
        assertThat(mapJson("{\"hook_event_name\":\"SubagentStart\"}").message()).isEqualTo("Subagent started");
        assertThat(mapJson("{\"hook_event_name\":\"Notification\"}").message()).isEqualTo("Notification");
        assertThat(mapJson("{\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":7}").message()).isEqualTo("Prompt");
        assertThat(mapJson("{\"hook_event_name\":\"PostToolUseFailure\",\"tool_name\":\"Bash\"}").message())
                .isEqualTo("Bash failed");
    }

    @Test
    void longInputsAreTruncatedToOneLineOf200Characters() throws Exception {
        String prompt = "line one\n\tline two " + "é".repeat(300);
        HookEvent e = mapJson("{\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\""
                + prompt.replace("\n", "\\n").replace("\t", "\\t") + "\"}");
        assertThat(e.message()).hasSize(200).startsWith("Prompt: line one line two éé").endsWith("é…")
                .doesNotContain("\n");
        String emoji = "😀".repeat(250);
        HookEvent e2 = mapJson(pre("Bash", "{\"command\":\"" + emoji + "\"}"));
        assertThat(e2.message().codePointCount(0, e2.message().length())).isEqualTo(200);
        assertThat(e2.message()).endsWith("😀…");
        assertThat(e2.dataJson()).contains(emoji);
    }

    @Test
    void projectIsTheLastElementOfCwdElseDataProject() {
        assertThat(ClaudeHookMapper.projectOf("/home/dev/src/shop-api/", null)).isEqualTo("shop-api");
        assertThat(ClaudeHookMapper.projectOf("C:\\Users\\dev\\work\\api", null)).isEqualTo("api");
        assertThat(ClaudeHookMapper.projectOf("/", com.fasterxml.jackson.databind.node.TextNode.valueOf("p")))
                .isEqualTo("p");
        assertThat(ClaudeHookMapper.projectOf(null, null)).isNull();
    }

    @Test
    void projectFallsBackToTheProjectMember() throws Exception {
        assertThat(mapJson("{\"hook_event_name\":\"Stop\",\"project\":\"argus\"}").project()).isEqualTo("argus");
    }

    @Test
    void missingHookEventNameIsNamed() {
        assertThatThrownBy(() -> mapJson("{\"session_id\":\"s\"}"))
                .isInstanceOfSatisfying(HookValidationException.class, ex -> assertThat(ex.errors())
                        .extracting(FieldError::field).containsExactly("hook_event_name"));
        assertThatThrownBy(() -> mapJson("{\"hook_event_name\":3}"))
                .isInstanceOfSatisfying(HookValidationException.class, ex -> assertThat(ex.errors())
                        .extracting(FieldError::field).containsExactly("hook_event_name"));
        assertThatThrownBy(() -> mapJson("{\"hook_event_name\":\"" + "H".repeat(65) + "\"}"))
                .isInstanceOf(HookValidationException.class);
        assertThatThrownBy(() -> mapJson("{\"hook_event_name\":\"A\\u0007B\"}"))
                .isInstanceOf(HookValidationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"session_id", "tool_name", "tool_use_id", "agent_id", "agent_type"})
    void overlongOrNonStringIdsAreNamed(String field) throws Exception {
        String ok = "{\"hook_event_name\":\"Stop\",\"" + field + "\":\"" + "x".repeat(128) + "\"}";
        mapJson(ok);
        for (String bad : new String[] {"\"" + "x".repeat(129) + "\"", "12", "{}"}) {
            assertThatThrownBy(() -> mapJson("{\"hook_event_name\":\"Stop\",\"" + field + "\":" + bad + "}"))
                    .isInstanceOfSatisfying(HookValidationException.class, ex -> assertThat(ex.errors())
                            .extracting(FieldError::field).containsExactly(field));
        }
    }

    @Test
    void badQueryParametersAreNamed() {
        assertThatThrownBy(() -> mapper.map(fixture("Stop"), "", "  ", "u".repeat(65)))
                .isInstanceOfSatisfying(HookValidationException.class, ex -> assertThat(ex.errors())
                        .extracting(FieldError::field).containsExactlyInAnyOrder("source", "uuid", "task_id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json", "{\"hook_event_name\":\"Stop\"", "{\"hook_event_name\":\"Stop\"} {}",
            "{\"a\":1,}", "{\"hook_event_name\":\"Stop\"}x"})
    void nonJsonIsMalformed(String body) {
        assertThatThrownBy(() -> mapJson(body)).isInstanceOf(MalformedInputException.class);
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> mapper.map(body, null, null, null)).isInstanceOf(MalformedInputException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"hook_event_name\":\"Stop\"}]", "\"Stop\"", "42", "null", "true"})
    void aJsonValueThatIsNoObjectIsRefused(String body) {
        assertThatThrownBy(() -> mapJson(body)).isInstanceOf(HookValidationException.class);
    }

    @Test
    void dataDeeperThan64IsRefused() throws Exception {
        mapJson("{\"hook_event_name\":\"Stop\",\"x\":" + "[".repeat(63) + "]".repeat(63) + "}");
        assertThatThrownBy(() -> mapJson("{\"hook_event_name\":\"Stop\",\"x\":" + "[".repeat(64) + "]".repeat(64) + "}"))
                .isInstanceOfSatisfying(HookValidationException.class, ex -> assertThat(ex.errors())
                        .extracting(FieldError::field).containsExactly("data"));
    }

    @Test
    void readsOnlyTheGivenLength() throws Exception {
        byte[] body = "{\"hook_event_name\":\"Stop\"}GARBAGE".getBytes(StandardCharsets.UTF_8);
        assertThat(mapper.map(body, 26, null, null, null).dataJson()).isEqualTo("{\"hook_event_name\":\"Stop\"}");
    }

    @Test
    void longToolNamesAreCutToTagLength() throws Exception {
        String tool = "mcp__" + "t".repeat(100);
        HookEvent e = mapJson(pre(tool, "{}"));
        assertThat(e.toolName()).isEqualTo(tool);
        assertThat(e.tags().get(0)).hasSize(64);
    }
}
