package org.opentrade.trade.app;

import org.opentrade.common.logging.LogFormat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentrade.common.discovery.cluster.ServiceEndpoint;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.cluster.ClusteredVertx;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.identity.AssertionVerifier;
import org.opentrade.common.identity.GatewayKeys;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.exchange.client.FeedBatchCodec;
import org.opentrade.trade.adapter.http.AssertionCallerCheck;

/**
 * trade-api on its own: {@code java -jar trade-api/target/trade-api-0.1.0-SNAPSHOT-all.jar}.
 * Reads {@code trade-api.yaml} (overridable by a file named in {@code OPENTRADE_TRADE_CONFIG} and
 * by the environment variables it names), joins the clustered event bus (Hazelcast; its {@code cluster:}
 * section, {@link ClusteredVertx}) to reach the exchange, and verifies the
 * gateway's assertions with the public key file {@code identity.public_key_file}, which is required
 * here: without it no call could be answered. Stops cleanly on SIGTERM.
 */
public final class TradeApiMain {
    private static final Logger LOG = Logger.getLogger(TradeApiMain.class.getName());

    private TradeApiMain() {
    }

    /** Runs on the JVM's main thread: its blocking waits for start-up and shutdown stall no event loop. */
    public static void main(String[] args) throws Exception {
        LogFormat.configureOrExit("trade-api"); // OPENTRADE_LOG_FORMAT=text|json, before anything logs
        TradeApiConfig config;
        AssertionVerifier verifier;
        try {
            config = TradeApiConfig.load(ConfigLoader.fromSystem());
            if (config.identityPublicKeyFile() == null) {
                throw new ConfigException("config key 'identity.public_key_file' is empty; allowed: the gateway's public key"
                        + " file (identity-ed25519.pub.pem in the gateway's data dir), e.g. OPENTRADE_IDENTITY_PUBLIC_KEY=/path");
            }
            verifier = new AssertionVerifier(List.of(GatewayKeys.loadPublicKey(config.identityPublicKeyFile())),
                    config.identityClockSkew());
        } catch (ConfigException e) {
            LOG.severe("bad configuration: " + e.getMessage());
            System.exit(1);
            return;
        } catch (Exception e) {
            LOG.severe("cannot read the gateway's public key: " + e.getMessage());
            System.exit(1);
            return;
        }
        // The main thread waits to join (not an event loop): nothing else runs here yet.
        Vertx vertx = ClusteredVertx.forMainOrExit(config.eventBus() != TradeApiConfig.EventBusMode.LOCAL, config.cluster());
        FeedBatchCodec.register(vertx);
        Tracing tracing = Tracing.create(config.tracing());
        TradeApiService service = new TradeApiService(config, tracing, new AssertionCallerCheck(verifier),
                config::adminToken);
        try {
            vertx.deployVerticle(service).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "trade-api could not start", e);
            vertx.close();
            System.exit(1);
            return;
        }
        // Gateways with upstreams.discovery: cluster find this instance once it is ready (caught up with the
        // exchange), serving partition instance_id when accounts are partitioned.
        Future<ServiceEndpoint> announced = ServiceEndpoint.announceOnceReady(vertx, "trade-api", config.host(),
                service.port(), config.store().partitions() > 0 ? config.store().instanceId() : 0, service.whenReady());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // Gateways stop sending new requests, in-flight ones finish (at least 1 s, at most 5 s), then Vert.x closes.
                ServiceEndpoint.drainFromHook(announced, java.time.Duration.ofSeconds(30), service::requestsInFlight);
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                tracing.close();
            } catch (Exception e) {
                System.err.println("trade-api: clean stop did not finish: " + e);
            }
        }, "trade-api-shutdown"));
    }
}
