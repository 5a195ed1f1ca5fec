package dev.argus.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.argus.service.config.ArgusPaths;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a client command connects and with which key: {@code --url}/{@code ARGUS_URL} and
 * {@code --key}/{@code ARGUS_API_KEY}, else the local config file (its first key and application
 * port), else the generated key file and {@code http://127.0.0.1:8765}.
 */
public record ClientSettings(String url, String key) {
    public static final String DEFAULT_URL = "http://127.0.0.1:8765";

    /**
     * @param configFile an explicit config file ({@code --config}), or null for {@code ~/.config/argus/config.yml} if present
     */
    public static ClientSettings resolve(String urlOption, String keyOption, String configFile, Map<String, String> env,
                                         Path defaultConfig, Path keyFile) {
        String url = firstNonBlank(urlOption, env.get("ARGUS_URL"));
        String key = firstNonBlank(keyOption, env.get("ARGUS_API_KEY"));
        if (url == null || key == null) {
            Path config = configFile != null ? Path.of(configFile) : defaultConfig;
            if (configFile != null || Files.isRegularFile(config)) {
                JsonNode tree = readConfig(config);
                if (url == null) {
                    url = urlFromConfig(tree);
                }
                if (key == null) {
                    key = firstNonBlank(tree.path("apiKeys").path(0).path("key").asText(null));
                }
            }
        }
        if (key == null && Files.isRegularFile(keyFile)) {
            try {
                key = firstNonBlank(Files.readString(keyFile, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CommandFailure("cannot read the key file " + keyFile + ": " + e.getMessage());
            }
        }
        if (url == null) {
            url = DEFAULT_URL;
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return new ClientSettings(url, key);
    }

    public static ClientSettings resolve(String urlOption, String keyOption, String configFile) {
        return resolve(urlOption, keyOption, configFile, System.getenv(), ArgusPaths.defaultConfigFile(),
                ArgusPaths.keyFile());
    }

    private static JsonNode readConfig(Path config) {
        try {
            String text = new EnvironmentVariableSubstitutor(false).replace(Files.readString(config, StandardCharsets.UTF_8));
            JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(text);
            return tree == null ? new ObjectMapper().createObjectNode() : tree;
        } catch (IOException e) {
            throw new CommandFailure("cannot read the config file " + config + ": " + e.getMessage());
        }
    }

    private static String urlFromConfig(JsonNode tree) {
        JsonNode server = tree.path("server");
        JsonNode connector = server.has("applicationConnectors") ? server.path("applicationConnectors").path(0)
                : server.path("connector");
        if (!connector.has("port")) {
            return null;
        }
        String type = connector.path("type").asText("http");
        String host = connector.path("bindHost").asText("");
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (type.equals("https") ? "https" : "http") + "://" + host + ":" + connector.path("port").asInt();
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
