package dev.argus.service.cli;

/** The commented configuration written by {@code argus config init} (and kept in sync with the repository's config.yml). */
final class ConfigTemplate {
    private ConfigTemplate() {
    }

    /** The config text with {@code key} as the first API key. */
    static String render(String key) {
        return TEMPLATE.replace("@KEY@", key);
    }

    private static final String TEMPLATE = """
            # Argus configuration (Dropwizard YAML). Every value may use ${ENV_VAR:-default}.
            # Check it with:   java -jar argus-service.jar check <this file>
            # Run with it:     java -jar argus-service.jar server <this file>
            # The client commands (query, tail, send, status) read the first key and the port from
            # ~/.config/argus/config.yml, so this file's defaults need no --url/--key.

            # --- API keys ---------------------------------------------------------------------
            # Sent as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'. Scopes: ingest, read,
            # admin (all when omitted). Keep this file private (it was written with mode 0600).
            apiKeys:
              - key: "@KEY@"
                name: local
            #  - key: ${CI_ARGUS_KEY:-}
            #    name: ci
            #    scopes: [ingest]

            # --- Auth mode (SPEC §13.3) --------------------------------------------------------
            # strict: every API route needs a key. relaxed: reads (GET, SSE, the WebSocket subscription)
            # need none; writes always do. The server warns at start when relaxed listens beyond loopback.
            auth:
              mode: ${ARGUS_AUTH_MODE:-strict}

            # --- HTTP ports -------------------------------------------------------------------
            # The API and dashboard on 8765, Dropwizard's admin port (health, metrics, tasks) on 8766.
            # Both listen on loopback only; bind 0.0.0.0 only behind a firewall.
            server:
              applicationConnectors:
                - type: http
                  bindHost: ${ARGUS_BIND:-127.0.0.1}
                  port: ${ARGUS_PORT:-8765}
              adminConnectors:
                - type: http
                  bindHost: 127.0.0.1
                  port: ${ARGUS_ADMIN_PORT:-8766}
              # Request logs are off: they cost throughput and could record ?api_key= values.
              requestLog:
                appenders: []

            # --- Storage ----------------------------------------------------------------------
            database:
              # Default: $ARGUS_HOME/events.db, else ~/.local/share/argus/events.db
              # path: ~/.local/share/argus/events.db
              # FULL: an answered POST survives a power cut. NORMAL is faster, may lose the last commits.
              synchronous: ${ARGUS_SYNCHRONOUS:-FULL}
              readPoolSize: 8
              maxPendingWrites: 100000

            # --- Retention (docs/operations.md) -----------------------------------------------
            retention:
              # Days to keep events, by the time the server received them; 0 keeps them forever.
              days: ${ARGUS_RETENTION_DAYS:-30}
              # Daily cleanup time (HH:mm) in timeZone; a run missed while stopped is caught up at start.
              cleanupTime: "03:00"
              timeZone: UTC
              # Give freed pages back to the file system after cleanup (incremental, no long lock).
              vacuumAfterCleanup: true
              # Below this much free disk (MB) the oldest events are deleted and /healthcheck turns
              # unhealthy; 0 disables the guard.
              minFreeDiskMb: 500

            # --- Request limits (KB = 1024 bytes) ---------------------------------------------
            limits:
              maxPayloadSizeKb: 512
              maxBatchSizeKb: 10240
              maxBatchEvents: 1000
              maxQueryLimit: 1000

            # --- Live streams (WebSocket /ws and SSE /events/stream) --------------------------
            streams:
              clientQueueEvents: 10000

            # --- GitHub webhooks: POST /hooks/github (docs/github.md) ---------------------------
            # Deliveries are authenticated by X-Hub-Signature-256 with this secret; with none set, every
            # delivery is refused. routes: the first match names the task ('?task_id=' in the hook URL wins).
            github:
              webhookSecret: ${ARGUS_GITHUB_SECRET:-}
              routes: []

            # --- Dashboard --------------------------------------------------------------------
            web:
              title: ${ARGUS_TITLE:-Argus}

            # --- Logging (Dropwizard) ---------------------------------------------------------
            logging:
              level: INFO
              loggers:
                dev.argus: INFO
              appenders:
                - type: console
            """;
}
