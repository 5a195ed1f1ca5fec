package dev.argus.logback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The appender configured from a real logback.xml that names every setting. */
class LogbackConfigurationIT {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort()).build();

  @Test
  void everySettingInLogbackXmlIsAcceptedAndApplied() throws Exception {
    wm.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(201)));
    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    ctx.putProperty("argus.test.url", wm.baseUrl());
    JoranConfigurator jc = new JoranConfigurator();
    jc.setContext(ctx);
    jc.doConfigure(getClass().getResource("/argus-logback.xml"));
    try {
      for (Status s : ctx.getStatusManager().getCopyOfStatusList()) {
        assertThat(s.getLevel()).as(s.toString()).isLessThan(Status.WARN);
      }
      Logger log = ctx.getLogger("com.acme.Tool");
      ctx.getMDCAdapter().put("keep", "yes");
      ctx.getMDCAdapter().put("other", "no");
      log.debug("below the minimum level");
      log.atWarn().setMessage("hello {}").addArgument("world").addKeyValue("n", 42)
          .setCause(new IllegalStateException("boom")).log();
      ctx.getMDCAdapter().clear();
    } finally {
      ctx.stop();
    }
    List<ServeEvent> served = wm.getAllServeEvents();
    assertThat(served).hasSize(1);
    String body = served.get(0).getRequest().getBodyAsString();
    assertThat(served.get(0).getRequest().getHeader("X-API-Key")).isEqualTo("test-key");
    assertThat(body).startsWith("{\"source\":\"xml-logback\",\"event_type\":\"applog\",\"level\":\"warn\","
        + "\"message\":\"hello world\",\"timestamp\":\"");
    assertThat(body).contains("\"logger\":\"com.acme.Tool\"", "\"mdc\":{\"keep\":\"yes\"}",
        "\"key_values\":{\"n\":42}", "\"caller\":{\"class\":\"" + getClass().getName() + "\"",
        "\"exception\":{\"class\":\"java.lang.IllegalStateException\",\"message\":\"boom\"",
        "\"tags\":[\"a\",\"b\"]", "\"session_id\":\"build-7\"", "\"frames_omitted\":");
  }
}
