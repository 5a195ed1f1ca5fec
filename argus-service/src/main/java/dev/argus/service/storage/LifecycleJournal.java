package dev.argus.service.storage;

import java.util.List;

/**
 * The session and agent lifecycle messages (SPEC §12.3) every instance sharing a database wrote,
 * in commit order (SPEC §15): what lets one instance's live streams carry the messages another
 * instance's commits derived. Entries are written by {@link WriterSessionStore#journal} in the
 * deriving transaction and read here by the commit tail. Only a database that several instances
 * share has one ({@link Storage#lifecycleJournal()}).
 */
public interface LifecycleJournal {
    /**
     * One journaled message.
     *
     * @param afterEventId the last event of the commit that derived it (0: a writer task with no event)
     * @param instance     the instance whose commit wrote it ({@link #instance()} of that instance)
     * @param sseEvent     {@code session} or {@code agent}
     * @param frame        the message's JSON, {@code {"type":T,"payload":{...}}}
     */
    record Entry(long id, long afterEventId, String instance, String source, String sessionId, String sseEvent,
                 String frame) {
    }

    /** This instance's name in the journal (its own entries reach its streams directly). */
    String instance();

    /** Entries with an id above {@code afterId}, oldest first, at most {@code limit}. */
    List<Entry> after(long afterId, int limit);

    /** The newest entry's id, 0 when there is none. */
    long newestId();
}
