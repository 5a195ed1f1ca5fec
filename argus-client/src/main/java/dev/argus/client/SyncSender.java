package dev.argus.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sends one event and waits for the server's commit, within the configured timeout. While the
 * circuit breaker is open it answers at once without touching the network; what it could not
 * deliver goes to the spool when there is one.
 */
final class SyncSender {

  private final Delivery delivery;

  SyncSender(Delivery delivery) {
    this.delivery = delivery;
  }

  /** True when the server stored the event. Never throws. */
  boolean send(ArgusEvent event) {
    boolean entered = RecursionGuard.enter();
    try {
      String json = delivery.json(event);
      if (delivery.isStopped() || !delivery.breaker.allow()) {
        delivery.spoolOrDrop(Collections.singletonList(json), "server unavailable");
        return false;
      }
      HttpSender.Result r = delivery.http.postOne(json);
      switch (r.outcome) {
        case STORED:
          delivery.stored(1);
          return true;
        case REJECTED:
          delivery.refused(r.detail);
          return false;
        default:
          delivery.breaker.failure(r.detail);
          delivery.spoolOrDrop(Collections.singletonList(json), r.detail);
          return false;
      }
    } catch (RuntimeException | Error e) {
      delivery.warnings.warn("unexpected failure while sending", e);
      return false;
    } finally {
      RecursionGuard.exit(entered);
    }
  }

  /** One request for all of {@code events}; true when the server stored them all. Never throws. */
  boolean sendAll(List<ArgusEvent> events) {
    if (events.isEmpty()) {
      return true;
    }
    if (events.size() == 1) {
      return send(events.get(0));
    }
    boolean entered = RecursionGuard.enter();
    try {
      List<String> lines = new ArrayList<>(events.size());
      for (ArgusEvent e : events) {
        lines.add(delivery.json(e));
      }
      if (delivery.isStopped() || !delivery.breaker.allow()) {
        delivery.spoolOrDrop(lines, "server unavailable");
        return false;
      }
      HttpSender.Result r = delivery.http.postBatch(Json.array(lines));
      switch (r.outcome) {
        case STORED:
          delivery.stored(lines.size());
          return true;
        case REJECTED:
          delivery.breaker.success();
          boolean all = true;
          for (ArgusEvent e : events) {
            all &= send(e);
          }
          return all;
        default:
          delivery.breaker.failure(r.detail);
          delivery.spoolOrDrop(lines, r.detail);
          return false;
      }
    } catch (RuntimeException | Error e) {
      delivery.warnings.warn("unexpected failure while sending", e);
      return false;
    } finally {
      RecursionGuard.exit(entered);
    }
  }
}
