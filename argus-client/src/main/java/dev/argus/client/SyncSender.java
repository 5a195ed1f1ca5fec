package dev.argus.client;

import java.util.Collections;

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
}
