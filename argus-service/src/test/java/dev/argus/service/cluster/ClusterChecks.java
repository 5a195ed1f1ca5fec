package dev.argus.service.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What every cluster test checks at the end. */
final class ClusterChecks {
    private ClusterChecks() {
    }

    /**
     * Every acknowledged uuid is stored exactly once, with the id it was acknowledged with.
     *
     * @return the stored ids of {@code source}, in id order
     */
    static List<Long> everyAcknowledgedEventStoredOnce(ArgusNode node, Load load) throws Exception {
        List<JsonNode> stored = node.allEvents("source=" + load.source);
        Set<String> uuids = new HashSet<>();
        List<Long> ids = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        for (JsonNode e : stored) {
            if (!uuids.add(e.get("uuid").asText())) {
                twice.add(e.get("uuid").asText());
            }
            ids.add(e.get("id").asLong());
        }
        assertThat(twice).as("uuids stored more than once").isEmpty();
        assertThat(load.acknowledged).as("acknowledged events").isNotEmpty();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Long> a : load.acknowledged.entrySet()) {
            if (!uuids.contains(a.getKey())) {
                missing.add(a.getKey() + " (acknowledged as id " + a.getValue() + ")");
            }
        }
        assertThat(missing).as("acknowledged (2xx) events missing from the store").isEmpty();
        assertThat(ids).as("GET paging returns ids in ascending order").isSorted();
        return ids;
    }

    /** Waits until {@code seen} reached the last of {@code stored}, then requires exactly {@code stored}, in order. */
    static void sawExactly(String who, Supplier<List<Long>> seen, List<Long> stored) throws InterruptedException {
        sawExactly(who, seen, stored, () -> "");
    }

    /** The same, with {@code context} (notices, logs) in the failure message. */
    static void sawExactly(String who, Supplier<List<Long>> seen, List<Long> stored, Supplier<String> context)
            throws InterruptedException {
        long last = stored.get(stored.size() - 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            List<Long> s = seen.get();
            if (!s.isEmpty() && s.get(s.size() - 1) >= last || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(100);
        }
        List<Long> s = seen.get();
        if (!s.equals(stored)) {
            throw new AssertionError(who + ": not every event once, in id order: " + describe(s, stored) + "\n"
                    + context.get());
        }
    }

    /** A subscriber's state and the warnings of the nodes' logs, for a failure message. */
    static Supplier<String> context(Subscriber s, ArgusNode... nodes) {
        return () -> {
            StringBuilder b = new StringBuilder("phase " + s.phase + ", connections " + s.connections() + ", notices " + s.notices());
            for (ArgusNode n : nodes) {
                b.append("\n--- log of ").append(n.name()).append(" (WARN/ERROR lines)\n");
                n.logText().lines().filter(l -> l.contains("WARN") || l.contains("ERROR") || l.startsWith("\t")
                        || l.contains("Exception")).limit(80).forEach(l -> b.append(l).append('\n'));
            }
            return b.toString();
        };
    }

    private static String describe(List<Long> seen, List<Long> stored) {
        Set<Long> got = new HashSet<>(seen);
        List<Long> missing = new ArrayList<>();
        for (Long id : stored) {
            if (!got.contains(id)) {
                missing.add(id);
            }
        }
        int dupes = seen.size() - got.size();
        int disorder = 0;
        for (int i = 1; i < seen.size(); i++) {
            if (seen.get(i) <= seen.get(i - 1)) {
                disorder++;
            }
        }
        return "seen " + seen.size() + ", stored " + stored.size() + ", missing " + missing.size()
                + (missing.isEmpty() ? "" : " e.g. " + missing.subList(0, Math.min(10, missing.size())))
                + ", duplicates " + dupes + ", out of order " + disorder;
    }
}
