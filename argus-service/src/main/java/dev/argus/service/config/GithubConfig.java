package dev.argus.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;

/** GitHub webhook settings (SPEC §14): the shared secret and the routing rules. */
public class GithubConfig {
    private String webhookSecret;

    @Valid
    @NotNull
    private List<GithubRoute> routes = new ArrayList<>();

    /**
     * The secret typed into the webhook's settings on GitHub; every delivery must carry its
     * HMAC-SHA256 signature. Default: none, and then {@code POST /hooks/github} refuses every delivery.
     * Never logged.
     */
    @JsonProperty
    public String getWebhookSecret() {
        return webhookSecret;
    }

    @JsonProperty
    public void setWebhookSecret(String webhookSecret) {
        this.webhookSecret = webhookSecret;
    }

    /** Routing rules, first match wins; {@code ?task_id=} in the hook URL takes precedence. Default: none. */
    @JsonProperty
    public List<GithubRoute> getRoutes() {
        return routes;
    }

    @JsonProperty
    public void setRoutes(List<GithubRoute> routes) {
        this.routes = routes == null ? new ArrayList<>() : routes;
    }

    @Override
    public String toString() {
        return "GithubConfig{webhookSecret=" + (webhookSecret == null || webhookSecret.isEmpty() ? "none" : "***")
                + ", routes=" + routes + "}";
    }
}
