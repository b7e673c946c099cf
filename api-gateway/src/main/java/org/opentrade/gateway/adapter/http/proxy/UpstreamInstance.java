package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;

/**
 * One instance of a pool: its address, its weight and whether it drains (as configured or as
 * discovered), what the active health check last concluded, and its circuit breaker. Read from any
 * event loop (fields are volatile; the breaker synchronizes); the health state is written only by
 * the pool's {@link HealthChecker}, weight and draining only by {@link UpstreamPool#update}.
 *
 * <p>An instance starts healthy, so a freshly started gateway (or a freshly discovered instance,
 * which announces itself only once it listens) serves at once; the breaker and the first failed
 * checks take a dead instance out.
 */
public final class UpstreamInstance {
    private final HostPort address;
    private final CircuitBreaker breaker;
    private final int unhealthyThreshold;
    private final int healthyThreshold;
    private volatile boolean healthy = true;
    private volatile int weight;
    private volatile boolean draining;
    private volatile int partition;
    private final String target;
    private int failuresInARow;
    private int successesInARow;
    /** A health check of this instance is in flight. Health checker's context only. */
    boolean checking;

    UpstreamInstance(HostPort address, CircuitBreaker breaker, int unhealthyThreshold, int healthyThreshold) {
        this.address = address;
        this.target = address.toString();
        this.breaker = breaker;
        this.unhealthyThreshold = unhealthyThreshold;
        this.healthyThreshold = healthyThreshold;
        this.weight = 1;
    }

    /** {@code host:port}, as configured or announced; rendered once (every proxied call names it to its hop). */
    public String target() {
        return target;
    }

    String host() {
        return address.host();
    }

    int port() {
        return address.port();
    }

    /** What the active health check concluded last. */
    public boolean healthy() {
        return healthy;
    }

    /** Share of new requests relative to the pool's other instances (1 for static targets). */
    public int weight() {
        return weight;
    }

    /** Announced draining: it gets no new requests; those already sent finish. */
    public boolean draining() {
        return draining;
    }

    /** CLOSED, OPEN or HALF_OPEN. */
    public CircuitBreakerState breakerState() {
        return breaker.state();
    }

    /**
     * Takes new requests: not draining, weight above 0, healthy, and the breaker would let a request
     * through (closed, or half-open for its probe).
     */
    boolean usable() {
        return !draining && weight > 0 && healthy && breaker.state() != CircuitBreakerState.OPEN;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /** Called by the pool, under its update lock, when discovery announces new values. */
    void announce(int weight, boolean draining, int partition) {
        this.weight = weight;
        this.draining = draining;
        this.partition = partition;
    }

    /** The account partition it serves (1..n), or 0 for every caller. */
    public int partition() {
        return partition;
    }

    /** One health check result. Called on the health checker's context only. */
    void recordCheck(boolean passed) {
        if (passed) {
            failuresInARow = 0;
            if (!healthy && ++successesInARow >= healthyThreshold) {
                healthy = true;
                successesInARow = 0;
            }
        } else {
            successesInARow = 0;
            if (healthy && ++failuresInARow >= unhealthyThreshold) {
                healthy = false;
                failuresInARow = 0;
            }
        }
    }

    @Override
    public String toString() {
        return target() + (healthy ? " healthy " : " unhealthy ") + breaker.state() + (draining ? " draining" : "")
                + (weight != 1 ? " weight " + weight : "");
    }
}
