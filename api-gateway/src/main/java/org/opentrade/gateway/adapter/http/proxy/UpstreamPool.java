package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentrade.gateway.domain.InFlightLimit;

/**
 * The instances behind one upstream name, with active health checks and a circuit breaker per
 * instance, plus the pooled keep-alive HTTP client and the WebSocket client used to reach them.
 *
 * <p>{@link #select} picks round-robin among instances that are healthy and whose breaker is not
 * open; when none is, it returns {@code null} at once, without a connect attempt. That is what
 * lets a dead upstream be answered with 503 in well under a millisecond once its breaker is open.
 *
 * <p>Thread-safe: one pool may serve every gateway verticle. Create it on the verticle's context
 * (or any context): the health checks run there. {@link #close()} stops them and the clients.
 */
public final class UpstreamPool {
    private final UpstreamPoolOptions options;
    private final List<UpstreamInstance> instances;
    private final Vertx vertx;
    private final HttpClientOptions clientOptions;
    private final PoolOptions poolOptions;
    /**
     * One keep-alive client per event loop that proxies through this pool. A connection belongs to
     * the event loop that opened it; shared across loops, half the calls would hop threads twice
     * (to the connection's loop and back). Few entries: one per event loop.
     */
    private final ConcurrentHashMap<Thread, HttpClientAgent> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final HttpClient healthClient;
    private final WebSocketClient webSocketClient;
    private final HealthChecker healthChecker;
    private final AtomicInteger next = new AtomicInteger();
    /** REST requests in flight to this pool, over every event loop: shed past the bound. */
    private final InFlightLimit inFlight;

    /** Validates and copies {@code options}; throws {@link IllegalArgumentException} naming a bad key. */
    public UpstreamPool(Vertx vertx, UpstreamPoolOptions options) {
        this.options = new UpstreamPoolOptions(options).validate();
        List<UpstreamInstance> list = new ArrayList<>();
        for (String target : this.options.getTargets()) {
            HostPort address = HostPort.parse(target, "upstreams." + this.options.getName() + ".targets");
            list.add(new UpstreamInstance(address, breaker(vertx, address), this.options.getUnhealthyThreshold(),
                    this.options.getHealthyThreshold()));
        }
        this.instances = List.copyOf(list);
        this.inFlight = new InFlightLimit(this.options.getMaxInFlight(), this.options.getInFlightReservedForOrders());
        int connectMillis = (int) this.options.getConnectTimeout().toMillis();
        this.vertx = vertx;
        this.clientOptions = new HttpClientOptions().setKeepAlive(true).setConnectTimeout(connectMillis)
                .setName("upstream-" + this.options.getName());
        this.poolOptions = new PoolOptions().setHttp1MaxSize(this.options.getMaxConnectionsPerInstance());
        this.healthClient = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setName("health-" + this.options.getName()),
                new PoolOptions().setHttp1MaxSize(1));
        this.webSocketClient = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setConnectTimeout(connectMillis)
                .setMaxFrameSize(this.options.getWsMaxFrameBytes())
                .setMaxMessageSize(this.options.getWsMaxMessageBytes())
                .setMaxConnections(this.options.getWsMaxConnectionsPerInstance())
                .setName("upstream-ws-" + this.options.getName()));
        this.healthChecker = new HealthChecker(vertx, healthClient, instances, this.options);
        healthChecker.start();
    }

    private CircuitBreaker breaker(Vertx vertx, HostPort address) {
        // timeout -1: the proxy enforces its own deadline and reports it as a failure, so the
        // breaker's own timer (which would fail the operation but not stop the request) stays off.
        // No notification address: no periodic event-bus publication per instance.
        CircuitBreakerOptions cb = new CircuitBreakerOptions()
                .setMaxFailures(options.getBreakerMaxFailures())
                .setResetTimeout(options.getBreakerResetTimeout().toMillis())
                .setTimeout(-1)
                .setFallbackOnFailure(false)
                .setNotificationAddress(null);
        return CircuitBreaker.create(options.getName() + "@" + address, vertx, cb);
    }

    /** The pool's name, e.g. {@code market-api}. */
    public String name() {
        return options.getName();
    }

    /** A copy of the validated options. */
    public UpstreamPoolOptions options() {
        return new UpstreamPoolOptions(options);
    }

    /** Every instance in configuration order, for readiness and metrics. */
    public List<UpstreamInstance> instances() {
        return instances;
    }

    /** True when at least one instance is usable now. */
    public boolean available() {
        return select(List.of()) != null;
    }

    /**
     * The next usable instance round-robin, skipping {@code exclude} (instances already tried by
     * this request); {@code null} when there is none. Called on any event loop; never blocks.
     */
    UpstreamInstance select(Collection<UpstreamInstance> exclude) {
        int n = instances.size();
        // Only a request's first pick advances the rotation: a retry must not shift every later
        // caller onto the instance that just failed.
        int start = Math.floorMod(exclude.isEmpty() ? next.getAndIncrement() : next.get(), n);
        for (int i = 0; i < n; i++) {
            UpstreamInstance candidate = instances.get((start + i) % n);
            if (candidate.usable() && !exclude.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The pool's bound on REST requests in flight (for the proxy and {@code /metrics}). */
    public InFlightLimit inFlight() {
        return inFlight;
    }

    HttpClient httpClient() {
        Thread thread = Thread.currentThread();
        HttpClientAgent client = clients.get(thread);
        if (client == null) {
            client = clients.computeIfAbsent(thread, t -> vertx.createHttpClient(clientOptions, poolOptions));
            if (closed) {
                client.close(); // raced with close(): calls fail fast instead of leaking a pool
            }
        }
        return client;
    }

    WebSocketClient webSocketClient() {
        return webSocketClient;
    }

    /** Stops health checks and closes the clients and breakers; in-flight calls are cut. */
    public Future<Void> close() {
        healthChecker.stop();
        instances.forEach(i -> i.breaker().close());
        closed = true;
        List<Future<Void>> closing = new ArrayList<>();
        clients.values().forEach(c -> closing.add(c.close()));
        closing.add(healthClient.close());
        closing.add(webSocketClient.close());
        return Future.join(closing).mapEmpty();
    }
}
