package dev.argus.it.e2e;

import dev.argus.it.support.ArgusServer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Launches {@code examples/sample-tool} the way {@code docs/examples.md} tells a user to:
 * {@code java -javaagent:argus-agent.jar -cp sample-tool.jar:lib/* com.example.sampletool.SampleTool},
 * configured only through {@code ARGUS_*} environment variables (plus a small heap and C1 only, to
 * spare the shared machine).
 */
final class SampleTool {
    static final String MAIN = "com.example.sampletool.SampleTool";
    static final String LOGBACK_LOGGER = "com.example.sampletool.SampleTool";
    static final String LOG4J2_LOGGER = "com.example.sampletool.ReportWriter";

    private final String url;
    private final String source;
    private final Path workDir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private boolean agent = true;

    private SampleTool(String url, String source, Path workDir) {
        this.url = url;
        this.source = source;
        this.workDir = workDir;
        env.put("ARGUS_URL", url);
        env.put("ARGUS_API_KEY", ArgusServer.API_KEY);
        env.put("ARGUS_SOURCE", source);
        env.put("ARGUS_SPOOL_DIR", workDir.resolve("spool").toString());
    }

    /** The tool reporting to {@code server} as {@code source}; its spool and stderr live in {@code workDir}. */
    static SampleTool against(ArgusServer server, String source, Path workDir) {
        return new SampleTool(server.url(), source, workDir);
    }

    SampleTool env(String name, String value) {
        env.put(name, value);
        return this;
    }

    SampleTool withoutAgent() {
        agent = false;
        return this;
    }

    static Path toolDir() {
        String prop = System.getProperty("argus.sample.tool.dir");
        Path dir = prop != null ? Paths.get(prop) : Paths.get("../examples/sample-tool/target");
        if (!Files.isRegularFile(dir.resolve("sample-tool.jar")) || !Files.isDirectory(dir.resolve("lib"))) {
            throw new IllegalStateException("sample tool not built (mvn -pl examples/sample-tool install): "
                    + dir.toAbsolutePath());
        }
        return dir.toAbsolutePath().normalize();
    }

    /** Starts the tool with {@code args}, e.g. {@code "--events", "3"}. */
    ChildProcess start(String... args) throws IOException, InterruptedException {
        Path dir = toolDir();
        List<String> cmd = new ArrayList<>();
        cmd.add(ArgusServer.javaBin());
        cmd.add("-Xmx128m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Duser.home=" + workDir.resolve("home"));
        if (agent) {
            cmd.add("-javaagent:" + Jars.agent());
        }
        cmd.add("-cp");
        cmd.add(dir.resolve("sample-tool.jar") + File.pathSeparator + dir.resolve("lib") + File.separator + "*");
        cmd.add(MAIN);
        cmd.addAll(Arrays.asList(args));
        return ChildProcess.start(cmd, env, workDir);
    }

    String source() {
        return source;
    }

    String url() {
        return url;
    }
}
