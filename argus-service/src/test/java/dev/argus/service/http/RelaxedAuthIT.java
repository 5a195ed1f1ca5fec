package dev.argus.service.http;

import dev.argus.service.core.AuthMode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;

/** {@code auth.mode: relaxed}: reads (GET, SSE, the WebSocket subscription) need no key; writes still do. */
class RelaxedAuthIT extends AuthModeChecks {
    static final DropwizardAppExtension<ArgusConfiguration> APP =
            TestServer.extension(ConfigOverride.config("auth.mode", "relaxed"));

    @Override
    DropwizardAppExtension<ArgusConfiguration> app() {
        return APP;
    }

    @Override
    AuthMode mode() {
        return AuthMode.RELAXED;
    }
}
