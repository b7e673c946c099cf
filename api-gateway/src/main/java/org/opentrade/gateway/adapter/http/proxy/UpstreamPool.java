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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentrade.common.discovery.Partitions;
import org.opentrade.common.discovery.ServiceInstance;
import org.opentrade.gateway.domain.InFlightLimit;

/**
 * The instances behind one upstream name, with active health checks and a circuit breaker per
 * instance, plus the pooled keep-alive HTTP client and the WebSocket client used to reach them.
 *
 * <p>The instances are the configured targets ({@code upstreams.<name>.targets}) or, with
 * {@code upstreams.discovery: cluster}, whatever the cluster's service discovery announces, handed
 * over by {@link #update} whenever it changes. An update keeps the {@link UpstreamInstance} (its
 * breaker and health state) of every address that stays, and the per-loop clients are never
 * rebuilt, so keep-alive connections to unchanged instances survive every change. A removed
 * instance gets no new requests; requests already sent to it finish, and its idle pooled
 * connections close when it stops (or after the client's keep-alive timeout).
 *
 * <p>{@link #select} picks by smooth weighted round-robin (plain round-robin when every weight is
 * 1, as for static targets) among instances that are not draining, are healthy and whose breaker is
 * not open; when none is (or the pool has no instance at all), it returns {@code null} at once,
 * without a connect attempt. That is what lets a dead or empty upstream be answered with 503 in well
 * under a millisecond.
 *
 * <p>Thread-safe: one pool may serve every gateway verticle; {@link #update} may be called from any
 * thread. Create it on the verticle's context (or any context): the health checks run there.
 * {@link #close()} stops them and the clients.
 */
public final class UpstreamPool {
    /**
     * Largest piece of an upstream answer's body handed on at once (Vert.x's default is 8 KiB). Each
     * piece is one write, and one syscall, toward the caller: a 155 KiB K-line page went out in about 20;
     * at 64 KiB, the most one socket read brings in, it goes out in 3. Measured on the pinned gateway
     * proxying 155 KiB answers: about 450 -> 270 us of CPU per call (medians over 10-12 rounds of 8 s).
     * No more memory: the decoder passes on what one read brought, never waits to fill a piece.
     */
    static final int MAX_CHUNK_BYTES = 64 * 1024;
    private final UpstreamPoolOptions options;
    /** The instances and the rotation built from them; replaced as a whole by {@link #update}. */
    private volatile Members members = Members.EMPTY;
    private final Object updateLock = new Object();
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

    /**
     * The instances in the order given (configuration, or discovery's instance-id order), and the
     * weighted rotation {@link #select} walks: each serving instance appears weight times (after
     * dividing the weights by their greatest common divisor), interleaved.
     */
    private record Members(List<UpstreamInstance> all, UpstreamInstance[] rotation) {
        static final Members EMPTY = new Members(List.of(), new UpstreamInstance[0]);
    }

    /** Validates and copies {@code options}; throws {@link IllegalArgumentException} naming a bad key. */
    public UpstreamPool(Vertx vertx, UpstreamPoolOptions options) {
        this.options = new UpstreamPoolOptions(options).validate();
        this.vertx = vertx;
        List<Target> configured = new ArrayList<>();
        int partitions = this.options.getPartitions();
        for (String target : this.options.getTargets()) {
            // Partitioned static targets: the i-th serves partition i (validate() checked the count).
            configured.add(new Target(HostPort.parse(target, "upstreams." + this.options.getName() + ".targets"), 1,
                    false, partitions > 0 ? configured.size() + 1 : 0));
        }
        replace(configured);
        this.inFlight = new InFlightLimit(this.options.getMaxInFlight(), this.options.getInFlightReservedForOrders());
        int connectMillis = (int) this.options.getConnectTimeout().toMillis();
        this.clientOptions = new HttpClientOptions().setKeepAlive(true).setConnectTimeout(connectMillis)
                .setMaxChunkSize(MAX_CHUNK_BYTES)
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
        this.healthChecker = new HealthChecker(vertx, healthClient, this::instances, this.options);
        healthChecker.start();
    }

    /**
     * Makes {@code instances} the pool's instances (as discovery announces them; ids are not used,
     * addresses are): an address already known keeps its instance, breaker and health state and
     * takes the new weight and draining flag; a new address starts healthy; an address no longer
     * listed gets no new requests (its breaker is closed; requests in flight finish). Two entries
     * with one address (a restart on the same port announced before the old entry left) count as
     * one that serves if either does, with the larger weight. Called from any thread; never blocks.
     */
    public void update(Collection<ServiceInstance> instances) {
        Map<HostPort, Target> byAddress = new LinkedHashMap<>();
        for (ServiceInstance i : instances) {
            byAddress.merge(new HostPort(i.host(), i.port()), new Target(new HostPort(i.host(), i.port()), i.weight(),
                    i.draining(), i.partition()), Target::merge);
        }
        replace(byAddress.values());
    }

    /** One address with what was announced for it (static targets: weight 1, never draining). */
    private record Target(HostPort address, int weight, boolean draining, int partition) {
        Target merge(Target other) {
            return new Target(address, Math.max(weight, other.weight), draining && other.draining,
                    Math.max(partition, other.partition));
        }
    }

    private void replace(Collection<Target> targets) {
        synchronized (updateLock) {
            if (closed) {
                return;
            }
            Map<String, UpstreamInstance> known = new HashMap<>();
            for (UpstreamInstance u : members.all()) {
                known.put(u.target(), u);
            }
            List<UpstreamInstance> all = new ArrayList<>(targets.size());
            for (Target t : targets) {
                UpstreamInstance u = known.remove(t.address().toString());
                if (u == null) {
                    u = new UpstreamInstance(t.address(), breaker(vertx, t.address()), options.getUnhealthyThreshold(),
                            options.getHealthyThreshold());
                }
                u.announce(t.weight(), t.draining(), t.partition());
                all.add(u);
            }
            known.values().forEach(gone -> gone.breaker().close());
            members = new Members(List.copyOf(all), rotation(all));
        }
    }

    /**
     * Smooth weighted round-robin (as nginx's): each step every serving instance gains its weight,
     * the one with the most is picked and pays the total. Spreads a heavy instance's turns evenly
     * instead of in a burst; with equal weights it is the instances in order.
     */
    static UpstreamInstance[] rotation(List<UpstreamInstance> all) {
        List<UpstreamInstance> serving = new ArrayList<>();
        int gcd = 0;
        for (UpstreamInstance u : all) {
            if (!u.draining() && u.weight() > 0) {
                serving.add(u);
                gcd = gcd(gcd, u.weight());
            }
        }
        int n = serving.size();
        int[] weights = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = serving.get(i).weight() / gcd;
            total += weights[i];
        }
        UpstreamInstance[] order = new UpstreamInstance[total];
        int[] current = new int[n];
        for (int step = 0; step < total; step++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            order[step] = serving.get(best);
        }
        return order;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
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

    /** Every instance now, draining ones included, in configuration or discovery order: for readiness and metrics. */
    public List<UpstreamInstance> instances() {
        return members.all();
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
        return select(exclude, 0);
    }

    /**
     * The same among the instances serving {@code partition} (see {@link #partitionOf}); 0: any. An
     * account's partition has no stand-in: when its instances are all down the answer is 503, never
     * another partition's instance, which does not hold the account's state.
     */
    UpstreamInstance select(Collection<UpstreamInstance> exclude, int partition) {
        UpstreamInstance[] rotation = members.rotation();
        int n = rotation.length;
        if (n == 0) {
            return null;
        }
        // Only a request's first pick advances the rotation: a retry must not shift every later
        // caller onto the instance that just failed.
        int start = Math.floorMod(exclude.isEmpty() ? next.getAndIncrement() : next.get(), n);
        for (int i = 0; i < n; i++) {
            UpstreamInstance candidate = rotation[(start + i) % n];
            if (partition != 0 && candidate.partition() != partition) {
                continue;
            }
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

    /**
     * The partition whose instances serve {@code developerId}: 0 when this pool is not partitioned
     * ({@code upstreams.<name>.partitions}) or there is no caller; else 1..partitions.
     */
    int partitionOf(String developerId) {
        int partitions = options.getPartitions();
        return partitions == 0 || developerId == null ? 0 : Partitions.of(developerId, partitions);
    }

    /** The authenticated caller's developer id, or null. */
    static String developerOf(io.vertx.ext.web.RoutingContext ctx) {
        org.opentrade.gateway.domain.Principal p = ctx.get(org.opentrade.gateway.adapter.http.RequestKeys.PRINCIPAL);
        return p == null ? null : p.developerId();
    }

    /** Stops health checks and closes the clients and breakers; in-flight calls are cut. */
    public Future<Void> close() {
        healthChecker.stop();
        synchronized (updateLock) {
            closed = true;
            members.all().forEach(i -> i.breaker().close());
        }
        List<Future<Void>> closing = new ArrayList<>();
        clients.values().forEach(c -> closing.add(c.close()));
        closing.add(healthClient.close());
        closing.add(webSocketClient.close());
        return Future.join(closing).mapEmpty();
    }
}
