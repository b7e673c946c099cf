package org.opentrade.gateway.app;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.opentrade.gateway.adapter.crypto.Argon2idPasswordHasher;
import org.opentrade.gateway.adapter.embedded.EmbeddedKeyRegistry;
import org.opentrade.gateway.adapter.embedded.EmbeddedUsageMeter;
import org.opentrade.gateway.adapter.embedded.FileReplayGuard;
import org.opentrade.gateway.adapter.embedded.InProcessRateLimiter;
import org.opentrade.gateway.adapter.embedded.PrivateFiles;
import org.opentrade.gateway.adapter.http.Access;
import org.opentrade.gateway.adapter.http.AdminRoutes;
import org.opentrade.gateway.adapter.http.GatewayFilter;
import org.opentrade.gateway.adapter.http.GatewayRoute;
import org.opentrade.gateway.adapter.http.KeyChangeLimitFilter;
import org.opentrade.gateway.adapter.http.PerAddressLimitFilter;
import org.opentrade.gateway.adapter.http.HostGuard;
import org.opentrade.gateway.adapter.http.RequestGuard;
import org.opentrade.gateway.adapter.redis.RedisConnections;
import org.opentrade.gateway.adapter.redis.RedisKeyRegistry;
import org.opentrade.gateway.adapter.redis.RedisOptions;
import org.opentrade.gateway.adapter.redis.RedisRateLimiter;
import org.opentrade.gateway.adapter.redis.RedisReplayGuard;
import org.opentrade.gateway.adapter.redis.RedisUsageMeter;
import org.opentrade.gateway.adapter.http.AuthenticationFilter;
import org.opentrade.gateway.adapter.http.Authenticator;
import org.opentrade.gateway.adapter.http.ClientAddresses;
import org.opentrade.gateway.adapter.http.DeveloperRoutes;
import org.opentrade.gateway.adapter.http.PasswordWork;
import org.opentrade.gateway.adapter.http.GatewayRouter;
import org.opentrade.gateway.adapter.http.KeyRoutes;
import org.opentrade.gateway.adapter.http.FirstFrameAuth;
import org.opentrade.gateway.adapter.http.MeteringFilter;
import org.opentrade.gateway.adapter.http.OpenStreams;
import org.opentrade.gateway.adapter.http.EarlyShedFilter;
import org.opentrade.gateway.adapter.http.RequestMetrics;
import org.opentrade.gateway.adapter.http.OverloadFilter;
import org.opentrade.gateway.adapter.http.RateLimitFilter;
import org.opentrade.gateway.adapter.http.ScopeFilter;
import org.opentrade.gateway.adapter.http.SessionTokens;
import org.opentrade.gateway.adapter.http.UsageRoutes;
import org.opentrade.gateway.domain.ApiSecrets;
import org.opentrade.gateway.domain.KeyLookup;
import org.opentrade.gateway.domain.PolicyRateLimiter;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.RateLimit;
import org.opentrade.gateway.domain.RoutePolicy;
import org.opentrade.gateway.domain.RouteTable;

/**
 * Wiring only: builds the gateway's stores, filters and routes from {@link GatewayConfig} and mounts
 * them on a router (the all-in-one's, or the standalone gateway's own server). Tracing and the
 * upstream handlers come in as {@link Hooks}, so the same wiring serves tests, the all-in-one and
 * distributed mode.
 */
public final class ApiGateway {
    private static final Logger LOG = Logger.getLogger(ApiGateway.class.getName());
    /** How often revoked keys past their retention are deleted, and the first time after a start. */
    static final Duration SWEEP_INTERVAL = Duration.ofHours(1);
    static final Duration FIRST_SWEEP = Duration.ofMinutes(1);

    /**
     * What the host supplies.
     *
     * @param tracing          first handler of every request (sets the trace id)
     * @param onAuthenticated  told the caller of each authenticated request (tracing tags the owner)
     * @param traces           {@code GET /v1/traces/:trace_id}, after authentication
     * @param upstream         the handler that serves a routed API route (proxy)
     */
    public record Hooks(Handler<RoutingContext> tracing, BiConsumer<RoutingContext, Principal> onAuthenticated,
                        Handler<RoutingContext> traces, Function<RoutePolicy, Handler<RoutingContext>> upstream) {
    }

    private final Vertx vertx;
    private final GatewayConfig config;
    private final GatewayStores stores;
    private final PolicyRateLimiter limiter;
    private final GatewayRouter.Parts parts;
    private final long flushTimer;
    private final long sweepTimer;
    private final long firstSweepTimer;

    /** The FIX logon key check's event-bus consumer. */
    private io.vertx.core.eventbus.MessageConsumer<Object> keyChecks;

    private ApiGateway(Vertx vertx, GatewayConfig config, GatewayStores stores, PolicyRateLimiter limiter,
                       GatewayRouter.Parts parts) {
        this.vertx = vertx;
        this.config = config;
        this.stores = stores;
        this.limiter = limiter;
        this.parts = parts;
        this.flushTimer = vertx.setPeriodic(config.usageFlushInterval().toMillis(), id -> stores.meter().flush()
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.warning("usage flush failed, kept for the next one: " + e);
                    }
                }));
        RevokedKeySweep sweep = new RevokedKeySweep(stores.registry(), config.revokedKeyRetention(), 500, 20);
        this.firstSweepTimer = vertx.setTimer(FIRST_SWEEP.toMillis(), id -> sweep.runLogged(System.currentTimeMillis()));
        this.sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL.toMillis(), id -> sweep.runLogged(System.currentTimeMillis()));
    }

    /** Opens the stores (blocking work on a worker thread) and builds the gateway. */
    public static Future<ApiGateway> start(Vertx vertx, GatewayConfig config, Hooks hooks,
                                           Function<GatewayConfig, GatewayStores> storeFactory) {
        LongSupplier clock = System::currentTimeMillis;
        return vertx.executeBlocking(() -> {
            GatewayStores stores = storeFactory.apply(config);
            try {
                return build(vertx, config, hooks, stores, clock);
            } catch (RuntimeException | IOException e) {
                stores.close();
                throw e;
            }
        }, false);
    }

    /** The embedded stores under {@code data_dir}: the all-in-one default. */
    public static GatewayStores embeddedStores(GatewayConfig config) {
        try {
            Path dir = config.dataDir();
            InProcessRateLimiter limiter = new InProcessRateLimiter();
            return new GatewayStores(EmbeddedKeyRegistry.open(dir), limiter, limiter,
                    EmbeddedUsageMeter.open(dir, config.usageRetention().toMinutes()), FileReplayGuard.open(dir), null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open the gateway's stores in " + config.dataDir(), e);
        }
    }

    /**
     * The Redis stores shared by every gateway on the same Redis (distributed mode), with an
     * in-process limiter as the failure policy's fallback. Blocks until connected (start-up only);
     * fails when Redis cannot be reached, so a misconfigured gateway does not start half-working.
     */
    public static GatewayStores redisStores(GatewayConfig config) {
        RedisOptions options = RedisOptions.of(config.redisUri()).withCommandTimeout(config.redisCommandTimeout())
                .withUsageRetention(config.usageRetention());
        try {
            RedisConnections conns = RedisConnections.connect(options).toCompletableFuture().get(30, TimeUnit.SECONDS);
            RedisKeyRegistry registry = RedisKeyRegistry.open(conns).toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new GatewayStores(registry, new RedisRateLimiter(conns), new InProcessRateLimiter(),
                    new RedisUsageMeter(conns), new RedisReplayGuard(conns),
                    conns::close);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Redis", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to Redis at " + RedisOptions.redacted(config.redisUri()) + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e), e);
        }
    }

    /** The stores the config names. */
    public static GatewayStores configuredStores(GatewayConfig config) {
        return config.store() == GatewayConfig.StoreType.REDIS ? redisStores(config) : embeddedStores(config);
    }

    private static ApiGateway build(Vertx vertx, GatewayConfig config, Hooks hooks, GatewayStores stores,
                                    LongSupplier clock) throws IOException {
        PolicyRateLimiter limiter = new PolicyRateLimiter(stores.limiter(), stores.localLimiter(), config.gateways());
        KeyLookup lookup = new KeyLookup(stores.registry(), config.plans(), config.keyCacheTtl().toMillis(), clock);
        SessionTokens sessions = SessionTokens.create(vertx, config.sessionKeyFile(),
                (int) config.sessionTtl().toSeconds(), (int) config.sessionMaxAge().toSeconds(), clock);
        ClientAddresses addresses = new ClientAddresses(config.trustedProxies());
        Authenticator auth = new Authenticator(lookup, stores.replayGuard(), sessions, config.plans(), addresses, clock,
                config.signatureWindow().toMillis(), config.signatureClockSkew().toMillis());
        Argon2idPasswordHasher hasher = new Argon2idPasswordHasher(config.passwordMemoryKib(),
                config.passwordIterations(), 1);
        List<RoutePolicy> apiRoutes = RouteTable.defaults();
        OpenStreams streams = new OpenStreams(vertx, stores.registry(), config.plans(), addresses, clock,
                OpenStreams.DEFAULT_MAX_STREAMS, config.streamsPerDeveloper());
        // One ordered chain for every route (GatewayFilter's orders); each route gets the filters that apply to it.
        OverloadFilter overload = new OverloadFilter(config.overload());
        RequestMetrics requestMetrics = new RequestMetrics();
        List<GatewayFilter> filters = List.of(GatewayFilter.of(GatewayFilter.ORDER_TRACING, hooks.tracing()),
                requestMetrics,
                new HostGuard(config.host(), config.allowedHosts()),
                new RequestGuard(),
                overload,
                new MeteringFilter(stores.meter(), clock),
                new PerAddressLimitFilter(limiter, new RateLimit(config.perAddressPerMinute(), 60_000), addresses,
                        new RateLimit(config.signUpsPerAddressPerHour(), 3_600_000)),
                streams,
                new FirstFrameAuth(config.firstFrameTimeout().toMillis()),
                new AuthenticationFilter(auth, hooks.onAuthenticated(), limiter, adminToken(config)),
                new ScopeFilter(limiter),
                new RateLimitFilter(limiter),
                new KeyChangeLimitFilter(limiter, new RateLimit(config.keyChangesPerMinute(), 60_000)));
        List<GatewayRoute> routes = new ArrayList<>();
        // The proxied API first: the router tries routes in order, and a templated route that does not match
        // still costs a regular expression, so a market call behind the 25 routes of the gateway's own (sign-up,
        // keys, usage, admin) paid 3.6 % of the gateway's CPU finding its route. The two sets share no path
        // (RouteTable has no /v1/developers, /v1/sessions, /v1/keys, /v1/usage, /v1/traces or /v1/admin), and the
        // admin catch-all still comes after the admin routes it covers.
        for (RoutePolicy policy : apiRoutes) {
            routes.add(GatewayRoute.api(policy, hooks.upstream().apply(policy)));
        }
        PasswordWork passwords = new PasswordWork(vertx, config.passwordThreads(), config.passwordQueue());
        routes.addAll(new DeveloperRoutes(passwords, stores.registry(), stores.replayGuard(), hasher, sessions,
                config.plans(), limiter,
                new RateLimit(config.loginAttemptsPerAccount(), config.loginAccountWindow().toMillis()),
                new RateLimit(config.signUpsPerHour(), 3_600_000), clock).routes());
        routes.addAll(new KeyRoutes(stores.registry(), config.plans(), clock, config.revokedKeysKept()).routes());
        routes.addAll(new UsageRoutes(stores.registry(), lookup, config.plans(), stores.meter(), limiter, apiRoutes, clock)
                .routes());
        routes.add(GatewayRoute.platform("GET", "/v1/traces/:trace_id", Access.KEY_OR_SESSION, 1, hooks.traces()));
        routes.addAll(new AdminRoutes(stores.registry(), config.plans(), sessions, clock).routes());
        List<GatewayFilter> chain = new ArrayList<>(filters);
        chain.add(new EarlyShedFilter(overload, routes));
        GatewayRouter.Parts parts = new GatewayRouter.Parts(chain, routes, config.maxBodyBytes());
        ApiGateway gateway = new ApiGateway(vertx, config, stores, limiter, parts);
        gateway.requestMetrics = requestMetrics;
        gateway.streams = streams;
        gateway.passwords = passwords;
        // FIX logons (trade-api's acceptor asks over the event bus); unregistered by close().
        gateway.keyChecks = org.opentrade.gateway.adapter.eventbus.KeyAuthenticator.register(vertx, stores.registry(),
                clock);
        return gateway;
    }

    /** Puts the gateway's routes on {@code router}. */
    public void mount(Router router) {
        GatewayRouter.mount(router, parts);
    }

    public GatewayStores stores() {
        return stores;
    }

    /** Decisions the local fallback limiter took while the shared one was unreachable. */
    public long degradedLimitDecisions() {
        return limiter.degradedDecisions();
    }

    /** Prometheus text lines of the gateway's own counters. */
    public String prometheus() {
        return "# HELP opentrade_gateway_limit_degraded_total Limit decisions taken locally because the shared limiter was unreachable.\n"
                + "# TYPE opentrade_gateway_limit_degraded_total counter\n"
                + "opentrade_gateway_limit_degraded_total " + limiter.degradedDecisions() + "\n"
                + "# HELP opentrade_gateway_limit_unavailable_total Orders refused because the shared limiter was unreachable.\n"
                + "# TYPE opentrade_gateway_limit_unavailable_total counter\n"
                + "opentrade_gateway_limit_unavailable_total " + limiter.refusedUnavailable() + "\n"
                + "# HELP opentrade_gateway_shed_total Requests answered 503 -9004 because their event loop had its bound in flight.\n"
                + "# TYPE opentrade_gateway_shed_total counter\n"
                + "opentrade_gateway_shed_total " + overload().shed() + "\n"
                + "# HELP opentrade_gateway_streams_open WebSocket streams open through this gateway.\n"
                + "# TYPE opentrade_gateway_streams_open gauge\n"
                + "opentrade_gateway_streams_open " + (streams == null ? 0 : streams.size()) + "\n"
                + "# HELP opentrade_gateway_password_work_in_flight Sign-ups and log-ins hashing or waiting for the password pool.\n"
                + "# TYPE opentrade_gateway_password_work_in_flight gauge\n"
                + "opentrade_gateway_password_work_in_flight " + (passwords == null ? 0 : passwords.inFlight()) + "\n"
                + "# HELP opentrade_gateway_password_work_refused_total Sign-ups and log-ins answered 503 -9004: the password pool had its bound in flight.\n"
                + "# TYPE opentrade_gateway_password_work_refused_total counter\n"
                + "opentrade_gateway_password_work_refused_total " + (passwords == null ? 0 : passwords.refused()) + "\n"
                + (requestMetrics == null ? "" : requestMetrics.prometheus());
    }

    /** Request counts and latencies (set when the gateway is built). */
    private RequestMetrics requestMetrics;
    private OpenStreams streams;
    private PasswordWork passwords;

    private OverloadFilter overload() {
        for (var f : parts.filters()) {
            if (f instanceof OverloadFilter o) {
                return o;
            }
        }
        throw new IllegalStateException("no overload filter in the chain");
    }

    /** Stops the flush and sweep timers, flushes usage and closes the stores. */
    public Future<Void> close() {
        vertx.cancelTimer(flushTimer);
        vertx.cancelTimer(firstSweepTimer);
        vertx.cancelTimer(sweepTimer);
        Future<Void> unregistered = keyChecks == null ? Future.succeededFuture() : keyChecks.unregister();
        Future<Void> pool = passwords == null ? Future.succeededFuture() : passwords.close();
        return Future.join(unregistered, pool).transform(ignored -> Future.fromCompletionStage(stores.close()));
    }

    /** The configured admin token, else the one in {@code <data_dir>/admin-token}, generated (mode 600) if absent. */
    /** The configuration it runs with. */
    GatewayConfig config() {
        return config;
    }

    static String adminToken(GatewayConfig config) throws IOException {
        if (!config.adminToken().isEmpty()) {
            return config.adminToken();
        }
        Path file = config.dataDir().resolve("admin-token");
        if (Files.exists(file)) {
            PrivateFiles.privateFile(file);
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        }
        String token = ApiSecrets.newSecret().replace("ots_", "adm_");
        PrivateFiles.privateDirectory(config.dataDir());
        PrivateFiles.replace(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
        LOG.info("admin token generated and written to " + file.toAbsolutePath() + " (send it as X-Admin-Token)");
        return token;
    }
}
