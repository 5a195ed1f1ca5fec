package dev.argus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainHttp} through {@link HttpSender} against a scripted loopback server: each request
 * the server reads is answered with the next scripted reply (raw bytes), after which the server
 * keeps the connection for the next request or closes it, as scripted.
 */
class PlainHttpTest {

  /** One scripted reply: the bytes to write, then whether to close the connection. */
  private static final class Reply {
    final String raw;
    final boolean close;
    final boolean silent;

    Reply(String raw, boolean close, boolean silent) {
      this.raw = raw;
      this.close = close;
      this.silent = silent;
    }
  }

  private static Reply keep(String raw) {
    return new Reply(raw, false, false);
  }

  private static Reply closing(String raw) {
    return new Reply(raw, true, false);
  }

  private static Reply silent() {
    return new Reply("", false, true);
  }

  private ServerSocket server;
  private Thread acceptor;
  private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
  /** Each request as the server read it: head (request line and headers) + "\n\n" + body. */
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private HttpSender sender;

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 50);
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          connections.incrementAndGet();
          open.add(s);
          Thread t = new Thread(() -> serve(s), "scripted-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "scripted-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (sender != null) {
      sender.close();
    }
    server.close();
    acceptor.join(5000);
    for (Socket s : open) {
      s.close();
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        int length = 0;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        byte[] body = in.readNBytes(length);
        requests.add(head + "\n\n" + new String(body, StandardCharsets.UTF_8));
        Reply r = replies.poll();
        if (r == null || r.silent) {
          in.read(); // never answers; returns when the client gives up and closes
          return;
        }
        out.write(r.raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (r.close) {
          return;
        }
      }
    } catch (IOException e) {
      // the client closed
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        String s = head.toString(StandardCharsets.ISO_8859_1);
        return s.substring(0, s.length() - 4);
      }
    }
    return null;
  }

  private HttpSender sender(String key, long timeoutMs) {
    ArgusClientConfig cfg = ArgusClientConfig.builder().url("http://127.0.0.1:" + server.getLocalPort() + "/base")
        .apiKey(key).timeout(Duration.ofMillis(timeoutMs)).plainSocket(true)
        .diagnostics(ArgusDiagnostics.silent()).build();
    sender = new HttpSender(cfg);
    assertThat(sender.usesPlainSocket()).isTrue();
    return sender;
  }

  private static final String CREATED = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
      + "Content-Length: 11\r\n\r\n{\"id\":\"1\"}\n";

  @Test
  void postsTheEventWithHostKeyTypeAndLengthAndReadsA201() {
    replies.add(keep(CREATED));
    HttpSender.Result r = sender("secret-key", 5000).postOne("{\"message\":\"h\u00e9\"}");
    assertThat(r.outcome).isEqualTo(HttpSender.Outcome.STORED);
    assertThat(requests).hasSize(1);
    String req = requests.get(0);
    assertThat(req).startsWith("POST /base/events HTTP/1.1\r\n")
        .contains("\r\nHost: 127.0.0.1:" + server.getLocalPort() + "\r\n")
        .contains("\r\nContent-Type: application/json\r\n")
        .contains("\r\nX-API-Key: secret-key\r\n")
        .endsWith("\r\nContent-Length: 17\n\n{\"message\":\"h\u00e9\"}"); // é is two bytes in UTF-8
  }

  @Test
  void classifiesTheStatusAsTheHttpUrlConnectionPathDoes() {
    replies.add(keep("HTTP/1.1 401 Unauthorized\r\nContent-Length: 13\r\n\r\nmissing key\r\n"));
    replies.add(keep("HTTP/1.1 422 Unprocessable Entity\r\nContent-Length: 3\r\n\r\nbad"));
    replies.add(keep("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"));
    replies.add(keep("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    HttpSender s = sender("k", 5000);
    HttpSender.Result unauthorized = s.postOne("{}");
    assertThat(unauthorized.outcome).isEqualTo(HttpSender.Outcome.FAILED);
    assertThat(unauthorized.detail).startsWith("HTTP 401 missing key");
    HttpSender.Result invalid = s.postBatch("[{}]");
    assertThat(invalid.outcome).isEqualTo(HttpSender.Outcome.REJECTED);
    assertThat(invalid.detail).isEqualTo("HTTP 422 bad");
    assertThat(s.postOne("{}").outcome).isEqualTo(HttpSender.Outcome.FAILED);
    assertThat(s.postOne("{}").outcome).isEqualTo(HttpSender.Outcome.STORED);
    assertThat(requests.get(1)).startsWith("POST /base/events/batch HTTP/1.1\r\n");
    assertThat(connections.get()).as("one kept-alive connection for all four").isEqualTo(1);
  }

  @Test
  void readsAChunkedAnswerAndKeepsTheConnection() {
    replies.add(keep("HTTP/1.1 100 Continue\r\n\r\n"
        + "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"));
    replies.add(keep(CREATED));
    HttpSender s = sender("k", 5000);
    HttpSender.Result first = s.postOne("{}");
    assertThat(first.outcome).isEqualTo(HttpSender.Outcome.REJECTED);
    assertThat(first.detail).isEqualTo("HTTP 400 hello, world");
    assertThat(s.postOne("{}").outcome).isEqualTo(HttpSender.Outcome.STORED);
    assertThat(connections.get()).isEqualTo(1);
  }

  @Test
  void aConnectionTheServerClosesIsNotReused() {
    replies.add(keep("HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
    replies.add(closing("HTTP/1.0 201 Created\r\n\r\nread until the end"));
    replies.add(keep(CREATED));
    HttpSender s = sender("k", 5000);
    assertThat(s.postOne("{}").outcome).isEqualTo(HttpSender.Outcome.STORED);
    assertThat(s.postOne("{}").outcome).isEqualTo(HttpSender.Outcome.STORED);
    assertThat(s.postOne("{}").outcome).isEqualTo(HttpSender.Outcome.STORED);
    assertThat(connections.get()).isEqualTo(3);
    assertThat(requests).hasSize(3);
  }

  @Test
  void anIdleConnectionTheServerDroppedIsReplacedAndTheRequestSentOnce() throws Exception {
    replies.add(closing(CREATED)); // keep-alive by the headers, but the server closes right after
    replies.add(keep(CREATED));
    HttpSender s = sender("k", 5000);
    assertThat(s.postOne("{\"n\":1}").outcome).isEqualTo(HttpSender.Outcome.STORED);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (open.stream().anyMatch(x -> !x.isClosed()) && System.nanoTime() < deadline) {
      Thread.sleep(10); // until the server side has closed the first connection
    }
    assertThat(s.postOne("{\"n\":2}").outcome).isEqualTo(HttpSender.Outcome.STORED);
    assertThat(connections.get()).isEqualTo(2);
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1)).endsWith("{\"n\":2}");
  }

  @Test
  void anAnswerCutShortFails() {
    replies.add(closing("HTTP/1.1 201 Cre"));
    replies.add(closing("HTTP/1.1 201 Created\r\nContent-Length: 50\r\n\r\nonly this"));
    replies.add(closing("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc"));
    replies.add(closing("not http at all\r\n\r\n"));
    replies.add(closing(""));
    HttpSender s = sender("k", 5000);
    for (int i = 0; i < 5; i++) {
      HttpSender.Result r = s.postOne("{}");
      assertThat(r.outcome).as("answer %d", i).isEqualTo(HttpSender.Outcome.FAILED);
    }
    assertThat(requests).hasSize(5);
  }

  @Test
  void aServerThatNeverAnswersCostsTheTimeoutOnceAndTheRequestIsNotRepeated() {
    replies.add(silent());
    HttpSender s = sender("k", 400);
    long t0 = System.nanoTime();
    HttpSender.Result r = s.postOne("{}");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.outcome).isEqualTo(HttpSender.Outcome.FAILED);
    assertThat(r.detail).contains("400 ms");
    assertThat(ms).isBetween(350L, 10_000L);
    assertThat(requests).hasSize(1);
  }

  @Test
  void aKeyThatWouldBreakTheHeaderIsRefusedAndNotEchoed() {
    HttpSender.Result r = sender("abc\r\nX-Injected: 1", 5000).postOne("{}");
    assertThat(r.outcome).isEqualTo(HttpSender.Outcome.FAILED);
    assertThat(r.detail).doesNotContain("abc").doesNotContain("Injected");
    assertThat(requests).isEmpty();
  }

  @Test
  void aRefusedConnectionFails() throws IOException {
    HttpSender s = sender("k", 5000);
    server.close();
    assertThat(s.postOne("{}").outcome).isEqualTo(HttpSender.Outcome.FAILED);
  }

  @Test
  void httpsAndTheDefaultKeepHttpUrlConnection() {
    ArgusClientConfig https = ArgusClientConfig.builder().url("https://127.0.0.1:1").plainSocket(true)
        .diagnostics(ArgusDiagnostics.silent()).build();
    ArgusClientConfig plainDefault = ArgusClientConfig.builder().url("http://127.0.0.1:1")
        .diagnostics(ArgusDiagnostics.silent()).build();
    HttpSender a = new HttpSender(https);
    HttpSender b = new HttpSender(plainDefault);
    try {
      assertThat(a.usesPlainSocket()).isFalse();
      assertThat(b.usesPlainSocket()).isFalse();
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void onlyPlainHttpUrlsAreParsedByHand() {
    assertThat(PlainHttp.forUrl("http://127.0.0.1:8765", 1).path("/events")).isEqualTo("/events");
    assertThat(PlainHttp.forUrl("HTTP://argus.local/base/", 1).path("/events")).isEqualTo("/base//events");
    assertThat(PlainHttp.forUrl("http://[::1]:9000/a", 1).path("/events/batch")).isEqualTo("/a/events/batch");
    for (String other : new String[] {"https://h:1", "http://user@h:1", "http://h:1/?q=1", "http://h:x",
        "http://h:99999", "http://[::1", "http://", "ftp://h", "http://h:1/a b", "http://:80"}) {
      assertThat(PlainHttp.forUrl(other, 1)).as(other).isNull();
    }
  }

  @Test
  void talksToAnIpv6LoopbackServerToo() throws IOException {
    try (ServerSocket v6 = new ServerSocket()) {
      try {
        v6.bind(new java.net.InetSocketAddress("::1", 0));
      } catch (IOException noIpv6) {
        org.junit.jupiter.api.Assumptions.assumeTrue(false, "no IPv6 loopback here");
      }
      Thread t = new Thread(() -> {
        try (Socket s = v6.accept()) {
          String head = readHead(s.getInputStream());
          requests.add(head);
          s.getOutputStream().write(CREATED.getBytes(StandardCharsets.ISO_8859_1));
          s.getInputStream().read();
        } catch (IOException e) {
          // closed
        }
      });
      t.setDaemon(true);
      t.start();
      sender = new HttpSender(ArgusClientConfig.builder().url("http://[::1]:" + v6.getLocalPort())
          .plainSocket(true).diagnostics(ArgusDiagnostics.silent()).build());
      assertThat(sender.postOne("{}").outcome).isEqualTo(HttpSender.Outcome.STORED);
      assertThat(requests.get(0)).contains("\r\nHost: [::1]:" + v6.getLocalPort() + "\r\n");
    }
  }

  @Test
  void warmUpOpensTheConnectionTheNextRequestUses() throws Exception {
    replies.add(keep(CREATED));
    HttpSender s = sender("k", 5000);
    s.warmUp();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (connections.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5); // the server's accept thread counts it a moment after the connect
    }
    assertThat(connections.get()).isEqualTo(1);
    assertThat(requests).isEmpty();
    assertThat(s.postOne("{}").outcome).isEqualTo(HttpSender.Outcome.STORED);
    assertThat(connections.get()).isEqualTo(1);
    replies.add(closing("")); // the kept connection is dropped without an answer
    server.close();
    s.warmUp(); // refused now: ignored
    assertThat(s.postOne("{}").outcome).as("dropped, then a new connection is refused")
        .isEqualTo(HttpSender.Outcome.FAILED);
    assertThat(requests).hasSize(2);
  }
}
