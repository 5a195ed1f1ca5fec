package dev.argus.service.streams;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SseFormatTest {
    @Test
    void writesOneDataLineForAPayloadWithoutLineBreaks() {
        assertThat(SseFormat.data("{\"a\":1}")).isEqualTo("data: {\"a\":1}\n");
    }

    @Test
    void splitsEveryKindOfLineBreakIntoDataLines() {
        assertThat(SseFormat.data("{\n\"a\":\r\n1\r}")).isEqualTo("data: {\ndata: \"a\":\ndata: 1\ndata: }\n");
        assertThat(SseFormat.data("x\n\ny")).isEqualTo("data: x\ndata: \ndata: y\n");
    }

    @Test
    void namesAnEventWithoutAnId() {
        assertThat(SseFormat.named("lagged", "{\"missed\":3}")).isEqualTo("event: lagged\ndata: {\"missed\":3}\n\n");
    }
}
