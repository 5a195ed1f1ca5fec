package dev.argus.service.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventParserTest {
    private final EventParser parser = new EventParser();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsDataTextExactlyOnEveryNdjsonLine() throws Exception {
        String l1 = "{\"source\":\"a\",\"event_type\":\"t\",\"data\":{\"n\":1.10}}";
        String l2 = "  {\"data\":{\"x\":[\"é\",12345678901234567890]},\"source\":\"b\",\"event_type\":\"t\"}";
        byte[] body = b(l1 + "\n" + l2 + "\n");
        EventParser.Result r = parser.parseNdjson(body, body.length, 10, 0);
        assertThat(r.errors()).isEmpty();
        assertThat(r.events().get(0).dataJson()).isEqualTo("{\"n\":1.10}");
        assertThat(r.events().get(1).dataJson()).isEqualTo("{\"x\":[\"é\",12345678901234567890]}");
    }

    @Test
    void keepsDataTextInsideArrays() throws Exception {
        byte[] body = b("[{\"source\":\"a\",\"event_type\":\"t\",\"data\":{\"k\":\"v\"}},"
                + "{\"source\":\"a\",\"event_type\":\"t\",\"data\":{\"k2\":{\"deep\":true}}}]");
        EventParser.Result r = parser.parseArray(body, body.length, 10, 0);
        assertThat(r.events()).extracting(NewEvent::dataJson).containsExactly("{\"k\":\"v\"}", "{\"k2\":{\"deep\":true}}");
    }

    @Test
    void reportsEveryErrorOfABatchWithItsIndex() throws Exception {
        byte[] body = b("[{\"source\":\"a\",\"event_type\":\"t\"},{\"event_type\":\"t\"},7]");
        EventParser.Result r = parser.parseArray(body, body.length, 10, 0);
        assertThat(r.events()).isEmpty();
        assertThat(r.errors()).extracting(FieldError::index).containsExactly(1, 2);
    }

    @Test
    void countsEventsAgainstTheLimitBeforeReadingThemAll() {
        byte[] body = b("[{},{},{}]");
        assertThatThrownBy(() -> parser.parseArray(body, body.length, 2, 0))
                .isInstanceOf(EventParser.TooManyEventsException.class);
    }

    @Test
    void malformedNdjsonLineIsNamedByIndex() {
        byte[] body = b("{\"source\":\"a\",\"event_type\":\"t\"}\n\n{oops}\n");
        assertThatThrownBy(() -> parser.parseNdjson(body, body.length, 10, 0))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("index 1");
    }

    @Test
    void missingTimestampTakesServerTime() throws Exception {
        byte[] body = b("{\"source\":\"a\",\"event_type\":\"t\"}");
        assertThat(parser.parseSingle(body, body.length, 42L).events().get(0).timestampMicros()).isEqualTo(42L);
    }
}
