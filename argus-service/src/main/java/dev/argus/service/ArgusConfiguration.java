package dev.argus.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.argus.service.config.ApiKeyConfig;
import dev.argus.service.config.AuthConfig;
import dev.argus.service.config.DatabaseConfig;
import dev.argus.service.config.LimitsConfig;
import dev.argus.service.config.RetentionConfig;
import dev.argus.service.config.StreamsConfig;
import dev.argus.service.config.SessionsConfig;
import dev.argus.service.config.WebConfig;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The one validated source of settings. Defaults are the embedded defaults of SPEC §8, so that
 * {@code server} with no file listens on 127.0.0.1:8765 (admin 8766) with no request log.
 */
public class ArgusConfiguration extends Configuration {
    @Valid
    @NotNull
    private List<ApiKeyConfig> apiKeys = new ArrayList<>();

    @Valid
    @NotNull
    private AuthConfig auth = new AuthConfig();

    @Valid
    @NotNull
    private DatabaseConfig database = new DatabaseConfig();

    @Valid
    @NotNull
    private LimitsConfig limits = new LimitsConfig();

    @Valid
    @NotNull
    private RetentionConfig retention = new RetentionConfig();

    @Valid
    @NotNull
    private StreamsConfig streams = new StreamsConfig();

    @Valid
    @NotNull
    private WebConfig web = new WebConfig();

    @Valid
    @NotNull
    private SessionsConfig sessions = new SessionsConfig();

    @Valid
    @NotNull
    private dev.argus.service.config.GithubConfig github = new dev.argus.service.config.GithubConfig();

    /** Default size of the application connector's thread pool (when no {@code server} block is given). */
    static final int APPLICATION_MAX_THREADS = 32;

    public ArgusConfiguration() {
        DefaultServerFactory server = new DefaultServerFactory();
        server.setApplicationConnectors(List.of(loopback(8765)));
        server.setAdminConnectors(List.of(loopback(8766)));
        // Thread pools for a laptop, not Dropwizard's 1,024 + 64 (issue 20, docs/benchmarks.md
        // "Resident memory"): an ingest request holds its thread until its commit, and the group
        // commit needs only a few dozen in flight to keep the writer busy; streams hold no thread.
        server.setMaxThreads(APPLICATION_MAX_THREADS);
        server.setMinThreads(4);
        server.setAdminMaxThreads(8);
        server.setAdminMinThreads(1);
        // Request logs are off by default: they cost throughput and could record ?api_key= values.
        LogbackAccessRequestLogFactory requestLog = new LogbackAccessRequestLogFactory();
        requestLog.setAppenders(List.of());
        server.setRequestLogFactory(requestLog);
        setServerFactory(server);
    }

    private static HttpConnectorFactory loopback(int port) {
        HttpConnectorFactory connector = new HttpConnectorFactory();
        connector.setBindHost("127.0.0.1");
        connector.setPort(port);
        return connector;
    }

    /** API keys accepted by the server; when empty a key is generated on first start. */
    @JsonProperty
    public List<ApiKeyConfig> getApiKeys() {
        return apiKeys;
    }

    @JsonProperty
    public void setApiKeys(List<ApiKeyConfig> apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** {@code auth.mode}: {@code strict} (default) or {@code relaxed} (reads need no key). */
    @JsonProperty
    public AuthConfig getAuth() {
        return auth;
    }

    @JsonProperty
    public void setAuth(AuthConfig auth) {
        this.auth = auth;
    }

    @JsonProperty
    public DatabaseConfig getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(DatabaseConfig database) {
        this.database = database;
    }

    @JsonProperty
    public LimitsConfig getLimits() {
        return limits;
    }

    @JsonProperty
    public void setLimits(LimitsConfig limits) {
        this.limits = limits;
    }

    @JsonProperty
    public RetentionConfig getRetention() {
        return retention;
    }

    @JsonProperty
    public void setRetention(RetentionConfig retention) {
        this.retention = retention;
    }

    @JsonProperty
    public StreamsConfig getStreams() {
        return streams;
    }

    @JsonProperty
    public void setStreams(StreamsConfig streams) {
        this.streams = streams;
    }

    @JsonProperty
    public WebConfig getWeb() {
        return web;
    }

    @JsonProperty
    public void setWeb(WebConfig web) {
        this.web = web;
    }

    @JsonProperty
    public SessionsConfig getSessions() {
        return sessions;
    }

    @JsonProperty
    public void setSessions(SessionsConfig sessions) {
        this.sessions = sessions;
    }

    /** {@code github: {webhookSecret, routes}} for {@code POST /hooks/github} (SPEC §14). */
    @JsonProperty
    public dev.argus.service.config.GithubConfig getGithub() {
        return github;
    }

    @JsonProperty
    public void setGithub(dev.argus.service.config.GithubConfig github) {
        this.github = github;
    }
}
