package com.example.sampletool;

import dev.argus.annotations.Observed;

import java.io.IOException;

/**
 * The tool's "business logic": two methods the Argus agent reports as {@code method} events
 * because they carry {@link Observed}. Without {@code -javaagent:argus-agent.jar} the annotation
 * does nothing.
 */
public final class Inventory {

    /** Counts one item; reported as {@code method} event {@code Inventory.count}, outcome {@code ok}. */
    @Observed
    public int count(int item) {
        return item * 7 % 100;
    }

    /**
     * Checks {@code items} counted items and always finds one missing; reported as {@code method}
     * event {@code inventory.audit}, level {@code error}, outcome {@code error}, with the exception.
     */
    @Observed(name = "inventory.audit")
    public void audit(int items) {
        throw new IllegalStateException("audit of " + items + " items found 1 missing",
                new IOException("inventory file truncated"));
    }
}
