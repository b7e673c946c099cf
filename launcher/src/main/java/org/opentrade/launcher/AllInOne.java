package org.opentrade.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.exchange.app.ExchangeConfig;
import org.opentrade.exchange.app.ExchangeService;
import org.opentrade.gateway.adapter.http.ConnectionGuard;
import org.opentrade.gateway.app.GatewayConfig;
import org.opentrade.gateway.app.GatewayServer;
import io.vertx.ext.web.Router;

/**
 * The all-in-one: one JVM with Vert.x, the sandbox exchange (with its liquidity simulator), the API
 * gateway ({@code /v1/*}, embedded stores under {@code ./data/gateway}) and the operations
 * endpoints, all on one HTTP port. {@code java -jar launcher/target/opentrade-all-in-one.jar}.
 *
 * <p>Configuration: {@code launcher.yaml} and {@code exchange.yaml} on the classpath, each
 * overridable by a file ({@code OPENTRADE_LAUNCHER_CONFIG}, {@code OPENTRADE_EXCHANGE_CONFIG}) and by
 * the environment variables they name. A bad value stops start-up with a message naming the key.
 * Stops cleanly on SIGTERM/Ctrl-C (simulator orders withdrawn, shards snapshotted).
 */
public final class AllInOne {
    private static final Logger LOG = Logger.getLogger(AllInOne.class.getName());
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final ExchangeService exchange;
    private final String exchangeDeployment;
    private final GatewayServer gateway;
    private final HttpServer http;

    private AllInOne(Vertx vertx, ExchangeService exchange, String exchangeDeployment, GatewayServer gateway,
                     HttpServer http) {
        this.vertx = vertx;
        this.exchange = exchange;
        this.exchangeDeployment = exchangeDeployment;
        this.gateway = gateway;
        this.http = http;
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
        }
        long t0 = System.nanoTime();
        AllInOne app;
        try {
            app = start(ConfigLoader.fromSystem()).toCompletionStage().toCompletableFuture()
                    .get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof ConfigException) {
                LOG.severe("bad configuration: " + cause.getMessage());
            } else {
                LOG.log(Level.SEVERE, "start-up failed", cause);
            }
            System.exit(1);
            return;
        }
        LOG.info(String.format("OpenTrade all-in-one ready in %d ms (JVM up %d ms): http://%s:%d",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                ManagementFactory.getRuntimeMXBean().getUptime(), "localhost", app.httpPort()));
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
        GatewayConfig gatewayConfig;
        try {
            launcher = LauncherConfig.load(loader);
            exchangeConfig = ExchangeConfig.load(loader);
            gatewayConfig = GatewayConfig.load(loader);
        } catch (ConfigException e) {
            return Future.failedFuture(e);
        }
        Vertx vertx = Vertx.vertx();
        ExchangeService exchange = new ExchangeService(exchangeConfig);
        return vertx.deployVerticle(exchange).compose(id -> GatewayServer.start(vertx, gatewayConfig, null)
                .compose(gw -> {
                    Router router = Router.router(vertx);
                    gw.mount(router);
                    OperationsEndpoints.addRoutes(router, exchange::isReady,
                            () -> PrometheusText.render(exchange.metrics()) + gw.gateway().prometheus());
                    Portal.addRoutes(router);
                    return GatewayServer.createServer(vertx, gatewayConfig.server(),
                                    new ConnectionGuard(vertx, gatewayConfig.server()), router)
                            .listen(launcher.httpPort(), launcher.httpHost())
                            .map(server -> new AllInOne(vertx, exchange, id, gw, server));
                }))
                .recover(err -> {
                    vertx.close(); // not awaited: its completion would be delivered on a closing event loop
                    return Future.failedFuture(err);
                });
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

    /**
     * Stops serving HTTP, stops the exchange (withdraws simulator orders, snapshots), closes Vert.x.
     * Blocks: call it from a thread that is not Vert.x's (main, a shutdown hook, a test), because
     * Vert.x's own threads end while it closes.
     */
    public void stop(long timeout, TimeUnit unit) throws Exception {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        try {
            http.close().eventually(() -> gateway.close(vertx)).eventually(() -> vertx.undeploy(exchangeDeployment)).toCompletionStage().toCompletableFuture()
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture()
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            LOG.info("OpenTrade all-in-one stopped");
        }
    }
}
