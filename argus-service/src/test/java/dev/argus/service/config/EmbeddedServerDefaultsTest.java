package dev.argus.service.config;

import dev.argus.service.ArgusConfiguration;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The server without a config file runs on small thread pools; a {@code server} block gets Dropwizard's. */
class EmbeddedServerDefaultsTest {

    @Test
    void withoutAServerBlockThePoolsAreSizedForALaptop() {
        DefaultServerFactory server = (DefaultServerFactory) new ArgusConfiguration().getServerFactory();
        assertThat(server.getMaxThreads()).isEqualTo(32);
        assertThat(server.getMinThreads()).isEqualTo(4);
        assertThat(server.getAdminMaxThreads()).isEqualTo(8);
        assertThat(server.getAdminMinThreads()).isEqualTo(1);
    }

    @Test
    void withoutAConfigFileTheDefaultConfigurationIsReadBack() throws Exception {
        // what `argus server` does with no file: the defaults, as a tree, read back (unknown fields fail)
        ArgusConfiguration config = new YamlConfigurationFactory<>(ArgusConfiguration.class,
                Validators.newValidator(), Jackson.newObjectMapper(), "dw").build();
        assertThat(config.getDatabase().isPostgres()).isFalse();
        assertThat(((DefaultServerFactory) config.getServerFactory()).getMaxThreads()).isEqualTo(32);
    }

    @Test
    void aServerBlockInAConfigFileKeepsDropwizardsOwnDefaults() throws Exception {
        ArgusConfiguration config = new YamlConfigurationFactory<>(ArgusConfiguration.class,
                Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new ResourceConfigurationSourceProvider(), "test-server.yml");
        DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
        assertThat(server.getMaxThreads()).isEqualTo(1024);
        assertThat(server.getAdminMaxThreads()).isEqualTo(64);
    }
}
