package dev.argus.it.appenders;

import java.util.Map;

/** The shared appender behaviour, run against {@code dev.argus.logback.ArgusAppender}. */
class LogbackAppenderIT extends AbstractAppenderIT {

  @Override
  AppenderHarness start(Map<String, String> settings) {
    return new LogbackHarness(settings);
  }

  @Override
  String framework() {
    return "logback";
  }

  @Override
  String callerDataSetting() {
    return "includeCallerData";
  }
}
