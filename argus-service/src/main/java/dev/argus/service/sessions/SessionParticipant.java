package dev.argus.service.sessions;

import dev.argus.service.agents.LifecycleMessage;
import dev.argus.service.agents.SessionTracker;
import dev.argus.service.agents.TrackedEvent;
import dev.argus.service.core.StoredEvent;
import dev.argus.service.ingest.CommitParticipant;
import dev.argus.service.storage.SessionStorageException;
import dev.argus.service.storage.WriterSessionStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sessions and agents derived in the transaction that stores the events (SPEC §12.3): every
 * inserted event with a {@code session_id} goes through {@link SessionTracker#record} on the
 * writer's connection, in id order, so an event and the state change it causes commit together or
 * not at all. The lifecycle messages are returned for the commit listeners (the live streams).
 * Only an event with {@code hook} set creates a session; any event counts for an existing one.
 */
public final class SessionParticipant implements CommitParticipant {
    private final WriterSessionStore.Factory stores;
    /** The store on the writer's current connection (writer thread only). */
    private WriterSessionStore store;

    /** @param stores the storage's session store on a writer connection ({@code Storage::sessionStore}) */
    public SessionParticipant(WriterSessionStore.Factory stores) {
        this.stores = stores;
    }

    @Override
    public List<Object> inTransaction(Connection tx, List<StoredEvent> inserted) throws SQLException {
        List<LifecycleMessage> messages = null;
        for (StoredEvent e : inserted) {
            if (e.sessionId() == null) {
                continue;
            }
            if (store == null || !store.uses(tx)) {
                store = stores.open(tx);
            }
            SessionTracker.Outcome o;
            try {
                if (e.agent().hook() == null && store.find(e.sessionId()) == null) {
                    continue;   // creates nothing: skip reading its data
                }
                o = SessionTracker.record(store, TrackedEvent.of(e));
            } catch (SessionStorageException ex) {
                throw ex.getCause();
            }
            if (!o.messages().isEmpty()) {
                if (messages == null) {
                    messages = new ArrayList<>();
                }
                messages.addAll(o.messages());
            }
        }
        if (messages != null) {
            // for the other instances' streams (a database shared by several; else a no-op)
            try {
                store.journal(inserted.get(inserted.size() - 1).id(), messages);
            } catch (SessionStorageException ex) {
                throw ex.getCause();
            }
        }
        return messages == null ? List.of() : List.copyOf(messages);
    }

    @Override
    public void afterRollback() {
        store = null;   // the writer reopens its connection; statements prepared on the old one are gone
    }
}
