package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.argus.service.core.Scope;
import jakarta.validation.constraints.NotEmpty;

import java.util.EnumSet;
import java.util.Set;

/** One accepted API key with an optional name and scopes (all scopes when none are listed). */
public class ApiKeyConfig {
    @NotEmpty
    private String key;

    private String name = "default";

    private Set<Scope> scopes = EnumSet.allOf(Scope.class);

    public ApiKeyConfig() {
    }

    public ApiKeyConfig(String key, String name) {
        this.key = key;
        this.name = name;
    }

    /** The secret; never logged. */
    @JsonProperty
    public String getKey() {
        return key;
    }

    @JsonProperty
    public void setKey(String key) {
        this.key = key;
    }

    /** A label for the key (shown in logs instead of the key). Default {@code default}. */
    @JsonProperty
    public String getName() {
        return name;
    }

    @JsonProperty
    public void setName(String name) {
        this.name = name;
    }

    /** What the key may do: {@code ingest}, {@code read}, {@code admin}. Default: all. */
    @JsonProperty
    public Set<Scope> getScopes() {
        return scopes;
    }

    @JsonProperty
    public void setScopes(Set<Scope> scopes) {
        this.scopes = scopes == null || scopes.isEmpty() ? EnumSet.allOf(Scope.class) : EnumSet.copyOf(scopes);
    }

    @Override
    public String toString() {
        return "ApiKeyConfig{name=" + name + ", scopes=" + scopes + "}";
    }
}
