package org.opentrade.exchange.app;

import org.opentrade.common.logging.LogFormat;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.cluster.ClusteredVertx;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.exchange.adapter.hazelcast.HazelcastLeadershipRegister;
import org.opentrade.exchange.adapter.http.OperationsServer;

/**
 * The sandbox exchange on its own, for distributed mode:
 * {@code java -jar sandbox-exchange/target/sandbox-exchange-0.1.0-SNAPSHOT-all.jar}. Reads
 * {@code exchange.yaml} (overridable by a file named in {@code OPENTRADE_EXCHANGE_CONFIG} and by the
 * environment variables it names), joins the cluster of its {@code cluster:} section, runs
 * {@link ExchangeService} (journal, feed, commands, simulator) on the clustered event bus, exports
 * spans of traced commands to Zipkin when {@code tracing.zipkin_endpoint} is set, and serves
 * {@code /health}, {@code /ready}, {@code /metrics} on {@code operations.host:port}.
 *
 * <p>Logs {@code "sandbox-exchange ready ..."} once it serves commands. On SIGTERM it stops serving,
 * withdraws the simulator's orders, snapshots the shards, leaves the cluster and flushes spans, in
 * that order, then exits.
 */
public final class ExchangeMain {
    private static final Logger LOG = Logger.getLogger(ExchangeMain.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final long STOP_TIMEOUT_SECONDS = 30;
    static final String NOT_READY = "the exchange is not ready (recovering or stopping)";

    private ExchangeMain() {
    }

    /** Runs on the JVM's main thread: its blocking waits for start-up stall no event loop. */
    public static void main(String[] args) {
        LogFormat.configureOrExit("sandbox-exchange"); // OPENTRADE_LOG_FORMAT=text|json, before anything logs
        long t0 = System.nanoTime();
        ExchangeConfig config;
        try {
            config = ExchangeConfig.load(ConfigLoader.fromSystem());
        } catch (ConfigException e) {
            LOG.severe("bad configuration: " + e.getMessage());
            System.exit(1);
            return;
        }
        Tracing tracing = Tracing.create(config.tracing());
        Vertx vertx;
        try {
            vertx = ClusteredVertx.join(config.cluster(), new VertxOptions().setPreferNativeTransport(true), START_TIMEOUT);
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "cannot join " + config.cluster(), e.getCause() != null ? e.getCause() : e);
            tracing.close();
            System.exit(1);
            return;
        }
        ExchangeService service = new ExchangeService(config, tracing,
                config.failover().enabled() ? v -> HazelcastLeadershipRegister.open(ClusteredVertx.hazelcastOf(v),
                        config.failoverGroup())
                        : null,
                ExchangeMain::fenced);
        String deployment;
        HttpServer operations;
        try {
            deployment = await(vertx.deployVerticle(service).toCompletionStage().toCompletableFuture());
            operations = await(OperationsServer.start(vertx, config.operations().host(), config.operations().port(),
                    service::isReady, NOT_READY, () -> service.metrics().prometheusText())
                    .toCompletionStage().toCompletableFuture());
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "sandbox-exchange could not start", e.getCause() != null ? e.getCause() : e);
            closeQuietly(vertx, tracing);
            System.exit(1);
            return;
        }
        LOG.info(String.format("sandbox-exchange " + (config.failover().enabled() ? "started (failover: leads or stands"
                        + " by, see below)" : "ready") + " in %d ms (JVM up %d ms): operations http://%s:%d (/health,"
                        + " /ready, /metrics); %s; spans %s", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                ManagementFactory.getRuntimeMXBean().getUptime(), config.operations().host(), operations.actualPort(),
                config.cluster(), config.tracing().isExporting() ? "to " + config.tracing().getZipkinEndpoint()
                        : "not exported"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, operations, deployment, tracing),
                "sandbox-exchange-shutdown"));
    }

    /**
     * On the shutdown-hook thread (not an event loop): stop answering, undeploy the exchange (simulator
     * orders withdrawn, shards drained and snapshotted), leave the cluster, flush spans. JUL resets its
     * handlers in its own shutdown hook, so these lines go to stderr directly.
     */
    private static void stop(Vertx vertx, HttpServer operations, String deployment, Tracing tracing) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
        try {
            operations.close().eventually(() -> vertx.undeploy(deployment)).toCompletionStage().toCompletableFuture()
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            vertx.close().toCompletionStage().toCompletableFuture()
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            tracing.close();
            System.err.println("sandbox-exchange stopped cleanly");
        } catch (Exception e) {
            System.err.println("sandbox-exchange: clean stop did not finish: " + e);
        }
    }

    /**
     * Another process leads this one's shards now (this one was paused or cut off longer than its CP
     * session): it refuses every command already; end the process, so a supervisor starts it again as
     * the new leader's standby. The shutdown hook still stops it cleanly.
     */
    private static void fenced(String reason) {
        LOG.severe(reason + "; exiting (status 3)");
        new Thread(() -> System.exit(3), "sandbox-exchange-fenced").start();
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void closeQuietly(Vertx vertx, Tracing tracing) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("Vert.x did not close cleanly: " + e);
        }
        tracing.close();
    }
}
