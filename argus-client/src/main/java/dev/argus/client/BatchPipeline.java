package dev.argus.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The batch path: a bounded queue that the caller never waits on, drained by daemon
 * {@code argus-sender-N} threads (started on the first event) into batch requests of up to
 * {@code batchSize} events, each sent after at most {@code flushInterval}. A failed batch is
 * retried a few times only without a spool (a re-send cannot duplicate: every event carries its
 * uuid); a batch the server refuses as invalid is re-sent one by one so only the bad events go.
 */
final class BatchPipeline {

  private final Delivery delivery;
  private final ArgusClientConfig config;
  private final ArrayBlockingQueue<ArgusEvent> queue;
  private final List<Thread> senders = new CopyOnWriteArrayList<>();
  private final Object progress = new Object();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private volatile boolean flushRequested;
  private volatile boolean closing;

  BatchPipeline(Delivery delivery) {
    this.delivery = delivery;
    this.config = delivery.config;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
  }

  /** Non-blocking hand-off; false (and counted as dropped) when closing or the queue is full. */
  boolean enqueue(ArgusEvent event) {
    if (closing) {
      delivery.dropped(1);
      return false;
    }
    if (senders.isEmpty()) {
      startSenders();
    }
    if (!queue.offer(event)) {
      delivery.dropped(1);
      delivery.warnings.warn("batch queue full (" + config.queueCapacity() + " events); dropping", null);
      return false;
    }
    accepted.incrementAndGet();
    return true;
  }

  /** Waits (at most {@code max}) until everything accepted so far has been dealt with. */
  void flush(Duration max) {
    long target = accepted.get();
    long deadline = System.nanoTime() + max.toNanos();
    flushRequested = true;
    try {
      synchronized (progress) {
        while (completed.get() < target) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || senders.isEmpty()) {
            break;
          }
          progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      flushRequested = false;
    }
  }

  /** Refuses new events from now on; false when closing had already begun. */
  boolean beginClose() {
    if (closing) {
      return false;
    }
    closing = true;
    return true;
  }

  /**
   * Ends the sender threads (after {@link Delivery#stop()}), then spools or drops what is still
   * queued.
   */
  void stopSenders() throws InterruptedException {
    for (Thread t : senders) {
      t.interrupt();
    }
    for (Thread t : senders) {
      t.join(config.timeout().toMillis() + 1000);
    }
    List<ArgusEvent> left = new ArrayList<>();
    queue.drainTo(left);
    if (!left.isEmpty()) {
      delivery.spoolOrDrop(toJson(left), "client closed before delivery");
    }
  }

  private synchronized void startSenders() {
    if (!senders.isEmpty() || closing) {
      return;
    }
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < config.senderThreads(); i++) {
      started.add(ArgusThreads.factory("argus-sender-").newThread(this::senderLoop));
    }
    senders.addAll(started);
    for (Thread t : started) {
      t.start();
    }
  }

  private void senderLoop() {
    int max = config.batchSize();
    long linger = config.flushInterval().toNanos();
    List<ArgusEvent> batch = new ArrayList<>(max);
    while (!delivery.isStopped()) {
      try {
        ArgusEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + linger;
        while (batch.size() < max) {
          queue.drainTo(batch, max - batch.size());
          if (batch.size() >= max || flushRequested || closing) {
            break;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          ArgusEvent e = queue.poll(Math.min(left, 20_000_000L), TimeUnit.NANOSECONDS);
          if (e != null) {
            batch.add(e);
          }
        }
      } catch (InterruptedException e) {
        if (delivery.isStopped()) {
          queue.drainTo(batch, max - batch.size());
        }
      }
      if (!batch.isEmpty()) {
        try {
          deliver(toJson(batch));
        } catch (RuntimeException | Error e) {
          delivery.warnings.warn("unexpected failure in batch sender", e);
          delivery.dropped(batch.size());
        }
        completed.addAndGet(batch.size());
        batch.clear();
        synchronized (progress) {
          progress.notifyAll();
        }
      }
    }
  }

  private List<String> toJson(List<ArgusEvent> events) {
    List<String> lines = new ArrayList<>(events.size());
    for (ArgusEvent e : events) {
      lines.add(delivery.json(e));
    }
    return lines;
  }

  private void deliver(List<String> lines) {
    long backoffMs = 100;
    for (int attempt = 0; ; attempt++) {
      if (!delivery.breaker.allow()) {
        delivery.spoolOrDrop(lines, "server unavailable");
        return;
      }
      HttpSender.Result r = delivery.http.postBatch(Json.array(lines));
      if (r.outcome == HttpSender.Outcome.STORED) {
        delivery.stored(lines.size());
        return;
      }
      if (r.outcome == HttpSender.Outcome.REJECTED) {
        delivery.breaker.success();
        sendIndividually(lines);
        return;
      }
      delivery.breaker.failure(r.detail);
      // Re-sending the same batch is safe: every element carries its uuid.
      if (delivery.spool != null || attempt >= 2 || closing || delivery.isStopped()) {
        delivery.spoolOrDrop(lines, r.detail);
        return;
      }
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        delivery.spoolOrDrop(lines, r.detail);
        return;
      }
      backoffMs *= 2;
    }
  }

  /** A batch is all-or-nothing on the server: find and drop only the events it refuses. */
  private void sendIndividually(List<String> lines) {
    for (String line : lines) {
      HttpSender.Result r = delivery.http.postOne(line);
      if (r.outcome == HttpSender.Outcome.STORED) {
        delivery.storedOne();
      } else if (r.outcome == HttpSender.Outcome.REJECTED) {
        delivery.discarded("server rejected an event: " + r.detail);
      } else {
        delivery.breaker.failure(r.detail);
        delivery.spoolOrDrop(Collections.singletonList(line), r.detail);
      }
    }
  }
}
