package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.argus.service.core.AuthMode;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import jakarta.validation.constraints.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** {@code auth} (SPEC §13.3): whether reads need a key. */
public class AuthConfig {
    private static final Logger LOG = LoggerFactory.getLogger(AuthConfig.class);

    @NotNull
    private AuthMode mode = AuthMode.STRICT;

    /**
     * {@code strict} (default): every API route needs a key. {@code relaxed}: reads (GET, SSE, the
     * WebSocket subscription) need none; writes still do.
     */
    @JsonProperty
    public AuthMode getMode() {
        return mode;
    }

    @JsonProperty
    public void setMode(AuthMode mode) {
        this.mode = mode;
    }

    /**
     * Logs a warning when reads need no key and the application port listens beyond loopback:
     * anyone who can reach it can then read every event. Returns the exposed bind addresses.
     */
    public List<String> warnIfExposed(ServerFactory server) {
        List<String> exposed = new ArrayList<>();
        if (mode != AuthMode.RELAXED) {
            return exposed;
        }
        for (ConnectorFactory c : applicationConnectors(server)) {
            String host = c instanceof HttpConnectorFactory http ? http.getBindHost() : null;
            if (!isLoopback(host)) {
                exposed.add(host == null ? "all interfaces" : host);
            }
        }
        if (!exposed.isEmpty()) {
            LOG.warn("auth.mode is relaxed and the application port listens on {}: anyone who can reach it reads"
                    + " every event, task and stream without a key (writes still need one)", String.join(", ", exposed));
        }
        return exposed;
    }

    private static List<ConnectorFactory> applicationConnectors(ServerFactory server) {
        if (server instanceof DefaultServerFactory d) {
            return d.getApplicationConnectors();
        }
        if (server instanceof SimpleServerFactory s) {
            return List.of(s.getConnector());
        }
        return List.of();
    }

    private static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
