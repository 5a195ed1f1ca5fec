package dev.argus.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Append-only on-disk queue of event JSON lines. Lines go into numbered segment files
 * ({@code segment-N.ndjson}), each append fsynced before it returns. Replay reads the oldest
 * segment from its acknowledged offset ({@code segment-N.ack}, also fsynced) and a segment is
 * deleted only once the server acknowledged every line in it. A crash between the server's answer
 * and the ack write re-sends lines the server already holds, which it deduplicates by uuid.
 *
 * <p>One process at a time owns a spool directory (a file lock); a client that cannot get the lock
 * keeps trying and treats the spool as unavailable meanwhile.
 */
final class Spool {

  /** Lines read for replay plus where they end, for {@link #ack(Chunk)}. */
  static final class Chunk {
    final long segment;
    final long endOffset;
    final List<String> lines;

    Chunk(long segment, long endOffset, List<String> lines) {
      this.segment = segment;
      this.endOffset = endOffset;
      this.lines = lines;
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final ArgusDiagnostics diagnostics;
  /** segment number -> acknowledged offset. */
  private final TreeMap<Long, Long> segments = new TreeMap<>();
  private FileChannel lockChannel;
  private FileLock lock;
  private long lastLockAttempt;
  private boolean lockedByOther;
  private FileChannel writer;
  private long writerSegment = -1;
  private long totalBytes;
  private boolean closed;

  Spool(Path dir, long maxBytes, ArgusDiagnostics diagnostics) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.diagnostics = diagnostics;
  }

  /** Appends and fsyncs the lines; false when the spool is unavailable or full. */
  synchronized boolean append(List<String> lines) {
    if (!ensureOpen()) {
      return false;
    }
    byte[] bytes = join(lines);
    if (totalBytes + bytes.length > maxBytes) {
      return false;
    }
    try {
      if (writer == null) {
        long next = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        writer = FileChannel.open(segmentFile(next), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        writerSegment = next;
        segments.put(next, 0L);
        fsyncDir();
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        writer.write(buf);
      }
      writer.force(false);
      totalBytes += bytes.length;
      return true;
    } catch (IOException e) {
      diagnostics.warn("cannot write spool " + dir, e);
      closeWriter();
      return false;
    }
  }

  /**
   * Takes the directory's lock now if it is free (no retry back-off); false when another client
   * holds it ({@link #lockedByOther()}) or the directory cannot be used.
   */
  synchronized boolean open() {
    lastLockAttempt = 0;
    return ensureOpen();
  }

  /** True when the last attempt to take the lock found it held by another client or process. */
  synchronized boolean lockedByOther() {
    return lockedByOther;
  }

  /** Bytes of lines not yet acknowledged by the server. */
  synchronized long pendingBytes() {
    return lock == null ? 0 : totalBytes;
  }

  synchronized boolean isEmpty() {
    if (!ensureOpen()) {
      return true;
    }
    return totalBytes == 0 && segments.isEmpty();
  }

  /** Up to {@code max} unacknowledged lines from the oldest segment, or null when empty. */
  synchronized Chunk next(int max) {
    if (!ensureOpen()) {
      return null;
    }
    while (!segments.isEmpty()) {
      long seg = segments.firstKey();
      long offset = segments.get(seg);
      if (seg == writerSegment) {
        closeWriter(); // later appends go to a new segment; this one is now immutable
      }
      Path file = segmentFile(seg);
      List<String> lines = new ArrayList<>();
      long end = offset;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 65536)) {
        skipFully(in, offset);
        ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        int b;
        long pos = offset;
        while (lines.size() < max && (b = in.read()) >= 0) {
          pos++;
          if (b == '\n') {
            if (line.size() > 0) {
              lines.add(new String(line.toByteArray(), StandardCharsets.UTF_8));
            }
            line.reset();
            end = pos;
          } else {
            line.write(b);
          }
        }
        // bytes after the last newline are a torn write from a crash: never acknowledged, dropped
      } catch (IOException e) {
        diagnostics.warn("cannot read spool segment " + file, e);
        return null;
      }
      if (lines.isEmpty()) {
        remove(seg);
        continue;
      }
      return new Chunk(seg, end, lines);
    }
    return null;
  }

  /** Records that the server holds the chunk's lines; deletes the segment when all are held. */
  synchronized void ack(Chunk chunk) {
    if (!segments.containsKey(chunk.segment)) {
      return;
    }
    try {
      long size = Files.size(segmentFile(chunk.segment));
      if (chunk.endOffset >= size && chunk.segment != writerSegment) {
        remove(chunk.segment);
        return;
      }
      Path ack = ackFile(chunk.segment);
      try (FileChannel ch = FileChannel.open(ack, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(Long.toString(chunk.endOffset).getBytes(StandardCharsets.US_ASCII)));
        ch.force(false);
      }
      long before = segments.put(chunk.segment, chunk.endOffset);
      totalBytes -= chunk.endOffset - before;
    } catch (IOException e) {
      diagnostics.warn("cannot record spool progress in " + dir, e);
    }
  }

  synchronized void close() {
    closed = true;
    closeWriter();
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException ignored) {
      // releasing a lock on a closing channel; nothing to do
    }
    lock = null;
    lockChannel = null;
  }

  private boolean ensureOpen() {
    if (lock != null) {
      return true;
    }
    if (closed) {
      return false;
    }
    long now = System.nanoTime();
    if (lastLockAttempt != 0 && now - lastLockAttempt < 1_000_000_000L) {
      return false;
    }
    lastLockAttempt = now;
    try {
      Files.createDirectories(dir);
      lockChannel = FileChannel.open(dir.resolve("spool.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      lockedByOther = lock == null;
      if (lock == null) {
        lockChannel.close();
        lockChannel = null;
        diagnostics.warn("spool directory " + dir + " is in use by another client; retrying", null);
        return false;
      }
      load();
      return true;
    } catch (IOException e) {
      diagnostics.warn("cannot open spool directory " + dir, e);
      return false;
    }
  }

  private void load() throws IOException {
    segments.clear();
    totalBytes = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith("segment-") && name.endsWith(".ndjson")) {
          try {
            long seg = Long.parseLong(name.substring(8, name.length() - 7));
            long acked = readAck(seg);
            segments.put(seg, acked);
            totalBytes += Math.max(0, Files.size(p) - acked);
          } catch (NumberFormatException ignored) {
            // not ours
          }
        }
      }
    }
    if (!segments.isEmpty()) {
      diagnostics.info("spool " + dir + " holds " + totalBytes + " bytes to replay");
    }
  }

  private long readAck(long seg) {
    try {
      Path ack = ackFile(seg);
      if (!Files.exists(ack)) {
        return 0;
      }
      String s = new String(Files.readAllBytes(ack), StandardCharsets.US_ASCII).trim();
      return s.isEmpty() ? 0 : Long.parseLong(s);
    } catch (IOException | NumberFormatException e) {
      return 0; // replaying from the start is safe: the server deduplicates by uuid
    }
  }

  private void remove(long seg) {
    try {
      long acked = segments.getOrDefault(seg, 0L);
      Path file = segmentFile(seg);
      long size = Files.exists(file) ? Files.size(file) : acked;
      totalBytes -= Math.max(0, size - acked);
      if (totalBytes < 0) {
        totalBytes = 0;
      }
      Files.deleteIfExists(file);
      Files.deleteIfExists(ackFile(seg));
    } catch (IOException e) {
      diagnostics.warn("cannot delete spool segment " + seg + " in " + dir, e);
    }
    segments.remove(seg);
  }

  private void closeWriter() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException ignored) {
        // data was already forced
      }
      writer = null;
      writerSegment = -1;
    }
  }

  private void fsyncDir() {
    // Makes the new file's directory entry durable; not supported on every platform.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort (e.g. Windows cannot open directories)
    }
  }

  private Path segmentFile(long seg) {
    return dir.resolve(String.format("segment-%016d.ndjson", seg));
  }

  private Path ackFile(long seg) {
    return dir.resolve(String.format("segment-%016d.ack", seg));
  }

  private static byte[] join(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    while (n > 0) {
      long s = in.skip(n);
      if (s <= 0) {
        if (in.read() < 0) {
          return;
        }
        s = 1;
      }
      n -= s;
    }
  }
}
