package org.opentrade.gateway.adapter.http.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opentrade.common.config.Config;

/**
 * How the gateway talks to one pool of upstream instances (e.g. {@code market-api}): where they
 * are, how their health is checked, how long a call may take, when a breaker opens, how big a body
 * or WebSocket message may be. Vert.x-style: mutable setters that return {@code this}, one
 * {@code DEFAULT_*} per field. {@link #validate()} fails fast with a message naming the config key;
 * {@link UpstreamPool} calls it and copies the options, so later changes have no effect.
 *
 * <p>Where the instances come from is {@link Discovery}: the {@code targets} list, or the cluster's
 * service discovery (then {@code targets} must be empty and the pool may be empty for a while).
 *
 * <p>Config keys (YAML, under {@code upstreams.<name>}), read by {@link #fromConfig}:
 * {@code targets, health_path, health_interval, health_timeout, unhealthy_threshold,
 * healthy_threshold, connect_timeout, request_timeout, breaker_max_failures, breaker_reset_timeout,
 * max_retries, max_connections_per_instance, max_in_flight, in_flight_reserved_for_orders, ws_max_connections_per_instance, max_request_body_bytes, ws_max_frame_bytes,
 * ws_max_message_bytes, ws_ping_interval, ws_pong_timeout, ws_upstream_ping_interval}.
 */
public final class UpstreamPoolOptions {
    /** Where a pool's instances come from ({@code upstreams.discovery}). */
    public enum Discovery {
        /** The {@code targets} list, fixed at start. */
        STATIC,
        /** Whatever the instances of the pool's service announce through the cluster, as it changes. */
        CLUSTER
    }

    /** Static targets: what a gateway without a cluster can do. */
    public static final Discovery DEFAULT_DISCOVERY = Discovery.STATIC;
    /** GET this on each instance; 2xx means healthy. */
    public static final String DEFAULT_HEALTH_PATH = "/health";
    /** Shorter: a dead instance is noticed sooner; longer: fewer probe requests per instance. */
    public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(1);
    /** A health answer slower than this counts as a failed check. */
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMillis(500);
    /** Failed checks in a row before an instance is taken out: lower reacts faster, flaps more. */
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;
    /** Passed checks in a row before an instance is used again: higher avoids sending to a half-started one. */
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    /** TCP connect limit; upstreams are on the local network, so a slow connect means a dead host. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** The whole call, retries included; a route may override it. Shorter frees clients sooner, cuts slow K-line queries. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Failures in a row (connect errors, resets, timeouts, 5xx) that open an instance's breaker. A 503 or
     * 429 with {@code Retry-After} is a deliberate refusal, not a failure ({@link ProxyExchange#deliberateRefusal}).
     */
    public static final int DEFAULT_BREAKER_MAX_FAILURES = 5;
    /** How long an open breaker stays open before one half-open probe request is let through. */
    public static final Duration DEFAULT_BREAKER_RESET_TIMEOUT = Duration.ofSeconds(5);
    /** Extra attempts, on other instances, for idempotent reads only; more hides failures but multiplies load. */
    public static final int DEFAULT_MAX_RETRIES = 1;
    /** Pooled keep-alive connections per instance and per gateway event loop (each loop has its own pool); more allows more concurrency upstream. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_INSTANCE = 64;
    /**
     * REST requests in flight to this pool at once, over every event loop and instance; more are
     * answered 503 -9004 with {@code Retry-After} at once instead of queueing for a connection. Bounds
     * what a slow pool can pile up in the gateway. Lower: sheds sooner; higher: rides out longer bursts.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1000;
    /**
     * Of {@link #DEFAULT_MAX_IN_FLIGHT}, the slots only order entry and cancels may take, so orders
     * still pass when reads fill the pool. 0 to max_in_flight - 1.
     */
    public static final int DEFAULT_IN_FLIGHT_RESERVED_FOR_ORDERS = 100;
    /**
     * Upstream WebSocket connections per instance (one per proxied client socket). Vert.x's default
     * of 50 would queue the 51st subscriber; more costs one socket and a little memory each.
     */
    public static final int DEFAULT_WS_MAX_CONNECTIONS_PER_INSTANCE = 10_000;
    /** Larger request bodies answer 413 before any upstream is called. */
    public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 1024 * 1024;
    /** Larger WebSocket frames close the socket with 1009; bounds memory per frame. */
    public static final int DEFAULT_WS_MAX_FRAME_BYTES = 64 * 1024;
    /** Larger (fragmented) WebSocket messages close the socket with 1009; depth snapshots fit easily. */
    public static final int DEFAULT_WS_MAX_MESSAGE_BYTES = 1024 * 1024;
    /** Ping each client this often; below typical 30–60 s idle cuts of load balancers and NATs. */
    public static final Duration DEFAULT_WS_PING_INTERVAL = Duration.ofSeconds(20);
    /** A client that does not answer a ping within this is closed (1011) and its upstream socket too. */
    public static final Duration DEFAULT_WS_PONG_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Ping each upstream socket of a proxied stream this often; an upstream that has not answered the
     * previous ping when the next one is due is taken for hung (stopped, its host gone, a network cut:
     * nothing closes its socket), so the caller is closed 1001 and reconnects, to another instance,
     * within one to two intervals. A process that dies is noticed at once anyway (its sockets close).
     * Shorter: streams leave a hung instance sooner; longer: fewer pings (one per stream per interval).
     */
    public static final Duration DEFAULT_WS_UPSTREAM_PING_INTERVAL = Duration.ofSeconds(5);

    private String name;
    private Discovery discovery = DEFAULT_DISCOVERY;
    private List<String> targets = new ArrayList<>();
    private String healthPath = DEFAULT_HEALTH_PATH;
    private Duration healthInterval = DEFAULT_HEALTH_INTERVAL;
    private Duration healthTimeout = DEFAULT_HEALTH_TIMEOUT;
    private int unhealthyThreshold = DEFAULT_UNHEALTHY_THRESHOLD;
    private int healthyThreshold = DEFAULT_HEALTHY_THRESHOLD;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int breakerMaxFailures = DEFAULT_BREAKER_MAX_FAILURES;
    private Duration breakerResetTimeout = DEFAULT_BREAKER_RESET_TIMEOUT;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private int maxConnectionsPerInstance = DEFAULT_MAX_CONNECTIONS_PER_INSTANCE;
    private int wsMaxConnectionsPerInstance = DEFAULT_WS_MAX_CONNECTIONS_PER_INSTANCE;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private int inFlightReservedForOrders = DEFAULT_IN_FLIGHT_RESERVED_FOR_ORDERS;
    private int maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;
    private int wsMaxFrameBytes = DEFAULT_WS_MAX_FRAME_BYTES;
    private int wsMaxMessageBytes = DEFAULT_WS_MAX_MESSAGE_BYTES;
    private Duration wsPingInterval = DEFAULT_WS_PING_INTERVAL;
    private Duration wsPongTimeout = DEFAULT_WS_PONG_TIMEOUT;
    private Duration wsUpstreamPingInterval = DEFAULT_WS_UPSTREAM_PING_INTERVAL;
    private int partitions;

    public UpstreamPoolOptions() {
    }

    public UpstreamPoolOptions(UpstreamPoolOptions other) {
        name = other.name;
        discovery = other.discovery;
        targets = new ArrayList<>(other.targets);
        healthPath = other.healthPath;
        healthInterval = other.healthInterval;
        healthTimeout = other.healthTimeout;
        unhealthyThreshold = other.unhealthyThreshold;
        healthyThreshold = other.healthyThreshold;
        connectTimeout = other.connectTimeout;
        requestTimeout = other.requestTimeout;
        breakerMaxFailures = other.breakerMaxFailures;
        breakerResetTimeout = other.breakerResetTimeout;
        maxRetries = other.maxRetries;
        maxConnectionsPerInstance = other.maxConnectionsPerInstance;
        wsMaxConnectionsPerInstance = other.wsMaxConnectionsPerInstance;
        maxInFlight = other.maxInFlight;
        inFlightReservedForOrders = other.inFlightReservedForOrders;
        maxRequestBodyBytes = other.maxRequestBodyBytes;
        wsMaxFrameBytes = other.wsMaxFrameBytes;
        wsMaxMessageBytes = other.wsMaxMessageBytes;
        wsPingInterval = other.wsPingInterval;
        wsPongTimeout = other.wsPongTimeout;
        wsUpstreamPingInterval = other.wsUpstreamPingInterval;
        partitions = other.partitions;
    }

    /**
     * Reads {@code section} (e.g. {@code config.section("upstreams.market-api")}); absent keys take
     * the defaults. Throws the config's exception naming the key on a bad value.
     */
    public static UpstreamPoolOptions fromConfig(String name, Config section) {
        return fromConfig(name, section, DEFAULT_DISCOVERY);
    }

    /** As {@link #fromConfig(String, Config)}, the instances coming from {@code discovery}. */
    public static UpstreamPoolOptions fromConfig(String name, Config section, Discovery discovery) {
        UpstreamPoolOptions o = new UpstreamPoolOptions().setName(name).setDiscovery(discovery)
                .setTargets(section.strings("targets"))
                .setHealthPath(section.string("health_path", DEFAULT_HEALTH_PATH))
                .setHealthInterval(section.duration("health_interval", DEFAULT_HEALTH_INTERVAL))
                .setHealthTimeout(section.duration("health_timeout", DEFAULT_HEALTH_TIMEOUT))
                .setUnhealthyThreshold(section.intValue("unhealthy_threshold", DEFAULT_UNHEALTHY_THRESHOLD, 1, 100))
                .setHealthyThreshold(section.intValue("healthy_threshold", DEFAULT_HEALTHY_THRESHOLD, 1, 100))
                .setConnectTimeout(section.duration("connect_timeout", DEFAULT_CONNECT_TIMEOUT))
                .setRequestTimeout(section.duration("request_timeout", DEFAULT_REQUEST_TIMEOUT))
                .setBreakerMaxFailures(section.intValue("breaker_max_failures", DEFAULT_BREAKER_MAX_FAILURES, 1, 10_000))
                .setBreakerResetTimeout(section.duration("breaker_reset_timeout", DEFAULT_BREAKER_RESET_TIMEOUT))
                .setMaxRetries(section.intValue("max_retries", DEFAULT_MAX_RETRIES, 0, 10))
                .setMaxConnectionsPerInstance(section.intValue("max_connections_per_instance",
                        DEFAULT_MAX_CONNECTIONS_PER_INSTANCE, 1, 100_000))
                .setWsMaxConnectionsPerInstance(section.intValue("ws_max_connections_per_instance",
                        DEFAULT_WS_MAX_CONNECTIONS_PER_INSTANCE, 1, 1_000_000))
                .setMaxInFlight(section.intValue("max_in_flight", DEFAULT_MAX_IN_FLIGHT, 1, 10_000_000))
                .setInFlightReservedForOrders(section.intValue("in_flight_reserved_for_orders",
                        DEFAULT_IN_FLIGHT_RESERVED_FOR_ORDERS, 0, 10_000_000))
                .setMaxRequestBodyBytes(section.intValue("max_request_body_bytes", DEFAULT_MAX_REQUEST_BODY_BYTES,
                        0, Integer.MAX_VALUE))
                .setWsMaxFrameBytes(section.intValue("ws_max_frame_bytes", DEFAULT_WS_MAX_FRAME_BYTES, 125,
                        Integer.MAX_VALUE))
                .setWsMaxMessageBytes(section.intValue("ws_max_message_bytes", DEFAULT_WS_MAX_MESSAGE_BYTES, 125,
                        Integer.MAX_VALUE))
                .setWsPingInterval(section.duration("ws_ping_interval", DEFAULT_WS_PING_INTERVAL))
                .setWsPongTimeout(section.duration("ws_pong_timeout", DEFAULT_WS_PONG_TIMEOUT))
                .setWsUpstreamPingInterval(section.duration("ws_upstream_ping_interval", DEFAULT_WS_UPSTREAM_PING_INTERVAL))
                .setPartitions(section.intValue("partitions", 0, 0,
                        org.opentrade.common.discovery.ServiceInstance.MAX_PARTITIONS));
        o.validate();
        return o;
    }

    /**
     * Checks every field; throws {@link IllegalArgumentException} whose message names the key
     * ({@code upstreams.<name>.<key>}) and what is allowed.
     */
    public UpstreamPoolOptions validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("upstreams.<name>: the pool needs a name, e.g. market-api");
        }
        if (partitions < 0 || partitions > org.opentrade.common.discovery.ServiceInstance.MAX_PARTITIONS) {
            throw new IllegalArgumentException("upstreams." + name + ".partitions is " + partitions + "; allowed: 0 (none) or 1.."
                    + org.opentrade.common.discovery.ServiceInstance.MAX_PARTITIONS);
        }
        if (partitions > 0 && discovery == Discovery.STATIC && !targets.isEmpty() && targets.size() != partitions) {
            throw new IllegalArgumentException("upstreams." + name + ".partitions is " + partitions + " but there are "
                    + targets.size() + " targets; with static targets the i-th serves partition i, so give one per partition");
        }
        if (discovery == null) {
            throw new IllegalArgumentException("upstreams.discovery: null is not allowed; use static or cluster");
        }
        if (discovery == Discovery.STATIC && targets.isEmpty()) {
            throw bad("targets", "[]", "at least one host:port");
        }
        if (discovery == Discovery.CLUSTER && !targets.isEmpty()) {
            throw bad("targets", String.join(",", targets),
                    "no targets when upstreams.discovery is cluster (instances are discovered)");
        }
        for (String t : targets) {
            HostPort.parse(t, key("targets"));
        }
        if (healthPath == null || !healthPath.startsWith("/")) {
            throw bad("health_path", healthPath, "a path starting with /");
        }
        positive("health_interval", healthInterval);
        positive("health_timeout", healthTimeout);
        positive("connect_timeout", connectTimeout);
        positive("request_timeout", requestTimeout);
        positive("breaker_reset_timeout", breakerResetTimeout);
        positive("ws_ping_interval", wsPingInterval);
        positive("ws_pong_timeout", wsPongTimeout);
        positive("ws_upstream_ping_interval", wsUpstreamPingInterval);
        atLeast("unhealthy_threshold", unhealthyThreshold, 1);
        atLeast("healthy_threshold", healthyThreshold, 1);
        atLeast("breaker_max_failures", breakerMaxFailures, 1);
        atLeast("max_retries", maxRetries, 0);
        atLeast("max_connections_per_instance", maxConnectionsPerInstance, 1);
        atLeast("ws_max_connections_per_instance", wsMaxConnectionsPerInstance, 1);
        atLeast("max_in_flight", maxInFlight, 1);
        atLeast("in_flight_reserved_for_orders", inFlightReservedForOrders, 0);
        if (inFlightReservedForOrders >= maxInFlight) {
            throw bad("in_flight_reserved_for_orders", inFlightReservedForOrders,
                    "a number below max_in_flight (" + maxInFlight + ")");
        }
        atLeast("max_request_body_bytes", maxRequestBodyBytes, 0);
        // 125 bytes: the largest control frame payload; anything smaller would break pings.
        atLeast("ws_max_frame_bytes", wsMaxFrameBytes, 125);
        atLeast("ws_max_message_bytes", wsMaxMessageBytes, wsMaxFrameBytes);
        return this;
    }

    private String key(String k) {
        return "upstreams." + name + "." + k;
    }

    private IllegalArgumentException bad(String k, Object value, String allowed) {
        return new IllegalArgumentException(key(k) + ": '" + value + "' is not allowed; use " + allowed);
    }

    private void positive(String k, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw bad(k, d, "a positive duration such as 250ms or 5s");
        }
    }

    private void atLeast(String k, long value, long min) {
        if (value < min) {
            throw bad(k, value, "a number >= " + min);
        }
    }

    public String getName() {
        return name;
    }

    /** The pool's name, shown in errors ("market-api is unavailable") and given to the hop listener. */
    public UpstreamPoolOptions setName(String name) {
        this.name = name;
        return this;
    }

    public Discovery getDiscovery() {
        return discovery;
    }

    /** Where the instances come from; see {@link Discovery}. */
    public UpstreamPoolOptions setDiscovery(Discovery discovery) {
        this.discovery = discovery;
        return this;
    }

    public List<String> getTargets() {
        return List.copyOf(targets);
    }

    /** The instances, each {@code host:port}; plain HTTP on the internal network. */
    public UpstreamPoolOptions setTargets(List<String> targets) {
        this.targets = new ArrayList<>(Objects.requireNonNull(targets, "targets"));
        return this;
    }

    public UpstreamPoolOptions addTarget(String hostPort) {
        targets.add(hostPort);
        return this;
    }

    public String getHealthPath() {
        return healthPath;
    }

    public UpstreamPoolOptions setHealthPath(String healthPath) {
        this.healthPath = healthPath;
        return this;
    }

    public Duration getHealthInterval() {
        return healthInterval;
    }

    public UpstreamPoolOptions setHealthInterval(Duration healthInterval) {
        this.healthInterval = healthInterval;
        return this;
    }

    public Duration getHealthTimeout() {
        return healthTimeout;
    }

    public UpstreamPoolOptions setHealthTimeout(Duration healthTimeout) {
        this.healthTimeout = healthTimeout;
        return this;
    }

    public int getUnhealthyThreshold() {
        return unhealthyThreshold;
    }

    public UpstreamPoolOptions setUnhealthyThreshold(int unhealthyThreshold) {
        this.unhealthyThreshold = unhealthyThreshold;
        return this;
    }

    public int getHealthyThreshold() {
        return healthyThreshold;
    }

    public UpstreamPoolOptions setHealthyThreshold(int healthyThreshold) {
        this.healthyThreshold = healthyThreshold;
        return this;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public UpstreamPoolOptions setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public UpstreamPoolOptions setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    public int getBreakerMaxFailures() {
        return breakerMaxFailures;
    }

    public UpstreamPoolOptions setBreakerMaxFailures(int breakerMaxFailures) {
        this.breakerMaxFailures = breakerMaxFailures;
        return this;
    }

    public Duration getBreakerResetTimeout() {
        return breakerResetTimeout;
    }

    public UpstreamPoolOptions setBreakerResetTimeout(Duration breakerResetTimeout) {
        this.breakerResetTimeout = breakerResetTimeout;
        return this;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public UpstreamPoolOptions setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
        return this;
    }

    public int getMaxConnectionsPerInstance() {
        return maxConnectionsPerInstance;
    }

    public UpstreamPoolOptions setMaxConnectionsPerInstance(int maxConnectionsPerInstance) {
        this.maxConnectionsPerInstance = maxConnectionsPerInstance;
        return this;
    }

    public int getWsMaxConnectionsPerInstance() {
        return wsMaxConnectionsPerInstance;
    }

    public UpstreamPoolOptions setWsMaxConnectionsPerInstance(int wsMaxConnectionsPerInstance) {
        this.wsMaxConnectionsPerInstance = wsMaxConnectionsPerInstance;
        return this;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    /** See {@link #DEFAULT_MAX_IN_FLIGHT}. */
    public UpstreamPoolOptions setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return this;
    }

    public int getInFlightReservedForOrders() {
        return inFlightReservedForOrders;
    }

    /** See {@link #DEFAULT_IN_FLIGHT_RESERVED_FOR_ORDERS}. */
    public UpstreamPoolOptions setInFlightReservedForOrders(int inFlightReservedForOrders) {
        this.inFlightReservedForOrders = inFlightReservedForOrders;
        return this;
    }

    public int getMaxRequestBodyBytes() {
        return maxRequestBodyBytes;
    }

    public UpstreamPoolOptions setMaxRequestBodyBytes(int maxRequestBodyBytes) {
        this.maxRequestBodyBytes = maxRequestBodyBytes;
        return this;
    }

    public int getWsMaxFrameBytes() {
        return wsMaxFrameBytes;
    }

    public UpstreamPoolOptions setWsMaxFrameBytes(int wsMaxFrameBytes) {
        this.wsMaxFrameBytes = wsMaxFrameBytes;
        return this;
    }

    public int getWsMaxMessageBytes() {
        return wsMaxMessageBytes;
    }

    public UpstreamPoolOptions setWsMaxMessageBytes(int wsMaxMessageBytes) {
        this.wsMaxMessageBytes = wsMaxMessageBytes;
        return this;
    }

    public Duration getWsPingInterval() {
        return wsPingInterval;
    }

    public UpstreamPoolOptions setWsPingInterval(Duration wsPingInterval) {
        this.wsPingInterval = wsPingInterval;
        return this;
    }

    public Duration getWsPongTimeout() {
        return wsPongTimeout;
    }

    public UpstreamPoolOptions setWsPongTimeout(Duration wsPongTimeout) {
        this.wsPongTimeout = wsPongTimeout;
        return this;
    }

    public Duration getWsUpstreamPingInterval() {
        return wsUpstreamPingInterval;
    }

    /** See {@link #DEFAULT_WS_UPSTREAM_PING_INTERVAL}. */
    public UpstreamPoolOptions setWsUpstreamPingInterval(Duration wsUpstreamPingInterval) {
        this.wsUpstreamPingInterval = wsUpstreamPingInterval;
        return this;
    }

    /**
     * Account partitions of the service behind this pool (0: none, any instance serves any caller).
     * With n, a caller goes only to instances serving {@code Partitions.of(developer, n)}: those that
     * announce it, or the i-th static target for partition i.
     */
    public int getPartitions() {
        return partitions;
    }

    public UpstreamPoolOptions setPartitions(int partitions) {
        this.partitions = partitions;
        return this;
    }
}
