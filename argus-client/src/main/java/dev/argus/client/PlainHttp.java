package dev.argus.client;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * HTTP/1.1 {@code POST}s over plain sockets, for {@code http://} URLs when
 * {@link ArgusClientConfig.Builder#plainSocket(boolean)} is on: a fixed request (Host,
 * Content-Type, User-Agent, the API key, Content-Length) and an answer read by its status line
 * and framing (Content-Length, chunked, or until the server closes). Connections the server keeps
 * alive wait in a small idle pool for the next request; one that the server closed meanwhile
 * fails before any answer and the request is sent once more on a new connection (events carry
 * uuids, so a repeat is stored once). {@code HttpURLConnection} loads ~200 JDK classes on first
 * use; this loads the socket's few dozen.
 */
final class PlainHttp {
  /** Bytes of an answer's body kept for the error message; the rest is read and dropped. */
  static final int BODY_KEEP = 4096;
  private static final int LINE_MAX = 8192;

  /** The status and (the start of) the body of one answer. */
  static final class Answer {
    final int status;
    final String body;

    Answer(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  /** The caller's exchange: takes the connection so that a caller who gives up can close it. */
  interface Holder {
    /** False when the exchange was aborted already (the connection is then closed, not used). */
    boolean hold(Closeable connection);
  }

  private final String host;
  private final int port;
  private final String hostHeader;
  private final String basePath;
  private final int maxIdle;
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  private PlainHttp(String host, int port, String hostHeader, String basePath, int maxIdle) {
    this.host = host;
    this.port = port;
    this.hostHeader = hostHeader;
    this.basePath = basePath;
    this.maxIdle = maxIdle;
  }

  /**
   * For a plain {@code http://host[:port][/path]} (host a name, IPv4 or bracketed IPv6), else null
   * (https, user info, a query, anything unusual: the caller keeps {@code HttpURLConnection}).
   * Parsed by hand: {@code java.net.URL} would look up its protocol handlers through a service loader.
   */
  static PlainHttp forUrl(String url, int maxIdle) {
    if (url.length() < 8 || !url.regionMatches(true, 0, "http://", 0, 7)) {
      return null;
    }
    int slash = url.indexOf('/', 7);
    String authority = slash < 0 ? url.substring(7) : url.substring(7, slash);
    String path = slash < 0 ? "" : url.substring(slash);
    if (authority.isEmpty() || authority.indexOf('@') >= 0 || url.indexOf('?') >= 0 || url.indexOf('#') >= 0
        || url.indexOf(' ') >= 0 || url.indexOf('%') >= 0) {
      return null;
    }
    String host;
    String portText;
    if (authority.charAt(0) == '[') {
      int close = authority.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = authority.substring(1, close);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty() && rest.charAt(0) != ':') {
        return null;
      }
      portText = rest.isEmpty() ? null : rest.substring(1);
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
    }
    int port = 80;
    if (portText != null) {
      if (portText.isEmpty() || portText.length() > 5) {
        return null;
      }
      port = 0;
      for (int i = 0; i < portText.length(); i++) {
        char c = portText.charAt(i);
        if (c < '0' || c > '9') {
          return null;
        }
        port = port * 10 + (c - '0');
      }
      if (port > 65535) {
        return null;
      }
    }
    if (host.isEmpty()) {
      return null;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return null;
      }
    }
    return new PlainHttp(host, port, authority, path, maxIdle);
  }

  /** The request target for {@code suffix} under the configured path. */
  String path(String suffix) {
    return basePath + suffix;
  }

  /**
   * Sends {@code body} to {@code path} and reads the answer; each connect waits at most
   * {@code connectMillis}, each read {@code readMillis}. Throws on any connection problem.
   */
  Answer post(String path, byte[] body, String apiKey, int connectMillis, int readMillis, Holder holder)
      throws IOException {
    byte[] request = request(path, body, apiKey);
    Connection reused = takeIdle();
    if (reused != null) {
      if (!holder.hold(reused)) {
        reused.close();
        throw new IOException("aborted");
      }
      try {
        reused.socket.setSoTimeout(readMillis);
        return exchange(reused, request);
      } catch (Stale e) {
        reused.close(); // the server closed it while it was idle: once more on a new connection
      }
    }
    // NO_PROXY as for HttpURLConnection (and no SOCKS implementation or proxy selector to load)
    Connection fresh = new Connection(new Socket(Proxy.NO_PROXY));
    if (!holder.hold(fresh)) {
      fresh.close();
      throw new IOException("aborted");
    }
    try {
      fresh.socket.connect(new InetSocketAddress(host, port), connectMillis);
      fresh.socket.setTcpNoDelay(true);
      fresh.socket.setSoTimeout(readMillis);
      fresh.open();
      return exchange(fresh, request);
    } catch (Stale e) {
      throw new EOFException("connection closed before an answer");
    }
  }

  /**
   * Connects one socket into the idle pool (marked as reused: if the server drops it before the
   * next request, that request goes on a new connection). Any failure is ignored.
   */
  void preconnect(int connectMillis) {
    Connection c = new Connection(new Socket(Proxy.NO_PROXY));
    try {
      c.socket.connect(new InetSocketAddress(host, port), connectMillis);
      c.socket.setTcpNoDelay(true);
      c.open();
    } catch (IOException | RuntimeException e) {
      c.close();
      return;
    }
    release(c);
  }

  private byte[] request(String path, byte[] body, String apiKey) {
    StringBuilder h = new StringBuilder(160);
    h.append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(hostHeader)
        .append("\r\nContent-Type: application/json\r\nUser-Agent: argus-client\r\n");
    if (apiKey != null && !apiKey.isEmpty()) {
      for (int i = 0; i < apiKey.length(); i++) {
        char c = apiKey.charAt(i);
        if (c < 0x20 && c != '\t' || c > 0x7e) {
          // as HttpURLConnection does for CR/LF; the key itself is never put in the message
          throw new IllegalArgumentException("the API key contains a character not allowed in a header");
        }
      }
      h.append("X-API-Key: ").append(apiKey).append("\r\n");
    }
    h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** One request and its answer; the connection goes back to the pool when the server keeps it. */
  private Answer exchange(Connection c, byte[] request) throws IOException {
    boolean done = false;
    try {
      c.answered = false;
      try {
        c.out.write(request);
        c.out.flush();
      } catch (IOException e) {
        if (c.reused) {
          throw new Stale();
        }
        throw e;
      }
      int status;
      boolean http11;
      long length;
      boolean chunked;
      boolean close;
      while (true) {
        String line;
        try {
          line = c.readLine(true);
        } catch (SocketTimeoutException e) {
          throw e; // the server is there but silent: never sent twice
        } catch (IOException e) {
          if (c.reused && !c.answered) {
            throw new Stale(); // reset by a server that had closed it
          }
          throw e;
        }
        if (line == null) {
          if (c.reused && !c.answered) {
            throw new Stale();
          }
          throw new EOFException("connection closed before the status line");
        }
        // "HTTP/1.1 201 Created"
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
          throw new IOException("not an HTTP answer: " + abbreviate(line));
        }
        http11 = line.charAt(7) != '0';
        status = parseStatus(line);
        length = -1;
        chunked = false;
        close = !http11;
        String header;
        while ((header = c.readLine(false)) != null && !header.isEmpty()) {
          int colon = header.indexOf(':');
          if (colon <= 0) {
            continue;
          }
          String name = header.substring(0, colon).trim();
          String value = header.substring(colon + 1).trim();
          if (name.equalsIgnoreCase("Content-Length")) {
            length = parseLength(value);
          } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            chunked = value.toLowerCase(java.util.Locale.ROOT).endsWith("chunked");
          } else if (name.equalsIgnoreCase("Connection")) {
            String v = value.toLowerCase(java.util.Locale.ROOT);
            close = v.contains("close") || (!http11 && !v.contains("keep-alive"));
          }
        }
        if (header == null) {
          throw new EOFException("connection closed in the headers");
        }
        if (status >= 200 || status == 101) {
          break;
        }
        // 1xx interim answer (100 Continue, 103 Early Hints): the real one follows
      }
      Body b = new Body();
      if (status == 204 || status == 304) {
        // no body
      } else if (chunked) {
        readChunked(c, b);
      } else if (length >= 0) {
        c.copy(length, b);
      } else {
        c.copyToEnd(b);
        close = true;
      }
      done = true;
      if (close) {
        c.close();
      } else {
        release(c);
      }
      return new Answer(status, b.text());
    } finally {
      if (!done) {
        c.close();
      }
    }
  }

  private static void readChunked(Connection c, Body b) throws IOException {
    while (true) {
      String line = c.readLine(false);
      if (line == null) {
        throw new EOFException("connection closed in a chunked body");
      }
      int semi = line.indexOf(';');
      String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size: " + abbreviate(line));
      }
      if (size < 0) {
        throw new IOException("bad chunk size: " + abbreviate(line));
      }
      if (size == 0) {
        String trailer;
        while ((trailer = c.readLine(false)) != null && !trailer.isEmpty()) {
          // trailers are ignored
        }
        if (trailer == null) {
          throw new EOFException("connection closed in the trailers");
        }
        return;
      }
      c.copy(size, b);
      String end = c.readLine(false);
      if (end == null || !end.isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
    }
  }

  private static int parseStatus(String line) throws IOException {
    int s = 0;
    for (int i = 9; i < 12; i++) {
      char ch = line.charAt(i);
      if (ch < '0' || ch > '9') {
        throw new IOException("bad status line: " + abbreviate(line));
      }
      s = s * 10 + (ch - '0');
    }
    if (line.length() > 12 && line.charAt(12) != ' ') {
      throw new IOException("bad status line: " + abbreviate(line));
    }
    return s;
  }

  private static long parseLength(String v) throws IOException {
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new IOException("bad Content-Length: " + abbreviate(v));
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length: " + abbreviate(v));
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }

  private Connection takeIdle() {
    synchronized (idle) {
      Connection c;
      while ((c = idle.pollLast()) != null) {
        if (!c.socket.isClosed()) {
          return c;
        }
      }
      return null;
    }
  }

  private void release(Connection c) {
    c.reused = true;
    synchronized (idle) {
      if (!closed && idle.size() < maxIdle) {
        idle.addLast(c);
        return;
      }
    }
    c.close();
  }

  /** Idle connections kept now (tests). */
  int idleCount() {
    synchronized (idle) {
      return idle.size();
    }
  }

  /** Closes the idle connections; later answers close theirs. */
  void close() {
    synchronized (idle) {
      closed = true;
      Connection c;
      while ((c = idle.pollLast()) != null) {
        c.close();
      }
    }
  }

  /** A reused connection failed before any answer: the server had closed it. */
  private static final class Stale extends IOException {
    Stale() {
      super("stale connection");
    }
  }

  /** The start of a body, as text for error messages. */
  private static final class Body {
    private final byte[] kept = new byte[BODY_KEEP];
    private int size;

    void add(byte[] buf, int off, int n) {
      int take = Math.min(n, kept.length - size);
      if (take > 0) {
        System.arraycopy(buf, off, kept, size, take);
        size += take;
      }
    }

    String text() {
      return new String(kept, 0, size, StandardCharsets.UTF_8);
    }
  }

  /** A socket with its own read buffer (answers are read by line, then by length). */
  private static final class Connection implements Closeable {
    final Socket socket;
    InputStream in;
    OutputStream out;
    boolean reused;
    /** Some byte of an answer to the current request arrived. */
    boolean answered;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int lim;

    Connection(Socket socket) {
      this.socket = socket;
    }

    void open() throws IOException {
      in = socket.getInputStream();
      out = socket.getOutputStream();
    }

    private boolean fill() throws IOException {
      pos = 0;
      lim = 0;
      int n = in.read(buf, 0, buf.length);
      if (n <= 0) {
        return false;
      }
      lim = n;
      answered = true;
      return true;
    }

    /**
     * One line without its CRLF (or LF); null at the end of the stream before any byte of it.
     * {@code first}: the status line, whose time-out is reported as such.
     */
    String readLine(boolean first) throws IOException {
      StringBuilder line = new StringBuilder(64);
      boolean any = false;
      while (true) {
        if (pos == lim) {
          boolean more;
          try {
            more = fill();
          } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException(first && !any ? "no answer within the read time-out"
                : "answer stopped within the read time-out");
          }
          if (!more) {
            if (any) {
              throw new EOFException("connection closed in the middle of a line");
            }
            return null;
          }
        }
        byte b = buf[pos++];
        any = true;
        if (b == '\n') {
          int len = line.length();
          if (len > 0 && line.charAt(len - 1) == '\r') {
            line.setLength(len - 1);
          }
          return line.toString();
        }
        if (line.length() >= LINE_MAX) {
          throw new IOException("line longer than " + LINE_MAX + " bytes in the answer");
        }
        line.append((char) (b & 0xff));
      }
    }

    void copy(long n, Body body) throws IOException {
      while (n > 0) {
        if (pos == lim && !fill()) {
          throw new EOFException("connection closed in the body");
        }
        int take = (int) Math.min(n, lim - pos);
        body.add(buf, pos, take);
        pos += take;
        n -= take;
      }
    }

    void copyToEnd(Body body) throws IOException {
      while (true) {
        if (pos == lim && !fill()) {
          return;
        }
        body.add(buf, pos, lim - pos);
        pos = lim;
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
