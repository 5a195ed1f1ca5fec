package dev.argus.client;

import java.util.function.Consumer;

/**
 * One replay step over a {@link Spool}: send its oldest chunk as one batch and acknowledge it once
 * the server holds it. Shared by the client's replay thread, its drain on close and
 * {@link SpoolFlush}. Lines are acknowledged only after the server's 2xx; a chunk re-sent after a
 * crash or a lost answer is stored once, because every line carries its uuid.
 */
final class SpoolReplay {

  enum Kind {
    /** Nothing left to send. */
    EMPTY,
    /** The oldest chunk is now held by the server (or refused as invalid and discarded). */
    DELIVERED,
    /** The server did not take the chunk; nothing was acknowledged. */
    FAILED
  }

  static final class Step {
    final Kind kind;
    final int lines;
    final String detail;

    Step(Kind kind, int lines, String detail) {
      this.kind = kind;
      this.lines = lines;
      this.detail = detail;
    }
  }

  private SpoolReplay() {}

  /**
   * Sends up to {@code batchSize} of the oldest lines within {@code budgetNanos}. A batch the
   * server refuses as invalid (4xx) is re-sent line by line so that only the refused lines are
   * lost; each of those is passed to {@code onReject}.
   */
  static Step replayOne(Spool spool, HttpSender http, int batchSize, long budgetNanos,
      Consumer<String> onReject) {
    Spool.Chunk chunk = spool.next(batchSize);
    if (chunk == null) {
      return new Step(Kind.EMPTY, 0, null);
    }
    HttpSender.Result r = http.postBatch(Json.array(chunk.lines), budgetNanos);
    if (r.outcome == HttpSender.Outcome.STORED) {
      spool.ack(chunk);
      return new Step(Kind.DELIVERED, chunk.lines.size(), null);
    }
    if (r.outcome == HttpSender.Outcome.REJECTED) {
      for (String line : chunk.lines) {
        HttpSender.Result one = http.postOne(line);
        if (one.outcome == HttpSender.Outcome.FAILED) {
          return new Step(Kind.FAILED, 0, one.detail); // nothing acknowledged; replayed later (uuid dedup)
        }
        if (one.outcome == HttpSender.Outcome.REJECTED) {
          onReject.accept(one.detail);
        }
      }
      spool.ack(chunk);
      return new Step(Kind.DELIVERED, chunk.lines.size(), null);
    }
    return new Step(Kind.FAILED, 0, r.detail);
  }
}
