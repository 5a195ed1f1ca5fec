package dev.argus.it.appenders;

import java.util.Map;

/** The shared appender behaviour, run against the Log4j2 {@code <Argus>} plugin. */
class Log4j2AppenderIT extends AbstractAppenderIT {

  @Override
  AppenderHarness start(Map<String, String> settings) {
    return new Log4j2Harness(settings);
  }

  @Override
  String framework() {
    return "log4j2";
  }

  @Override
  String callerDataSetting() {
    return "includeLocation";
  }
}
