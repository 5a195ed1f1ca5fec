package dev.argus.service.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (the machine is loaded: deadlines are generous). */
final class Poll {
    private Poll() {
    }

    static void until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        until(timeout, condition, "condition");
    }

    static void until(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
