package dev.argus.service.core;

import java.util.List;

/**
 * A validated event waiting to be stored. Strings are already stripped; {@code dataJson} and
 * {@code tagsJson} are compact JSON texts kept exactly as they will be returned.
 */
public record NewEvent(
        String source,
        String eventType,
        Level level,
        String message,
        long timestampMicros,
        String dataJson,
        List<String> tags,
        String tagsJson,
        String sessionId,
        String uuid) {
}
