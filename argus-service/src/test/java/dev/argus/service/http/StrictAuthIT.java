package dev.argus.service.http;

import dev.argus.service.core.AuthMode;
import dev.argus.service.ArgusConfiguration;
import dev.argus.service.TestServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;

/** {@code auth.mode: strict} (the default): every API route needs a key. */
class StrictAuthIT extends AuthModeChecks {
    static final DropwizardAppExtension<ArgusConfiguration> APP = TestServer.extension();

    @Override
    DropwizardAppExtension<ArgusConfiguration> app() {
        return APP;
    }

    @Override
    AuthMode mode() {
        return AuthMode.STRICT;
    }
}
