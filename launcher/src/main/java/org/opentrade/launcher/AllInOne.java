package org.opentrade.launcher;

import org.opentrade.common.logging.LogFormat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.exchange.app.ExchangeConfig;
import org.opentrade.exchange.app.ExchangeService;
import org.opentrade.gateway.adapter.http.ConnectionGuard;
import org.opentrade.gateway.adapter.http.OperationsEndpoints;
import org.opentrade.gateway.app.GatewayConfig;
import org.opentrade.gateway.app.GatewayServer;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.opentrade.common.identity.AssertionVerifier;
import org.opentrade.common.identity.IdentityAssertions;
import org.opentrade.common.tracing.SpanStore;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.gateway.adapter.http.proxy.UpstreamPoolOptions;
import org.opentrade.gateway.domain.RouteTable;
import org.opentrade.market.adapter.http.AssertionCallerCheck;
import org.opentrade.market.adapter.http.CallerCheck;
import org.opentrade.market.app.MarketApiConfig;
import org.opentrade.market.app.MarketApiService;
import org.opentrade.market.app.Stores;
import org.opentrade.trade.app.TradeApiConfig;
import org.opentrade.trade.app.TradeApiService;

/**
 * The all-in-one: one JVM with Vert.x, the sandbox exchange (with its liquidity simulator),
 * market-api (on a free loopback port, history in embedded QuestDB under {@code ./data/market}),
 * trade-api (on a free loopback port, intents and snapshots under {@code ./data/trade}), the
 * API gateway ({@code /v1/*}, embedded stores under {@code ./data/gateway}, routing market data to
 * the in-process market-api) and the operations endpoints, all on one HTTP port. The gateway and
 * market-api share one span store, so {@code /v1/traces/{id}} shows both services' spans. {@code java -jar launcher/target/opentrade-all-in-one.jar}.
 *
 * <p>Configuration: {@code launcher.yaml} and {@code exchange.yaml} on the classpath, each
 * overridable by a file ({@code OPENTRADE_LAUNCHER_CONFIG}, {@code OPENTRADE_EXCHANGE_CONFIG}) and by
 * the environment variables they name. A bad value stops start-up with a message naming the key.
 * Stops cleanly on SIGTERM/Ctrl-C (simulator orders withdrawn, shards snapshotted).
 */
public final class AllInOne {
    private static final Logger LOG = Logger.getLogger(AllInOne.class.getName());
    private static final long STOP_TIMEOUT_SECONDS = 30;
    /** What {@code /ready} answers (503 -9001) until the exchange serves commands. */
    static final String OPERATIONS_NOT_READY = "the exchange is not ready (recovering or stopping)";
    /** What {@code /ready} answers (503 -9001) once the exchange is, until market-api is (it answers 503 -6015). */
    static final String MARKET_NOT_READY = "market-api is not ready (opening its history store, backfilling, or "
            + "catching up with the exchange feed)";
    /** What {@code /ready} answers (503 -9001) once the exchange and market-api are, until trade-api is. */
    static final String TRADE_NOT_READY = "trade-api is not ready (restoring accounts or catching up with the "
            + "exchange feed)";

    private final Vertx vertx;
    private final ExchangeService exchange;
    private final String exchangeDeployment;
    private final MarketApiService market;
    private final String marketDeployment;
    private final TradeApiService trade;
    private final String tradeDeployment;
    private final GatewayServer gateway;
    private final HttpServer http;
    private final Router router;

    private AllInOne(Vertx vertx, ExchangeService exchange, String exchangeDeployment, MarketApiService market,
                     String marketDeployment, TradeApiService trade, String tradeDeployment, GatewayServer gateway,
                     HttpServer http, Router router) {
        this.trade = trade;
        this.tradeDeployment = tradeDeployment;
        this.vertx = vertx;
        this.exchange = exchange;
        this.exchangeDeployment = exchangeDeployment;
        this.market = market;
        this.marketDeployment = marketDeployment;
        this.gateway = gateway;
        this.http = http;
        this.router = router;
    }

    public static void main(String[] args) {
        LogFormat.configureOrExit("opentrade"); // OPENTRADE_LOG_FORMAT=text|json, before anything logs
        long t0 = System.nanoTime();
        AllInOne app;
        try {
            app = start(ConfigLoader.fromSystem()).toCompletionStage().toCompletableFuture()
                    .get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof ConfigException) {
                LOG.severe("bad configuration: " + cause.getMessage());
            } else if (String.valueOf(cause.getMessage()).contains("Address already in use")) {
                // Netty's bind error names neither the port nor the setting that chose it.
                LOG.severe("start-up failed: a port the all-in-one listens on is taken (the HTTP port, "
                        + "OPENTRADE_HTTP_PORT, 8080 by default; OPENTRADE_HTTP_HOST chooses the address): stop what "
                        + "uses it or pick another port, e.g. OPENTRADE_HTTP_PORT=9090 ./start.sh (" + cause.getMessage() + ")");
            } else {
                LOG.log(Level.SEVERE, "start-up failed", cause);
            }
            System.exit(1);
            return;
        }
        var fix = app.trade().tradeConfig().fix();
        LOG.info(String.format("OpenTrade all-in-one listening in %d ms (JVM up %d ms, %s transport): http://%s:%d%s",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                ManagementFactory.getRuntimeMXBean().getUptime(),
                app.vertx().isNativeTransportEnabled() ? "native epoll" : "NIO", "localhost", app.httpPort(),
                fix.enabled() ? String.format("; FIX 4.4 on %s:%d once trade-api has caught up with the feed",
                        fix.host(), fix.port()) : ""));
        // market-api backfills history and both services catch up with the feed after the port opens: until
        // then /ready answers 503 with the reason, and their APIs 503 (-6015, -9001).
        Future.all(app.market().whenReady(), app.trade().whenReady()).onSuccess(v -> LOG.info(String.format(
                "market data and trading ready %d ms after start; /ready answers 200",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // JUL resets its handlers in its own shutdown hook, so these lines go to stderr directly.
            try {
                app.stop(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                System.err.println("OpenTrade all-in-one stopped cleanly");
            } catch (Exception e) {
                System.err.println("OpenTrade all-in-one: clean stop did not finish: " + e);
            }
        }, "opentrade-shutdown"));
    }

    /**
     * Loads both configs, starts Vert.x, the exchange service and the HTTP server. On failure
     * everything started so far is closed again.
     */
    public static Future<AllInOne> start(ConfigLoader loader) {
        LauncherConfig launcher;
        ExchangeConfig exchangeConfig;
        GatewayConfig configuredGateway;
        MarketApiConfig marketConfig;
        TradeApiConfig tradeConfig;
        try {
            launcher = LauncherConfig.load(loader);
            exchangeConfig = ExchangeConfig.load(loader);
            // Served on the all-in-one's port: its host check (DNS rebinding) follows http.host, not gateway.host.
            configuredGateway = GatewayConfig.load(loader).withHost(launcher.httpHost());
            // In-process: loopback only, on a free port the gateway is then pointed at.
            marketConfig = MarketApiConfig.load(loader).withServer("127.0.0.1", 0);
            tradeConfig = TradeApiConfig.load(loader).withServer("127.0.0.1", 0)
                    .withFix(launcher.fixEnabled(), launcher.fixHost(), launcher.fixPort());
        } catch (ConfigException e) {
            return Future.failedFuture(e);
        }
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
        SpanStore spans = new SpanStore(configuredGateway.tracing().getStoreTraces(),
                configuredGateway.tracing().getStoreSpansPerTrace());
        ExchangeService exchange = new ExchangeService(exchangeConfig, Tracing.create(exchangeConfig.tracing(), spans));
        // market-api starts before the gateway (the gateway needs its port) and learns the gateway's
        // key after: until then it refuses every call, which nothing can make before the gateway listens.
        AtomicReference<CallerCheck> callers = new AtomicReference<>(request -> null);
        AtomicReference<org.opentrade.trade.adapter.http.CallerCheck> tradeCallers = new AtomicReference<>(request -> null);
        AtomicReference<String> adminToken = new AtomicReference<>("");
        MarketApiService market = new MarketApiService(marketConfig, Tracing.create(marketConfig.tracing(), spans),
                request -> callers.get().verify(request), Stores::open, adminToken::get);
        TradeApiService trade = new TradeApiService(tradeConfig, Tracing.create(tradeConfig.tracing(), spans),
                request -> tradeCallers.get().verify(request), adminToken::get);
        return vertx.deployVerticle(exchange).compose(id -> vertx.deployVerticle(market).compose(marketId ->
                vertx.deployVerticle(trade).map(tradeId -> new String[] {marketId, tradeId})).compose(ids -> {
            String marketId = ids[0];
            String tradeId = ids[1];
            GatewayConfig gatewayConfig = configuredGateway.upstreams().containsKey(RouteTable.MARKET) ? configuredGateway
                    : configuredGateway.withUpstream(RouteTable.MARKET, new UpstreamPoolOptions().setName(RouteTable.MARKET)
                            .setTargets(List.of("127.0.0.1:" + market.port())));
            if (!gatewayConfig.upstreams().containsKey(RouteTable.TRADE)) {
                // Longer than trade-api's own exchange timeout, so a slow exchange gets trade-api's 504 with
                // the order's lookup URL rather than the gateway's bare one.
                gatewayConfig = gatewayConfig.withUpstream(RouteTable.TRADE, new UpstreamPoolOptions()
                        .setName(RouteTable.TRADE).setTargets(List.of("127.0.0.1:" + trade.port()))
                        .setRequestTimeout(tradeConfig.commandTimeout().plusSeconds(5)));
            }
            GatewayConfig gatewayFinal = gatewayConfig;
            return GatewayServer.start(vertx, gatewayFinal, spans).compose(gw -> {
                AssertionVerifier verifier = new AssertionVerifier(List.of(gw.identityPublicKey()),
                        IdentityAssertions.DEFAULT_CLOCK_SKEW);
                callers.set(new AssertionCallerCheck(verifier));
                tradeCallers.set(new org.opentrade.trade.adapter.http.AssertionCallerCheck(verifier));
                adminToken.set(adminToken(gatewayFinal));
                Router router = Router.router(vertx);
                gw.mount(router);
                ConnectionGuard guard = new ConnectionGuard(vertx, gatewayFinal.server(), gatewayFinal.trustedProxies());
                OperationsEndpoints.addRoutes(router, () -> whyNotReady(exchange::isReady, market::isReady, trade::isReady),
                        () -> exchange.metrics().prometheusText()
                        + gw.prometheus() + guard.prometheus() + market.metrics() + trade.metrics(), gw.metricsAccess());
                Portal.addRoutes(router);
                return GatewayServer.createServer(vertx, gatewayFinal.server(), guard, router)
                        .listen(launcher.httpPort(), launcher.httpHost())
                        .map(server -> new AllInOne(vertx, exchange, id, market, marketId, trade, tradeId, gw, server,
                                router));
            });
        }))
                .recover(err -> {
                    vertx.close(); // not awaited: its completion would be delivered on a closing event loop
                    return Future.failedFuture(err);
                });
    }

    /**
     * Why the all-in-one is not ready, or null when it is: ready means every API answers, so the
     * exchange serves commands, market-api has its history and the live feed, and trade-api its
     * accounts and the feed (a probe that said ready while market data still answered 503 -6015 sent
     * the first callers into errors).
     */
    static String whyNotReady(BooleanSupplier exchange, BooleanSupplier market, BooleanSupplier trade) {
        if (!exchange.getAsBoolean()) {
            return OPERATIONS_NOT_READY;
        }
        if (!market.getAsBoolean()) {
            return MARKET_NOT_READY;
        }
        return trade.getAsBoolean() ? null : TRADE_NOT_READY;
    }

    /** The gateway's admin token: configured, else the one it keeps in its data dir. */
    private static String adminToken(GatewayConfig config) {
        if (!config.adminToken().isEmpty()) {
            return config.adminToken();
        }
        try {
            return Files.readString(config.dataDir().resolve("admin-token")).strip();
        } catch (java.io.IOException e) {
            LOG.warning("market-api's admin import is off: cannot read the gateway's admin token: " + e.getMessage());
            return "";
        }
    }

    public MarketApiService market() {
        return market;
    }

    public TradeApiService trade() {
        return trade;
    }

    /**
     * The routes of the public HTTP port: the gateway's (its own and the routed API), the operations
     * endpoints and the portal. The contract test compares them with {@code openapi/opentrade.yaml}.
     */
    public List<io.vertx.ext.web.Route> routes() {
        return router.getRoutes();
    }

    /** The port the HTTP server listens on (the real one when configured as 0). */
    public int httpPort() {
        return http.actualPort();
    }

    public Vertx vertx() {
        return vertx;
    }

    public ExchangeService exchange() {
        return exchange;
    }

    /** How long a stop waits at most for requests in flight and open streams to end. */
    static final long SHUTDOWN_GRACE_MILLIS = 5_000;

    /**
     * Stops serving HTTP (gracefully: requests in flight are answered, open streams are closed 1001 with the
     * error model, within {@link #SHUTDOWN_GRACE_MILLIS}), stops the exchange (withdraws simulator orders,
     * snapshots), closes Vert.x.
     * Blocks: call it from a thread that is not Vert.x's (main, a shutdown hook, a test), because
     * Vert.x's own threads end while it closes.
     */
    public void stop(long timeout, TimeUnit unit) throws Exception {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        try {
            // Vert.x's graceful shutdown: no new connections, open streams told to reconnect (1001, the error
            // model), requests in flight answered; at most SHUTDOWN_GRACE, then whatever is left is closed.
            http.shutdown(SHUTDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS).eventually(() -> gateway.close(vertx))
                    .eventually(() -> vertx.undeploy(tradeDeployment))
                    .eventually(() -> vertx.undeploy(marketDeployment))
                    .eventually(() -> vertx.undeploy(exchangeDeployment)).toCompletionStage().toCompletableFuture()
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture()
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            LOG.info("OpenTrade all-in-one stopped");
        }
    }
}
