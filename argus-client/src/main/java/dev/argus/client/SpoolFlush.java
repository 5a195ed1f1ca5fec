package dev.argus.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays a spool directory to the server without the tool that wrote it: what
 * {@code argus spool flush DIR} runs. It takes the directory's lock first, so it never sends what a
 * running client is replaying itself (then it reports {@link Status#LOCKED} and sends nothing);
 * lines go in the order they were spooled and a segment is deleted only after the server
 * acknowledged all of it. Lines carry their uuid, so a line the server already holds is stored once.
 */
public final class SpoolFlush {

  /** How a flush ended. */
  public enum Status {
    /** Every spooled line is now held by the server; the spool is empty. */
    FLUSHED,
    /** Another client or process holds the spool's lock (the tool is still running). */
    LOCKED,
    /** The server did not take a chunk within the time allowed; the rest stays spooled. */
    FAILED,
    /** The directory does not exist or cannot be used as a spool. */
    UNAVAILABLE
  }

  /** What a flush did. */
  public static final class Result {
    private final Status status;
    private final long delivered;
    private final long rejected;
    private final long remainingBytes;
    private final String detail;

    Result(Status status, long delivered, long rejected, long remainingBytes, String detail) {
      this.status = status;
      this.delivered = delivered;
      this.rejected = rejected;
      this.remainingBytes = remainingBytes;
      this.detail = detail;
    }

    public Status status() {
      return status;
    }

    /** Lines the server acknowledged (stored now or earlier, by uuid). */
    public long delivered() {
      return delivered;
    }

    /** Lines the server refused as invalid; they are discarded (retrying cannot help). */
    public long rejected() {
      return rejected;
    }

    /** Bytes of lines still in the spool. */
    public long remainingBytes() {
      return remainingBytes;
    }

    /** Why it stopped early, or null. */
    public String detail() {
      return detail;
    }
  }

  private SpoolFlush() {}

  /**
   * Replays {@code config.spoolDir()} to {@code config.url()} with {@code config.apiKey()}, in
   * chunks of {@code config.batchSize()}, each request bounded by {@code config.timeout()}. A
   * failing server is retried with back-off until {@code maxWait} has passed (zero: give up at
   * the first failure).
   */
  public static Result flush(ArgusClientConfig config, Duration maxWait) {
    Path dir = config.spoolDir();
    if (dir == null || !Files.isDirectory(dir)) {
      return new Result(Status.UNAVAILABLE, 0, 0, 0, "not a directory: " + dir);
    }
    Spool spool = new Spool(dir, Long.MAX_VALUE, ArgusDiagnostics.silent());
    HttpSender http = new HttpSender(config);
    AtomicLong rejected = new AtomicLong();
    long delivered = 0;
    try {
      if (!spool.open()) {
        return spool.lockedByOther()
            ? new Result(Status.LOCKED, 0, 0, 0, "the spool " + dir + " is in use by a running client,"
                + " which replays it itself")
            : new Result(Status.UNAVAILABLE, 0, 0, 0, "cannot use " + dir + " as a spool");
      }
      long deadline = System.nanoTime() + Math.max(0, maxWait.toNanos());
      long backoffMs = 100;
      while (true) {
        SpoolReplay.Step step = SpoolReplay.replayOne(spool, http, config.batchSize(),
            config.timeout().toNanos(), d -> rejected.incrementAndGet());
        if (step.kind == SpoolReplay.Kind.EMPTY) {
          return new Result(Status.FLUSHED, delivered, rejected.get(), spool.pendingBytes(), null);
        }
        if (step.kind == SpoolReplay.Kind.DELIVERED) {
          delivered += step.lines;
          backoffMs = 100;
          continue;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return new Result(Status.FAILED, delivered, rejected.get(), spool.pendingBytes(), step.detail);
        }
        try {
          Thread.sleep(Math.max(1, Math.min(backoffMs, left / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Result(Status.FAILED, delivered, rejected.get(), spool.pendingBytes(), "interrupted");
        }
        backoffMs = Math.min(backoffMs * 2, 2000);
      }
    } finally {
      spool.close();
      http.close();
    }
  }
}
