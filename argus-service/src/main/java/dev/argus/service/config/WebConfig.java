package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;

/** Dashboard settings. */
public class WebConfig {
    @NotNull
    private String title = "Argus";

    /** Title shown by the dashboard. Default {@code Argus}. */
    @JsonProperty
    public String getTitle() {
        return title;
    }

    @JsonProperty
    public void setTitle(String title) {
        this.title = title;
    }
}
