package dev.argus.service;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.service.api.JsonErrorHandler;
import dev.argus.service.auth.ApiKeys;
import dev.argus.service.auth.KeyBootstrap;
import dev.argus.service.cli.Commands;
import dev.argus.service.core.EventParser;
import dev.argus.service.core.IngestEngine;
import dev.argus.service.db.Database;
import dev.argus.service.db.EventDao;
import dev.argus.service.health.DatabaseHealthCheck;
import dev.argus.service.health.DiskSpaceHealthCheck;
import dev.argus.service.http.EdgeFilter;
import dev.argus.service.http.RouteTable;
import dev.argus.service.http.Routes;
import dev.argus.service.otlp.OtlpLogs;
import dev.argus.service.resources.DiscoveryResource;
import dev.argus.service.resources.EventsResource;
import dev.argus.service.resources.IngestHandler;
import dev.argus.service.resources.NoopIngestServlet;
import dev.argus.service.resources.WebAssets;
import dev.argus.service.resources.WorkHandler;
import dev.argus.service.streams.Streams;
import dev.argus.service.tasks.Operations;
import dev.argus.service.work.WorkStore;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import jakarta.servlet.DispatcherType;
import org.jdbi.v3.core.Jdbi;

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

        Database database = new Database(config.getDatabase());
        database.migrate();
        IngestEngine engine = new IngestEngine(database, config.getDatabase().getMaxPendingWrites(),
                java.time.Duration.ofSeconds(config.getDatabase().getWriteTimeoutSeconds()), metrics);
        env.lifecycle().manage(engine);

        Jdbi reads = new JdbiFactory().build(env, readPool(database, config), "sqlite-read");
        EventDao dao = new EventDao(reads);

        var servlets = env.servlets();
        boolean benchNoop = Boolean.getBoolean("argus.bench.noop");
        var routes = Routes.table(
                new IngestHandler(engine, new EventParser(), config.getLimits(), json, metrics),
                new WorkHandler(new WorkStore(engine, reads), config.getLimits().getMaxPayloadSizeKb() * 1024),
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

        env.jersey().register(new EventsResource(dao, config.getLimits().getMaxQueryLimit()));
        env.jersey().register(new DiscoveryResource(dao));

        Streams.install(config, env, engine, dao, keys, json);
        Operations.install(config, env, database, engine);

        env.healthChecks().register("database", new DatabaseHealthCheck(engine));
        env.healthChecks().register("disk", new DiskSpaceHealthCheck(
                database.path().getParent(), config.getRetention().getMinFreeDiskMb()));
    }

    /** The application port's route table once {@link #run} has built it (tests walk every route). */
    public RouteTable routeTable() {
        return routeTable;
    }

    private static DataSourceFactory readPool(Database database, ArgusConfiguration config) {
        DataSourceFactory f = new DataSourceFactory();
        f.setDriverClass("org.sqlite.JDBC");
        f.setUrl(database.jdbcUrl());
        f.setInitialSize(1);
        f.setMinSize(1);
        f.setMaxSize(config.getDatabase().getReadPoolSize());
        f.setValidationQuery("SELECT 1");
        // Reads map the file instead of copying pages into a private cache per connection.
        f.setProperties(Map.of("busy_timeout", "10000", "cache_size", "-16384", "mmap_size", "1073741824"));
        return f;
    }
}
