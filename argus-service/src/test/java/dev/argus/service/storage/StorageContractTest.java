package dev.argus.service.storage;

import dev.argus.service.core.EventFilter;
import dev.argus.service.core.EventQuery;
import dev.argus.service.core.Level;
import dev.argus.service.core.NewEvent;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.core.Timestamps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every storage dialect must do, against a real database: a subclass provides the stores
 * ({@code SqliteStorageContractTest}; a PostgreSQL one can follow). Writes go through the writer's
 * transaction as the group-commit engine drives it: begin, insert or task, commit.
 */
public abstract class StorageContractTest {
    /** The stores of one fresh, migrated database. */
    public record Stores(EventBatchWriter writer, EventReader reader, RetentionStore retention) {
    }

    protected abstract Stores openStores() throws Exception;

    protected Stores stores;

    @BeforeEach
    void openTheStores() throws Exception {
        stores = openStores();
        stores.writer().open();
    }

    @AfterEach
    void closeTheStores() {
        stores.writer().close();
    }

    static NewEvent event(String source, String type, String uuid, String... tags) {
        return new NewEvent(source, type, Level.INFO, "message " + type, Timestamps.nowMicros(), null, List.of(tags),
                tags.length == 0 ? "[]" : "[\"" + String.join("\",\"", tags) + "\"]", null, uuid);
    }

    private EventBatchWriter.Inserted commit(List<List<NewEvent>> requests) throws Exception {
        EventBatchWriter w = stores.writer();
        w.begin();
        EventBatchWriter.Inserted in = w.insert(requests, Timestamps.nowMicros());
        w.commit();
        return in;
    }

    private <T> T run(WriteTask<T> task) throws Exception {
        EventBatchWriter w = stores.writer();
        T result = task.run(w.begin());
        w.commit();
        return result;
    }

    @Test
    void insertsAssignIncreasingIdsAndDedupUuidsStoredBeforeAndInTheSameBatch() throws Exception {
        EventBatchWriter.Inserted first = commit(List.of(List.of(event("a", "x", "u1"), event("a", "y", null))));
        long id1 = first.results().get(0).ids()[0];
        assertThat(first.results().get(0).ids()[1]).isEqualTo(id1 + 1);
        assertThat(first.stored()).hasSize(2);
        assertThat(stores.writer().lastCommittedId()).isEqualTo(id1 + 1);

        EventBatchWriter.Inserted second = commit(List.of(
                List.of(event("a", "x", "u1"), event("b", "z", "u2")),
                List.of(event("b", "z", "u2"))));
        assertThat(second.results().get(0).ids()[0]).isEqualTo(id1);
        assertThat(second.results().get(0).duplicate()).containsExactly(true, false);
        long u2 = second.results().get(0).ids()[1];
        assertThat(second.results().get(1).ids()).containsExactly(u2);
        assertThat(second.results().get(1).duplicate()).containsExactly(true);
        assertThat(second.duplicates()).isEqualTo(2);
        assertThat(second.stored()).extracting(StoredEvent::id).containsExactly(u2);
        assertThat(stores.reader().findById(u2).source()).isEqualTo("b");
    }

    @Test
    void textWithNulInOneRequestNeverFailsTheOthersInItsCommitAndStreamsAgreeWithQueries() throws Exception {
        String nul = "a\u0000b";
        NewEvent odd = new NewEvent("src", "odd", Level.INFO, "msg " + nul, Timestamps.nowMicros(), null,
                List.of("t" + nul), "[\"t\\u0000\"]", "s" + nul, "u" + nul);
        EventBatchWriter.Inserted in = commit(List.of(List.of(event("src", "plain", null)), List.of(odd)));
        assertThat(in.stored()).hasSize(2);
        StoredEvent live = in.stored().get(1);
        // SQLite keeps U+0000; PostgreSQL text cannot hold it and stores U+FFFD (docs/postgres.md).
        assertThat(live.message()).isIn("msg " + nul, "msg a\uFFFDb");
        StoredEvent read = stores.reader().findById(live.id());
        assertThat(read.message()).isEqualTo(live.message());
        assertThat(read.sessionId()).isEqualTo(live.sessionId());
        assertThat(read.uuid()).isEqualTo(live.uuid());
        // the same uuid again is a duplicate of the stored event
        EventBatchWriter.Inserted again = commit(List.of(List.of(odd)));
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(again.results().get(0).ids()).containsExactly(live.id());
    }

    @Test
    void anAbortedTransactionLeavesNothingAndTheWriterGoesOn() throws Exception {
        EventBatchWriter w = stores.writer();
        w.begin();
        w.insert(List.of(List.of(event("a", "x", "gone"))), Timestamps.nowMicros());
        w.abort();
        assertThat(stores.retention().countEvents()).isZero();
        assertThat(stores.reader().sources()).isEmpty();
        EventBatchWriter.Inserted in = commit(List.of(List.of(event("a", "x", "gone"))));
        assertThat(in.duplicates()).isZero();
        assertThat(stores.retention().countEvents()).isEqualTo(1);
    }

    @Test
    void readsFilterPageReplayAndList() throws Exception {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(event(i % 2 == 0 ? "even" : "odd", "t" + (i % 3), null, i < 5 ? "early" : "late"));
        }
        long first = commit(List.of(batch)).results().get(0).ids()[0];
        EventReader r = stores.reader();
        EventFilter even = EventFilter.builder().add(EventFilter.Field.SOURCE, "even").build();
        assertThat(r.find(new EventQuery(even, null, null, 100, true), 100)).hasSize(5)
                .allMatch(e -> e.source().equals("even"));
        EventFilter late = EventFilter.builder().add(EventFilter.Field.TAG, "late").build();
        assertThat(r.find(new EventQuery(late, null, null, 3, false), 3)).extracting(StoredEvent::id)
                .containsExactly(first + 9, first + 8, first + 7);
        assertThat(r.findAfter(EventFilter.ALL, first + 7, 100)).extracting(StoredEvent::id)
                .containsExactly(first + 8, first + 9);
        assertThat(r.sources()).containsExactly("even", "odd");
        assertThat(r.eventTypes(List.of())).containsExactly("t0", "t1", "t2");
        assertThat(r.eventTypes(List.of("odd"))).containsExactly("t0", "t1", "t2");
        assertThat(r.findById(first + 100)).isNull();
    }

    @Test
    void retentionDeletesOldestChunksAndPrunesDiscovery() throws Exception {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(event(i < 20 ? "old" : "new", "t", null, "k"));
        }
        commit(List.of(batch));
        RetentionStore.Chunk c = run(stores.retention().deleteChunk(Long.MAX_VALUE, 10));
        assertThat(c).isEqualTo(new RetentionStore.Chunk(10, true));
        c = run(stores.retention().deleteChunk(Long.MAX_VALUE, 10));
        assertThat(c.deleted()).isEqualTo(10);
        assertThat(stores.retention().countEvents()).isEqualTo(5);
        // Nothing received before the epoch: a cutoff in the past deletes nothing.
        assertThat(run(stores.retention().deleteChunk(0, 10))).isEqualTo(new RetentionStore.Chunk(0, false));

        RetentionStore.UnusedTypes unused = stores.retention().scanUnusedTypes();
        assertThat(unused.pairs()).containsExactly(new RetentionStore.UnusedType("old", "t"));
        assertThat(run(stores.retention().deleteUnusedTypes(unused))).isEqualTo(1);
        assertThat(stores.reader().sources()).containsExactly("new");
        // The writer's discovery cache followed the prune: a new "old" event brings the pair back.
        commit(List.of(List.of(event("old", "t", null))));
        assertThat(stores.reader().sources()).containsExactly("new", "old");
    }

    @Test
    void aPairThatGotAnEventSinceTheScanIsKept() throws Exception {
        commit(List.of(List.of(event("a", "t", null))));
        run(stores.retention().deleteChunk(Long.MAX_VALUE, 10));
        RetentionStore.UnusedTypes unused = stores.retention().scanUnusedTypes();
        commit(List.of(List.of(event("a", "t", null))));
        assertThat(run(stores.retention().deleteUnusedTypes(unused))).isZero();
        assertThat(stores.reader().sources()).containsExactly("a");
    }

    @Test
    void metaValuesAreStoredAndReplaced() throws Exception {
        assertThat(run(stores.retention().getMeta("k"))).isNull();
        run(stores.retention().putMeta("k", "1"));
        run(stores.retention().putMeta("k", "2"));
        assertThat(run(stores.retention().getMeta("k"))).isEqualTo("2");
    }

    @Test
    void vacuumGivesFreePagesBack() throws Exception {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            batch.add(event("s", "t", null, "tag-" + i));
        }
        commit(List.of(batch));
        while (run(stores.retention().deleteChunk(Long.MAX_VALUE, 1_000)).deleted() > 0) {
            // delete all
        }
        assertThat(run(stores.retention().incrementalVacuumEnabled())).isTrue();
        long freed = 0;
        long n;
        while ((n = run(stores.retention().incrementalVacuum(100))) > 0) {
            freed += n;
        }
        assertThat(freed).isPositive();
        run(stores.retention().checkpoint());
        assertThat(stores.retention().fileBytes()).isPositive();
    }
}
