package dev.argus.service.health;

import com.codahale.metrics.health.HealthCheck;

import java.nio.file.Files;
import java.nio.file.Path;

/** Healthy while the database's file system has more than the configured free space. */
public final class DiskSpaceHealthCheck extends HealthCheck {
    private final Path folder;
    private final long minFreeMb;

    public DiskSpaceHealthCheck(Path folder, long minFreeMb) {
        this.folder = folder;
        this.minFreeMb = minFreeMb;
    }

    @Override
    protected Result check() throws Exception {
        long freeMb = Files.getFileStore(folder).getUsableSpace() / (1024 * 1024);
        if (minFreeMb > 0 && freeMb < minFreeMb) {
            return Result.builder().unhealthy()
                    .withMessage("free disk %d MB is below retention.minFreeDiskMb = %d MB", freeMb, minFreeMb)
                    .withDetail("freeMb", freeMb).build();
        }
        return Result.builder().healthy().withMessage("%d MB free", freeMb).withDetail("freeMb", freeMb).build();
    }
}
