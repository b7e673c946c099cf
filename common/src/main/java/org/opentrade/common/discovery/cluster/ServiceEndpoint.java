package org.opentrade.common.discovery.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.logging.Logger;
import org.opentrade.common.discovery.ServiceDiscovery;
import org.opentrade.common.discovery.ServiceInstance;
import org.opentrade.common.lifecycle.Drain;

/**
 * The hook a service's main calls to be found by the gateways: once its HTTP server listens,
 * {@link #announce} puts its endpoint in the cluster's registry; on shutdown, before the server
 * stops, {@link #drain(Duration, Duration, IntSupplier)} tells the gateways to send nothing new, waits
 * while the requests they already sent finish, and withdraws. A process that dies without draining is removed when the
 * cluster notices its member is gone.
 *
 * <p>A service's {@code main} calls {@link #announceOnceReady} once it listens, and
 * {@link #drainFromHook} from its shutdown hook before {@code vertx.close()}, which waits on that
 * thread, never on an event loop.
 */
public final class ServiceEndpoint {
    /**
     * The longest {@link #drain()} waits between announcing draining and withdrawing. It covers the
     * longest request the gateways may have sent just before they heard: the gateway's default upstream
     * request timeout (5 s), after which the gateway has answered anyway. Shorter stops sooner but may
     * cut a slow request; longer delays shutdown.
     */
    public static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(5);
    /**
     * How long {@link #drain()} waits at least: the gateways hear of the drain through the cluster in
     * milliseconds, and a request one of them sent just before arrives within that; then only requests
     * in flight hold the stop.
     */
    public static final Duration DEFAULT_DRAIN_NOTICE = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(ServiceEndpoint.class.getName());

    private final Vertx vertx;
    private final HazelcastServiceDiscovery discovery;
    private final ServiceDiscovery.Announcement announcement;

    private ServiceEndpoint(Vertx vertx, HazelcastServiceDiscovery discovery, ServiceDiscovery.Announcement announcement) {
        this.vertx = vertx;
        this.discovery = discovery;
        this.announcement = announcement;
    }

    /**
     * Announces {@code service} at {@code host:port} with the default weight, under a fresh instance
     * id. A wildcard host (0.0.0.0, ::) is replaced by this member's cluster address, which the
     * gateways can reach. {@code vertx} must be clustered (Hazelcast).
     */
    public static Future<ServiceEndpoint> announce(Vertx vertx, String service, String host, int port) {
        return announce(vertx, service, host, port, ServiceInstance.DEFAULT_WEIGHT);
    }

    /** As {@link #announce(Vertx, String, String, int)} with a weight (0..{@value ServiceInstance#MAX_WEIGHT}). */
    public static Future<ServiceEndpoint> announce(Vertx vertx, String service, String host, int port, int weight) {
        return announce(vertx, service, host, port, weight, 0);
    }

    /**
     * As {@link #announce(Vertx, String, String, int, int)}, serving one account partition
     * (1..{@value ServiceInstance#MAX_PARTITIONS}; 0: every caller): gateways whose pool for
     * {@code service} is partitioned send it only the callers of that partition.
     */
    public static Future<ServiceEndpoint> announce(Vertx vertx, String service, String host, int port, int weight,
                                                   int partition) {
        Objects.requireNonNull(service, "service");
        return ClusterDiscovery.start(vertx).compose(discovery -> {
            String advertised = host == null || host.isBlank() || ServiceInstance.isWildcard(host)
                    ? discovery.memberHost() : host;
            ServiceInstance instance;
            try {
                instance = new ServiceInstance(service, newInstanceId(service, advertised, port), advertised, port,
                        weight, false, partition);
            } catch (IllegalArgumentException e) {
                discovery.close();
                return Future.failedFuture(e);
            }
            return Future.fromCompletionStage(discovery.announce(instance), vertx.getOrCreateContext())
                    .map(a -> {
                        LOG.info("discovery: announced " + service + " instance " + instance.instanceId() + " at "
                                + instance.address());
                        return new ServiceEndpoint(vertx, discovery, a);
                    })
                    .onFailure(err -> discovery.close());
        });
    }

    /**
     * For a service's {@code main} once it listens: when {@code ready} completes (the service has caught
     * up and answers its API), announces it (the default weight). Gateways then never send a request or
     * stream to an instance that would answer "starting". Does not block: the result completes
     * with the endpoint, or with null when {@code vertx} is not clustered or the announcement failed
     * (logged; gateways with static targets still reach the instance). {@code ready} must never fail.
     */
    public static Future<ServiceEndpoint> announceOnceReady(Vertx vertx, String service, String host, int port,
                                                            int partition, Future<?> ready) {
        if (!vertx.isClustered()) {
            return Future.succeededFuture();
        }
        LOG.info(service + ": announced to the cluster's gateways once ready");
        return ready.compose(v -> announce(vertx, service, host, port, ServiceInstance.DEFAULT_WEIGHT, partition))
                .recover(err -> {
                    LOG.log(java.util.logging.Level.WARNING, service + " could not announce itself to the cluster's"
                            + " gateways; gateways with static targets still reach it", err);
                    return Future.succeededFuture();
                });
    }

    /**
     * For a service's shutdown hook (never an event loop): drains what {@link #announceOnceReady} announced
     * ({@link #drain(Duration, Duration, IntSupplier)} with the defaults and {@code inFlight}), waiting at
     * most {@code timeout}; nothing when it has not been announced (yet).
     */
    public static void drainFromHook(Future<ServiceEndpoint> announced, Duration timeout, IntSupplier inFlight)
            throws Exception {
        ServiceEndpoint endpoint = announced.succeeded() ? announced.result() : null;
        if (endpoint != null) {
            // Gateways stop sending new requests, in-flight ones finish.
            endpoint.drain(DEFAULT_DRAIN_NOTICE, DEFAULT_DRAIN_GRACE, inFlight).toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** {@code service-host-port-<8 hex>}: readable in logs, unique across restarts on the same port. */
    static String newInstanceId(String service, String host, int port) {
        return service + "-" + host.replace(':', '_') + "-" + port + "-"
                + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    /** The instance as currently announced. */
    public ServiceInstance instance() {
        return announcement.instance();
    }

    /** {@link #drain(Duration)} with {@link #DEFAULT_DRAIN_GRACE}. */
    public Future<Void> drain() {
        return drain(DEFAULT_DRAIN_GRACE);
    }

    /**
     * Announces draining, waits {@code grace} (the server keeps serving what it gets meanwhile),
     * then withdraws and stops the discovery. Call it before the HTTP server stops. {@code grace}
     * may be zero. Without a count of the requests in flight, the whole grace is waited.
     */
    public Future<Void> drain(Duration grace) {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("drain grace must be zero or positive, got " + grace);
        }
        return drain(grace, grace, () -> 0);
    }

    /**
     * Announces draining, waits {@code notice}, then while {@code inFlight} (the server's requests being
     * served, streams left out) is above 0, at most {@code grace} in all ({@link Drain}); then withdraws
     * and stops the discovery. The server keeps serving what it gets meanwhile. Call it before the HTTP
     * server stops.
     */
    public Future<Void> drain(Duration notice, Duration grace, IntSupplier inFlight) {
        Objects.requireNonNull(inFlight, "inFlight");
        Drain.requireValid(notice, grace); // before anything is announced
        return Future.fromCompletionStage(announcement.drain(), vertx.getOrCreateContext())
                .compose(v -> {
                    LOG.info("discovery: " + instance().instanceId() + " draining; withdrawing once nothing is in flight,"
                            + " after " + notice.toMillis() + " ms at least and " + grace.toMillis() + " ms at most");
                    return Drain.untilIdle(vertx, notice, grace, inFlight);
                })
                .compose(outcome -> {
                    LOG.info("discovery: " + instance().instanceId() + " drained in " + outcome.waitedMillis() + " ms"
                            + (outcome.idle() ? ", nothing in flight" : ", " + outcome.stillInFlight()
                            + " request(s) still in flight at the end of the grace"));
                    return Future.fromCompletionStage(announcement.withdraw(), vertx.getOrCreateContext());
                })
                .eventually(() -> Future.fromCompletionStage(discovery.close(), vertx.getOrCreateContext()));
    }

    /** Withdraws at once, without draining (e.g. a failed start), and stops the discovery. */
    public Future<Void> withdraw() {
        return Future.fromCompletionStage(announcement.withdraw(), vertx.getOrCreateContext())
                .eventually(() -> Future.fromCompletionStage(discovery.close(), vertx.getOrCreateContext()));
    }
}
