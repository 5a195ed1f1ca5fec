package dev.argus.log4j2;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.async.AsyncLoggerConfig;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Log4j2-only behaviour: a real log4j2.xml, reconfiguration at runtime, async loggers. */
class Log4j2ConfigurationIT {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort()).build();

  private LoggerContext ctx;

  @BeforeEach
  void stub() {
    System.setProperty("argus.test.url", wm.baseUrl());
    wm.stubFor(post(urlMatching("/events(/batch)?")).willReturn(aResponse().withStatus(201)
        .withBody("{\"status\":\"captured\"}")));
  }

  @AfterEach
  void stop() {
    if (ctx != null) {
      Configurator.shutdown(ctx);
    }
  }

  private LoggerContext load(String name, String resource) throws Exception {
    URI uri = getClass().getResource("/" + resource).toURI();
    return Configurator.initialize(name, getClass().getClassLoader(), uri);
  }

  /** Every event object the server answered 2xx for, oldest request first. */
  private static List<String> delivered() {
    List<ServeEvent> serve = new ArrayList<>(wm.getAllServeEvents());
    Collections.reverse(serve);
    List<String> out = new ArrayList<>();
    Pattern obj = Pattern.compile("\\{\"source\".*?\"uuid\":\"[^\"]+\"\\}");
    for (ServeEvent se : serve) {
      if (se.getResponse().getStatus() / 100 == 2) {
        Matcher m = obj.matcher(se.getRequest().getBodyAsString());
        while (m.find()) {
          out.add(m.group());
        }
      }
    }
    return out;
  }

  private static List<String> field(List<String> events, String name) {
    List<String> out = new ArrayList<>();
    Pattern p = Pattern.compile("\"" + name + "\":\"([^\"]*)\"");
    for (String e : events) {
      Matcher m = p.matcher(e);
      out.add(m.find() ? m.group(1) : null);
    }
    return out;
  }

  @Test
  void pluginIsConfiguredFromLog4j2XmlAndMapsFatal() throws Exception {
    ctx = load("xml-sync", "argus-sync.xml");
    Object appender = ctx.getConfiguration().getAppender("argus");
    assertThat(appender).isInstanceOf(ArgusAppender.class);
    Logger log = ctx.getLogger("com.acme.Tool");
    ThreadContext.put("keep", "yes");
    ThreadContext.put("drop", "no");
    try {
      log.debug("below the minimum level");
      log.info("info line");
      log.fatal("fatal line", new IllegalStateException("boom"));
    } finally {
      ThreadContext.clearMap();
    }
    List<String> events = delivered();
    assertThat(events).hasSize(2);
    assertThat(field(events, "source")).containsOnly("xml-sync");
    assertThat(field(events, "event_type")).containsOnly("applog");
    assertThat(field(events, "level")).containsExactly("info", "fatal");
    assertThat(field(events, "message")).containsExactly("info line", "fatal line");
    assertThat(events.get(0)).contains("\"tags\":[\"a\",\"b\"]").contains("\"mdc\":{\"keep\":\"yes\"}")
        .contains("\"logger\":\"com.acme.Tool\"");
    assertThat(events.get(1)).contains("\"exception\":{\"class\":\"java.lang.IllegalStateException\",\"message\":\"boom\"");
    for (ServeEvent se : wm.getAllServeEvents()) {
      assertThat(se.getRequest().getHeader("X-API-Key")).isEqualTo("test-key");
    }
  }

  @Test
  void reconfigurationAtRuntimeSwitchesSettingsAndLosesNothing() throws Exception {
    ctx = load("reconfigure", "argus-batch.xml");
    Logger log = ctx.getLogger("com.acme.Tool");
    for (int i = 0; i < 250; i++) {
      log.info("before {}", i);
    }
    ctx.setConfigLocation(getClass().getResource("/argus-sync.xml").toURI());
    assertThat(ctx.getConfiguration().getName()).isEqualTo("argus-sync");
    log.warn("after");
    List<String> events = delivered();
    List<String> sources = field(events, "source");
    assertThat(sources.stream().filter("xml-batch"::equals)).hasSize(250);
    assertThat(sources.stream().filter("xml-sync"::equals)).hasSize(1);
    assertThat(field(events, "uuid")).doesNotHaveDuplicates();
  }

  @Test
  void worksWithAsyncLoggersIncludingLocation() throws Exception {
    ctx = load("async", "argus-async.xml");
    assertThat(ctx.getConfiguration().getLoggerConfig("async")).isInstanceOf(AsyncLoggerConfig.class);
    Logger log = ctx.getLogger("async");
    for (int i = 0; i < 1000; i++) {
      log.info("async {}", i);
    }
    Configurator.shutdown(ctx); // drains the ring buffer, then stops the appender (drains its queue)
    ctx = null;
    List<String> events = delivered();
    assertThat(events).hasSize(1000);
    assertThat(field(events, "message")).doesNotHaveDuplicates().contains("async 0", "async 999");
    assertThat(events.get(0)).contains("\"caller\":{\"class\":\"" + getClass().getName() + "\"")
        .contains("\"method\":\"worksWithAsyncLoggersIncludingLocation\"");
  }
}
