package dev.argus.client;

/**
 * The running part of a logging appender, the same for every framework: the client, the event
 * template and the delivery mode built once from {@link AppenderSettings}. An appender maps its
 * framework's event into a {@link LogEntry} and calls {@link #ship}.
 */
public final class LogShipper implements AutoCloseable {

  private final ArgusClient client;
  private final EventTemplate template;
  private final boolean batch;
  private final ArgusDiagnostics diagnostics;

  private LogShipper(ArgusClient client, EventTemplate template, boolean batch,
      ArgusDiagnostics diagnostics) {
    this.client = client;
    this.template = template;
    this.batch = batch;
    this.diagnostics = diagnostics;
  }

  /**
   * Builds the client of {@code settings}, reporting to {@code diagnostics} (the appender's status
   * channel) an unknown mode and every value that had to be clamped. Check
   * {@link AppenderSettings#problem()} first.
   */
  public static LogShipper start(AppenderSettings settings, ArgusDiagnostics diagnostics) {
    boolean batch = settings.batchMode(diagnostics);
    ArgusClientConfig config = settings.clientConfig(diagnostics);
    EventTemplate template = settings.eventTemplate();
    return new LogShipper(ArgusClient.create(config), template, batch, diagnostics);
  }

  /**
   * Sends (sync mode) or queues (batch mode) the entry, unless the client itself caused it
   * ({@link ArgusClient#isOwnEvent}): shipping those would feed back forever.
   */
  public void ship(LogEntry entry) {
    if (ArgusClient.isOwnEvent(entry.threadName(), entry.loggerName())) {
      return;
    }
    ArgusEvent event = template.toEvent(entry);
    if (batch) {
      client.enqueue(event);
    } else {
      client.send(event);
    }
  }

  /** True when events carry the caller's location. */
  public boolean includesCallerData() {
    return template.includesCallerData();
  }

  /** The client (for tests and diagnostics). */
  public ArgusClient client() {
    return client;
  }

  /** Closes the client (draining what it holds) and reports how many events were dropped. */
  @Override
  public void close() {
    client.close();
    long dropped = client.droppedCount();
    if (dropped > 0) {
      diagnostics.warn(dropped + " event(s) were dropped in total", null);
    }
  }
}
