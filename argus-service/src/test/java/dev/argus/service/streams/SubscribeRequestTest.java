package dev.argus.service.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.core.EventFilter;
import dev.argus.service.core.Level;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscribeRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SubscribeRequest parse(String json) throws Exception {
        return SubscribeRequest.parse(JSON.readTree(json));
    }

    @Test
    void acceptsStringsAndArraysAndEchoesThemInTheirShape() throws Exception {
        SubscribeRequest r = parse("{\"type\":\"subscribe\",\"filters\":{\"source\":\" a \",\"tag\":[\"x\",\"y\"],"
                + "\"level\":[\"ERROR\",\"warning\"],\"min_level\":\"Info\",\"q\":\" Disk \",\"session_id\":\"\"},\"after_id\":7}");
        assertThat(r.filter().values(EventFilter.Field.SOURCE)).containsExactly("a");
        assertThat(r.filter().values(EventFilter.Field.TAG)).containsExactly("x", "y");
        assertThat(r.filter().values(EventFilter.Field.LEVEL)).containsExactly(Level.ERROR, Level.WARN);
        assertThat(r.filter().values(EventFilter.Field.MIN_LEVEL)).containsExactly(Level.INFO);
        assertThat(r.filter().values(EventFilter.Field.TEXT)).containsExactly(" Disk ");
        assertThat(r.filter().values(EventFilter.Field.SESSION_ID)).isEmpty();
        assertThat(r.afterId()).isEqualTo(7L);
        assertThat(r.activeFilters().toString()).isEqualTo(
                "{\"source\":\"a\",\"tag\":[\"x\",\"y\"],\"level\":[\"error\",\"warn\"],\"min_level\":\"info\",\"q\":\" Disk \"}");
    }

    @Test
    void treatsMissingOrNullFiltersAsAllEvents() throws Exception {
        assertThat(parse("{\"type\":\"subscribe\"}").filter().isEmpty()).isTrue();
        assertThat(parse("{\"type\":\"subscribe\",\"filters\":null,\"after_id\":null}").afterId()).isNull();
        assertThat(parse("{\"type\":\"subscribe\",\"after_id\":\"12\"}").afterId()).isEqualTo(12L);
    }

    @Test
    void refusesWhatWouldSilentlyWidenOrBreakASubscription() {
        for (String bad : List.of(
                "{\"filters\":{\"sorce\":\"a\"}}",
                "{\"filters\":{\"since\":\"2026-01-01T00:00:00Z\"}}",
                "{\"filters\":{\"source\":1}}",
                "{\"filters\":{\"source\":{\"a\":1}}}",
                "{\"filters\":{\"level\":[\"info\",2]}}",
                "{\"filters\":{\"level\":\"loud\"}}",
                "{\"filters\":{\"min_level\":[\"info\",\"error\"]}}",
                "{\"filters\":\"source=a\"}",
                "{\"after_id\":-1}",
                "{\"after_id\":1.5}",
                "{\"after_id\":true}")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(SubscribeRequest.InvalidSubscribeException.class);
        }
    }
}
