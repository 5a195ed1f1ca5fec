package dev.argus.service;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.api.JsonErrorHandler;
import dev.argus.service.auth.ApiKeys;
import dev.argus.service.auth.KeyBootstrap;
import dev.argus.service.cli.Commands;
import dev.argus.service.core.EventParser;
import dev.argus.service.core.TaskLookup;
import dev.argus.service.storage.EventReader;
import dev.argus.service.storage.SessionReader;
import dev.argus.service.storage.Storage;
import dev.argus.service.health.DatabaseHealthCheck;
import dev.argus.service.health.DiskSpaceHealthCheck;
import dev.argus.service.ingest.IngestEngine;
import dev.argus.service.core.AuthMode;
import dev.argus.service.http.EdgeFilter;
import dev.argus.service.http.RouteTable;
import dev.argus.service.resources.Routes;
import dev.argus.service.otlp.OtlpLogs;
import dev.argus.service.resources.ClaudeHookHandler;
import dev.argus.service.resources.EventsHandler;
import dev.argus.service.resources.IngestHandler;
import dev.argus.service.bench.NoopIngestServlet;
import dev.argus.service.resources.SessionsHandler;
import dev.argus.service.resources.WebAssets;
import dev.argus.service.resources.WorkHandler;
import dev.argus.service.sessions.IdleDetector;
import dev.argus.service.sessions.LifecyclePublisher;
import dev.argus.service.sessions.SessionParticipant;
import dev.argus.service.sessions.SessionWrites;
import dev.argus.service.streams.Streams;
import dev.argus.service.tasks.Operations;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;

import java.util.EnumSet;
import java.util.Map;

/** Wires the Argus server by hand: storage, group-commit ingest, the HTTP API, health and tasks. */
public class ArgusApplication extends Application<ArgusConfiguration> {
    private volatile RouteTable routeTable;

    public static void main(String[] args) throws Exception {
        new ArgusApplication().run(args);
    }

    @Override
    public String getName() {
        return "argus";
    }

    @Override
    public void initialize(Bootstrap<ArgusConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        Commands.addTo(bootstrap);
    }

    @Override
    public void run(ArgusConfiguration config, Environment env) throws Exception {
        ObjectMapper json = env.getObjectMapper();
        MetricRegistry metrics = env.metrics();
        ApiKeys keys = KeyBootstrap.resolve(config.getApiKeys());
        config.getAuth().warnIfExposed(config.getServerFactory());

        Storage storage = Storage.open(config.getDatabase());
        storage.migrate();
        IngestEngine engine = new IngestEngine(storage.writer(), config.getDatabase().getMaxPendingWrites(),
                java.time.Duration.ofSeconds(config.getDatabase().getWriteTimeoutSeconds()), metrics);
        engine.addParticipant(new SessionParticipant(storage::sessionStore));
        env.lifecycle().manage(engine);
        EventReader dao = storage.reader(env, config.getDatabase().getReadPoolSize());
        SessionReader sessionReader = storage.sessionReader();
        TaskLookup tasks = sessionReader::taskExists;

        var servlets = env.servlets();
        boolean benchNoop = Boolean.getBoolean("argus.bench.noop");
        var updateReader = storage.updateReader();
        var updateStreams = new dev.argus.service.streams.UpdateStreams(updateReader);
        var github = new dev.argus.service.github.GithubDeliveryMapper(config.getGithub().getRoutes());
        int maxBody = config.getLimits().getMaxPayloadSizeKb() * 1024;
        LifecyclePublisher live = Streams.install(config, env, engine, dao, keys, json, updateStreams,
                storage.commitSignals(), storage.liveJournal())::accept;
        SessionWrites sessionWrites = new SessionWrites(engine, live, storage::sessionStore);
        var routes = Routes.table(
                new IngestHandler(engine, new EventParser(), tasks, config.getLimits(), json, metrics),
                new ClaudeHookHandler(engine, tasks, config.getLimits(), json, metrics),
                new EventsHandler(dao, config.getLimits().getMaxQueryLimit(), json),
                new SessionsHandler(sessionReader, sessionWrites, json, maxBody),
                new WorkHandler(storage.workStore(engine), maxBody, updateStreams),
                new dev.argus.service.resources.UpdatesHandler(engine, new EventParser(), tasks, updateReader, github, maxBody),
                new dev.argus.service.resources.GithubHookHandler(engine, new EventParser(), tasks,
                        new dev.argus.service.github.GithubSignature(config.getGithub().getWebhookSecret()), github, json, metrics),
                WebAssets.load("assets"),
                json.writeValueAsString(Map.of("title", config.getWeb().getTitle(),
                        // the dashboard skips the key prompt when reads need no key
                        "authMode", config.getAuth().getMode().name().toLowerCase(java.util.Locale.ROOT))), benchNoop);
        // A refused body is drained up to what a batch may hold (at least 4 MB) so the client gets its answer.
        long drainLimit = Math.max(config.getLimits().getMaxBatchSizeKb() * 1024L, 4L << 20);
        this.routeTable = routes;
        servlets.addFilter("edge", new EdgeFilter(routes, keys, json, config.getAuth().getMode(), drainLimit))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");

        OtlpLogs.install(env, engine, config.getLimits(), json);

        if (benchNoop) {
            servlets.addServlet("bench-noop", new NoopIngestServlet(keys)).addMapping("/bench/noop");
        }

        env.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(new JsonErrorHandler()));

        // Every route of the application port is the edge's (a handler) or a servlet's: no Jersey,
        // whose ~1,200 classes cost ~25 MB of resident memory (docs/benchmarks.md, "Resident memory").
        env.jersey().disable();
        env.lifecycle().manage(new IdleDetector(sessionWrites, config.getSessions()));
        // null on PostgreSQL: its disk is not visible from here, so no disk guard (docs/postgres.md).
        java.nio.file.Path folder = storage.localFolder();
        Operations.install(config, env, storage.retention(), folder, engine);

        env.healthChecks().register("database", new DatabaseHealthCheck(engine, storage.retention()));
        if (folder != null) {
            env.healthChecks().register("disk", new DiskSpaceHealthCheck(
                    folder, config.getRetention().getMinFreeDiskMb()));
        }
    }

    /** The application port's route table once {@link #run} has built it (tests walk every route). */
    public RouteTable routeTable() {
        return routeTable;
    }
}
