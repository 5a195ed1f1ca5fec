package dev.argus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RecursionGuardTest {

  @Test
  void eventsOfTheJdkHttpStackAndOfArgusThreadsAreTheClientsOwn() {
    assertThat(ArgusClient.isOwnEvent("main", "sun.net.www.protocol.http.HttpURLConnection")).isTrue();
    assertThat(ArgusClient.isOwnEvent("main", "jdk.internal.httpclient.debug")).isTrue();
    assertThat(ArgusClient.isOwnEvent("main", "java.net.http.HttpClient")).isTrue();
    assertThat(ArgusClient.isOwnEvent("argus-sender-3", "com.acme.Tool")).isTrue();
    assertThat(ArgusClient.isOwnEvent("main", "com.acme.Tool")).isFalse();
    assertThat(ArgusClient.isOwnEvent(null, null)).isFalse();
  }

  @Test
  void aThreadIsSendingOnlyInsideTheOutermostEnterAndExit() {
    assertThat(ArgusClient.isSendingThread()).isFalse();
    boolean outer = RecursionGuard.enter();
    boolean inner = RecursionGuard.enter();
    assertThat(outer).isTrue();
    assertThat(inner).isFalse();
    RecursionGuard.exit(inner);
    assertThat(ArgusClient.isOwnEvent("main", "com.acme.Tool")).as("still inside the outer send").isTrue();
    RecursionGuard.exit(outer);
    assertThat(ArgusClient.isSendingThread()).isFalse();
  }

  @Test
  void theClientsOwnThreadsAreMarkedForTheirWholeLife() throws InterruptedException {
    AtomicBoolean sending = new AtomicBoolean();
    Thread t = ArgusThreads.factory("argus-test-").newThread(() -> sending.set(ArgusClient.isSendingThread()));
    t.start();
    t.join(10_000);
    assertThat(sending).isTrue();
    assertThat(t.isDaemon()).isTrue();
  }
}
