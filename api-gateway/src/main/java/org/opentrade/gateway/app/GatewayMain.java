package org.opentrade.gateway.app;

import org.opentrade.common.logging.LogFormat;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.cluster.ClusteredVertx;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.gateway.adapter.http.ConnectionGuard;
import org.opentrade.gateway.adapter.http.GracefulStop;

/**
 * The standalone gateway of distributed mode: {@code java -jar api-gateway.jar}, configured by
 * {@code gateway.yaml} (typically {@code OPENTRADE_GATEWAY_STORE=redis},
 * {@code OPENTRADE_MARKET_API_TARGETS}, {@code OPENTRADE_TRADE_API_TARGETS},
 * {@code OPENTRADE_ZIPKIN_ENDPOINT}). Serves {@code /v1/*} plus {@code /health}, {@code /ready}
 * (all upstream pools have an instance, and not stopping) and {@code /metrics}. On SIGTERM it stops
 * gracefully ({@link GracefulStop}).
 *
 * <p>With {@code gateway.event_bus: cluster} ({@code OPENTRADE_GATEWAY_EVENT_BUS=cluster}) it joins
 * distributed mode's cluster ({@code cluster:} section, {@link ClusteredVertx}), so its key check
 * on {@code opentrade.gateway.keys.authenticate} (registered by {@link ApiGateway} on whatever bus it
 * runs on) answers trade-api's FIX logons; every gateway of the cluster serves that address, and the
 * bus spreads the requests over them.
 */
public final class GatewayMain {
    private static final Logger LOG = Logger.getLogger(GatewayMain.class.getName());

    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        LogFormat.configureOrExit("api-gateway"); // OPENTRADE_LOG_FORMAT=text|json, before anything logs
        GatewayConfig config;
        try {
            config = GatewayConfig.load(ConfigLoader.fromSystem());
        } catch (ConfigException e) {
            LOG.severe("bad configuration: " + e.getMessage());
            System.exit(1);
            return;
        }
        VertxOptions options = new VertxOptions();
        Transport transport;
        try {
            transport = config.transport().resolve();
        } catch (IllegalStateException e) {
            LOG.severe("bad configuration: gateway.transport: " + e.getMessage());
            System.exit(1);
            return;
        }
        Vertx vertx;
        if (config.eventBus() == GatewayConfig.EventBusMode.CLUSTER) {
            try {
                // The main thread waits to join (not an event loop): nothing else runs here yet.
                vertx = ClusteredVertx.join(config.cluster(), options, transport, Duration.ofSeconds(120));
            } catch (Exception e) {
                LOG.log(Level.SEVERE, "cannot join " + config.cluster(), e.getCause() != null ? e.getCause() : e);
                System.exit(1);
                return;
            }
        } else {
            vertx = Vertx.builder().with(options).withTransport(transport).build();
        }
        GatewayServer gw;
        GracefulStop stop = new GracefulStop(vertx, config.shutdown());
        try {
            // The main thread waits for start-up (not an event loop): nothing else runs here yet.
            gw = GatewayServer.start(vertx, config, null).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            Router router = Router.router(vertx);
            gw.mount(router);
            // One server per event loop on the same port: Vert.x spreads connections over them. One
            // guard for all of them, so the connection cap is the gateway's.
            ConnectionGuard guard = new ConnectionGuard(vertx, config.server(), config.trustedProxies());
            gw.mountOperations(router, stop, guard);
            vertx.deployVerticle(() -> new AbstractVerticle() {
                @Override
                public void start(Promise<Void> started) {
                    GatewayServer.createServer(vertx, config.server(), guard, stop.guard(router))
                            .listen(config.port(), config.host()).onSuccess(stop::add).<Void>mapEmpty()
                            .onComplete(started);
                }
            }, new DeploymentOptions().setInstances(config.eventLoops()))
                    // still the main thread waiting for the listeners (not an event loop)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "gateway start-up failed", e.getCause() != null ? e.getCause() : e);
            vertx.close();
            System.exit(1);
            return;
        }
        LOG.info("OpenTrade API gateway listening on " + config.host() + ":" + config.port() + " (store "
                + config.store() + ", " + config.eventLoops() + " event loops, "
                + transport.name() + " transport, event bus "
                + (vertx.isClustered() ? "clustered: " + config.cluster() : "local") + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // Not ready, then no new connections, open streams told to reconnect elsewhere, requests in
                // flight answered; only then the pools and stores close under them.
                stop.run().toCompletionStage().toCompletableFuture()
                        .get(config.shutdown().notice().plus(config.shutdown().grace()).toSeconds() + 5, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("gateway: graceful stop did not finish: " + e);
            }
            try {
                gw.close(vertx).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("gateway: clean stop did not finish: " + e);
            }
            try {
                // Awaited on the shutdown hook's own thread (never an event loop), so a clustered gateway leaves
                // the cluster before the JVM ends (Hazelcast's own hook is off: see ClusteredVertx).
                vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("gateway: Vert.x did not close cleanly: " + e);
            }
        }, "gateway-shutdown"));
    }
}
