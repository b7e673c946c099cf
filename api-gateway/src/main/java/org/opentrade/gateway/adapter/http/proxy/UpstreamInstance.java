package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;

/**
 * One instance of a pool: its address, what the active health check last concluded, and its
 * circuit breaker. Read from any event loop (fields are volatile; the breaker synchronizes); the
 * health state is written only by the pool's {@link HealthChecker}.
 *
 * <p>An instance starts healthy, so a freshly started gateway serves at once; the breaker and the
 * first failed checks take a dead instance out.
 */
public final class UpstreamInstance {
    private final HostPort address;
    private final CircuitBreaker breaker;
    private final int unhealthyThreshold;
    private final int healthyThreshold;
    private volatile boolean healthy = true;
    private final String target;
    private int failuresInARow;
    private int successesInARow;

    UpstreamInstance(HostPort address, CircuitBreaker breaker, int unhealthyThreshold, int healthyThreshold) {
        this.address = address;
        this.target = address.toString();
        this.breaker = breaker;
        this.unhealthyThreshold = unhealthyThreshold;
        this.healthyThreshold = healthyThreshold;
    }

    /** {@code host:port}, as configured; rendered once (every proxied call names it to its hop). */
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

    /** CLOSED, OPEN or HALF_OPEN. */
    public CircuitBreakerState breakerState() {
        return breaker.state();
    }

    /** Healthy and the breaker would let a request through (closed, or half-open for its probe). */
    boolean usable() {
        return healthy && breaker.state() != CircuitBreakerState.OPEN;
    }

    CircuitBreaker breaker() {
        return breaker;
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
        return target() + (healthy ? " healthy " : " unhealthy ") + breaker.state();
    }
}
