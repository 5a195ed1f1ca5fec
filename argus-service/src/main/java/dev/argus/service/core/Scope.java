package dev.argus.service.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What an API key may do. */
public enum Scope {
    INGEST, READ, ADMIN;

    @JsonCreator
    public static Scope parse(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
