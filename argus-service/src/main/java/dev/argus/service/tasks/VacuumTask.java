package dev.argus.service.tasks;

import io.dropwizard.servlets.tasks.Task;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code POST /tasks/vacuum}: returns free database pages to the file system (incremental vacuum). */
public final class VacuumTask extends Task {
    private final RetentionService retention;

    public VacuumTask(RetentionService retention) {
        super("vacuum");
        this.retention = retention;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        long started = System.nanoTime();
        EventPurger.VacuumResult r = retention.vacuum();
        print(r, output);
        output.printf("took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        output.flush();
    }

    static void print(EventPurger.VacuumResult r, PrintWriter output) {
        if (!r.incremental()) {
            output.println("vacuum: this database was created without auto_vacuum=INCREMENTAL, so free pages are"
                    + " reused but not returned; with the server stopped, sqlite3 FILE 'PRAGMA auto_vacuum=INCREMENTAL; VACUUM;' converts it");
            return;
        }
        output.printf("vacuum reclaimed %d pages (%d bytes); database file %d -> %d bytes%n",
                r.pages(), r.bytes(), r.fileBytesBefore(), r.fileBytesAfter());
    }
}
