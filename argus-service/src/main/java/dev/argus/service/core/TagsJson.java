package dev.argus.service.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the stored JSON array of tags back into strings. */
public final class TagsJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private TagsJson() {
    }

    public static List<String> parse(String json) {
        if (json == null || json.equals("[]")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return List.of();
            }
            while (p.nextToken() == JsonToken.VALUE_STRING) {
                out.add(p.getText());
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }
}
