package dev.argus.service.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The live messages that are not events, as every instance sharing a database wrote them, in
 * commit order (SPEC §15): session and agent lifecycle messages (SPEC §12.3, stream
 * {@link #EVENTS}) and the task/workstream state events of {@code /api/stream} (SPEC §13.2, stream
 * {@link #UPDATES}). Written in the transaction that made the change ({@link WriterSessionStore#journal},
 * {@link Work}), read here by each instance's commit tail, which hands on the other instances'
 * entries. Only a database that several instances share has one ({@link Storage#liveJournal()}).
 */
public interface LiveJournal {
    String EVENTS = "events";
    String UPDATES = "updates";

    /**
     * One journaled message.
     *
     * @param stream       {@link #EVENTS} or {@link #UPDATES}
     * @param afterEventId the last event of the commit that made it (0: the change committed no event)
     * @param instance     the instance whose commit wrote it ({@link #instance()} of that instance)
     * @param sseEvent     EVENTS: {@code session} or {@code agent}; UPDATES: the event name ({@code task_created}, …)
     * @param taskId       UPDATES: the task, null for a workstream
     * @param frame        the JSON sent to clients
     */
    record Entry(long id, String stream, long afterEventId, String instance, String source, String sessionId,
                 String taskId, String sseEvent, String frame) {
    }

    /** Records a task or workstream state event in the writer's open transaction (the work store's writes). */
    @FunctionalInterface
    interface Work {
        Work NONE = (c, type, taskId, json) -> { };

        void record(Connection tx, String type, String taskId, String json) throws SQLException;
    }

    /** This instance's name in the journal (its own entries reach its streams directly). */
    String instance();

    /** Entries with an id above {@code afterId}, oldest first, at most {@code limit}. */
    List<Entry> after(long afterId, int limit);

    /** The newest entry's id, 0 when there is none. */
    long newestId();
}
