package dev.argus.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test fake: keeps every message the client reports, as an appender's status channel would. */
final class RecordingDiagnostics implements ArgusDiagnostics {

  final List<String> warnings = new CopyOnWriteArrayList<>();
  final List<String> infos = new CopyOnWriteArrayList<>();

  @Override
  public void warn(String message, Throwable error) {
    warnings.add(message);
  }

  @Override
  public void info(String message) {
    infos.add(message);
  }
}
