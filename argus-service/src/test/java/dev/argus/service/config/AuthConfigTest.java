package dev.argus.service.config;

import dev.argus.service.ArgusConfiguration;
import dev.argus.service.core.AuthMode;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuthConfigTest {
    private static DefaultServerFactory listeningOn(String... hosts) {
        List<ConnectorFactory> connectors = new ArrayList<>();
        for (String h : hosts) {
            HttpConnectorFactory c = new HttpConnectorFactory();
            c.setBindHost(h);
            connectors.add(c);
        }
        DefaultServerFactory f = new DefaultServerFactory();
        f.setApplicationConnectors(connectors);
        return f;
    }

    @Test
    void strictIsTheDefault() {
        assertThat(new ArgusConfiguration().getAuth().getMode()).isEqualTo(AuthMode.STRICT);
    }

    @Test
    void relaxedWarnsOnlyBeyondLoopback() {
        AuthConfig auth = new AuthConfig();
        auth.setMode(AuthMode.RELAXED);
        assertThat(auth.warnIfExposed(new ArgusConfiguration().getServerFactory())).as("the default 127.0.0.1").isEmpty();
        assertThat(auth.warnIfExposed(listeningOn("127.0.0.1", "::1", "localhost"))).isEmpty();
        assertThat(auth.warnIfExposed(listeningOn("0.0.0.0"))).containsExactly("0.0.0.0");
        assertThat(auth.warnIfExposed(listeningOn("127.0.0.1", null))).containsExactly("all interfaces");
        auth.setMode(AuthMode.STRICT);
        assertThat(auth.warnIfExposed(listeningOn("0.0.0.0"))).as("strict never warns").isEmpty();
    }
}
