package dev.argus.service.storage.jdbc;

import java.util.Collections;

/** The few pieces of read SQL that differ between SQLite and PostgreSQL; the rest is shared. */
public enum SqlDialect {
    /**
     * The text filter is the Java function {@code argus_contains_folded} registered on each read
     * connection; {@code CROSS JOIN} makes SQLite's planner keep the tag index as the outer loop.
     */
    SQLITE("CROSS JOIN", "") {
        @Override
        String containsFolded(int needles) {
            return "argus_contains_folded(message" + ", ?".repeat(needles) + ") = 1";
        }
    },
    /**
     * The text filter searches {@code message_fold}, the message folded in Java at insert time (so
     * the rule is {@code TextFold}'s, not PostgreSQL's {@code upper()}); lists sort with the
     * {@code "C"} collation, which is code point order for UTF-8.
     */
    POSTGRES("JOIN", " COLLATE \"C\"") {
        @Override
        String containsFolded(int needles) {
            String one = "strpos(message_fold, ?) > 0";
            return needles == 1 ? one : "(" + String.join(" OR ", Collections.nCopies(needles, one)) + ")";
        }
    };

    final String tagJoin;
    final String codePointOrder;

    SqlDialect(String tagJoin, String codePointOrder) {
        this.tagJoin = tagJoin;
        this.codePointOrder = codePointOrder;
    }

    /** A condition true when the folded message contains any of {@code needles} bound folded needles. */
    abstract String containsFolded(int needles);
}
