package dev.argus.agent;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentSettingsTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void agentArgumentsWinOverSystemPropertiesWhichWinOverEnvironment() {
        AgentSettings s = AgentSettings.resolve("url=http://args:1",
                props("argus.url", "http://props:2", "argus.source", "from-props"),
                Map.of("ARGUS_URL", "http://env:3", "ARGUS_SOURCE", "from-env", "ARGUS_SESSION", "s-env",
                        "ARGUS_API_KEY", "k-env"));
        assertThat(s.url).isEqualTo("http://args:1");
        assertThat(s.source).isEqualTo("from-props");
        assertThat(s.session).isEqualTo("s-env");
        assertThat(s.apiKey).isEqualTo("k-env");
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        AgentSettings s = AgentSettings.resolve(null, props("user.home", "/nonexistent"), Map.of());
        assertThat(s.url).isEqualTo("http://127.0.0.1:8765");
        assertThat(s.source).isNull();
        assertThat(s.session).hasSize(36);
        assertThat(s.annotations).containsExactly(AgentSettings.OBSERVED);
        assertThat(s.methods).isEmpty();
        assertThat(s.methodsSync).isFalse();
        assertThat(s.captureArgs).isFalse();
        assertThat(s.commandArgs).isFalse();
        assertThat(s.errors).isTrue();
        assertThat(s.lifecycle).isTrue();
        assertThat(s.timeout.toMillis()).isEqualTo(2000);
        assertThat(s.connectTimeout.toMillis()).isEqualTo(1000);
        assertThat(s.startDelayMillis).isEqualTo(AgentRuntime.START_DELAY_MS);
    }

    @Test
    void listValuesMayContainCommasInsideAgentArguments() {
        Map<String, String> args = AgentSettings.parseAgentArgs(
                "url=http://h:1,annotations=a.B,c.D,methods=com.acme.Foo[bar,baz];com.acme.Bar[qux],key=k");
        assertThat(args).containsExactly(
                Map.entry("url", "http://h:1"),
                Map.entry("annotations", "a.B,c.D"),
                Map.entry("methods", "com.acme.Foo[bar,baz];com.acme.Bar[qux]"),
                Map.entry("key", "k"));
        AgentSettings s = AgentSettings.resolve(
                "annotations=a.B,c.D,methods=com.acme.Foo[bar,baz];com.acme.Bar[qux]", props(), Map.of());
        assertThat(s.annotations).containsExactly(AgentSettings.OBSERVED, "a.B", "c.D");
        assertThat(s.methods).containsExactly(
                Map.entry("com.acme.Foo", List.of("bar", "baz")), Map.entry("com.acme.Bar", List.of("qux")));
    }

    @Test
    void malformedSettingsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> AgentSettings.resolve("methods=com.acme.Foo", props(), Map.of()))
                .hasMessageContaining("com.acme.Foo[bar,baz]");
        assertThatThrownBy(() -> AgentSettings.resolve("timeoutMs=soon", props(), Map.of()))
                .hasMessageContaining("timeoutMs");
        assertThatThrownBy(() -> AgentSettings.resolve("captureArgs=maybe", props(), Map.of()))
                .hasMessageContaining("captureArgs");
        assertThatThrownBy(() -> AgentSettings.resolve("methodMode=later", props(), Map.of()))
                .hasMessageContaining("methodMode");
        assertThatThrownBy(() -> AgentSettings.parseAgentArgs("justtext"))
                .hasMessageContaining("justtext");
    }

    @Test
    void environmentNamesAreUpperSnakeCase() {
        assertThat(AgentSettings.envName("captureArgs")).isEqualTo("ARGUS_CAPTURE_ARGS");
        assertThat(AgentSettings.envName("url")).isEqualTo("ARGUS_URL");
        AgentSettings s = AgentSettings.resolve(null, props(),
                Map.of("ARGUS_CAPTURE_ARGS", "true", "ARGUS_METHOD_MODE", "sync", "ARGUS_TIMEOUT_MS", "50"));
        assertThat(s.captureArgs).isTrue();
        assertThat(s.methodsSync).isTrue();
        assertThat(s.timeout.toMillis()).isEqualTo(50);
    }

    @Test
    void sourceDefaultsToJarNameOrMainClass() {
        assertThat(JvmInfo.defaultSource(List.of("/opt/tools/my-tool.jar", "x"))).isEqualTo("my-tool");
        assertThat(JvmInfo.defaultSource(List.of("com.acme.Main"))).isEqualTo("com.acme.Main");
        assertThat(JvmInfo.defaultSource(List.of("my.module/com.acme.Main"))).isEqualTo("com.acme.Main");
        assertThat(JvmInfo.defaultSource(List.of())).isEqualTo("java");
    }
}
