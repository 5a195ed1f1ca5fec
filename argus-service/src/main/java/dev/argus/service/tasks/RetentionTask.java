package dev.argus.service.tasks;

import io.dropwizard.servlets.tasks.Task;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code POST /tasks/retention}: runs the retention cleanup now and prints what it did. */
public final class RetentionTask extends Task {
    private final RetentionService retention;

    public RetentionTask(RetentionService retention) {
        super("retention");
        this.retention = retention;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        RetentionService.CleanupReport r = retention.runCleanup();
        if (r.cutoff() == null) {
            output.printf("retention.days = 0: events are kept forever; deleted 0 events in %d ms%n", r.millis());
        } else {
            output.printf("deleted %d events received before %s in %d ms%n", r.deleted(), r.cutoff(), r.millis());
            output.printf("pruned %d event types without events%n", r.prunedTypes());
        }
        if (r.vacuum() != null) {
            VacuumTask.print(r.vacuum(), output);
        }
        RetentionService.GuardReport g = retention.runGuard();
        if (g.deleted() > 0 || g.below()) {
            output.printf("free-disk guard: deleted %d oldest events; %d MB free%s%n", g.deleted(), g.freeMbAfter(),
                    g.below() ? " (still below retention.minFreeDiskMb)" : "");
        }
        output.flush();
    }
}
