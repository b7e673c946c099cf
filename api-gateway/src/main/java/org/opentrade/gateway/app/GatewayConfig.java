package org.opentrade.gateway.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrade.common.cluster.ClusterConfig;
import org.opentrade.common.config.Config;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.identity.IdentityAssertions;
import org.opentrade.common.net.NetTransport;
import org.opentrade.common.tracing.TracingOptions;
import org.opentrade.gateway.adapter.http.OverloadLimits;
import org.opentrade.gateway.adapter.http.RequestGuard;
import org.opentrade.gateway.adapter.http.GracefulStop;
import org.opentrade.gateway.adapter.http.HostGuard;
import org.opentrade.gateway.adapter.http.ServerLimits;
import org.opentrade.gateway.adapter.http.proxy.UpstreamPoolOptions;
import org.opentrade.gateway.adapter.redis.RedisOptions;
import org.opentrade.gateway.domain.Cidr;
import org.opentrade.gateway.domain.RouteTable;
import org.opentrade.gateway.domain.Plan;
import org.opentrade.gateway.domain.PlanCatalog;

/**
 * The gateway's configuration, read once from {@value #RESOURCE} (commented defaults; the file says
 * what each key trades off) and validated: a bad value fails start-up naming the key. Immutable.
 */
public record GatewayConfig(String host, int port, int eventLoops, long maxBodyBytes, StoreType store, Path dataDir, int gateways,
                            List<Cidr> trustedProxies, String redisUri, Duration redisCommandTimeout,
                            Duration sessionTtl, Path sessionKeyFile, Duration signatureWindow,
                            Duration signatureClockSkew, Duration keyCacheTtl,
                            String adminToken, int passwordMemoryKib, int passwordIterations, PlanCatalog plans,
                            int perAddressPerMinute, int loginAttemptsPerAccount, Duration loginAccountWindow,
                            int keyChangesPerMinute, int revokedKeysKept, Duration revokedKeyRetention,
                            int streamsPerDeveloper,
                            Duration usageFlushInterval,
                            Duration usageRetention, TracingOptions tracing, Map<String, UpstreamPoolOptions> upstreams,
                            ServerLimits server, Path identityKeyFile, Duration assertionTtl,
                            OverloadLimits overload, EventBusMode eventBus, ClusterConfig cluster,
                            int passwordThreads, int passwordQueue, int signUpsPerHour, int signUpsPerAddressPerHour,
                            GracefulStop.Options shutdown, List<Cidr> metricsAllowedCidrs, Duration firstFrameTimeout,
                            Duration sessionMaxAge, NetTransport transport, List<String> allowedHosts) {
    public static final String RESOURCE = "gateway.yaml";
    public static final String OVERRIDE_PROPERTY = "opentrade.gateway.config";
    public static final String OVERRIDE_ENV = "OPENTRADE_GATEWAY_CONFIG";
    /** Loopback only: exposing the gateway is a deliberate setting ({@code OPENTRADE_GATEWAY_HOST}). */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The plans, lowest first: this order ranks them in the {@link PlanCatalog}. */
    static final List<String> PLAN_NAMES = List.of("free", "pro", "partner");

    /** Where keys, limits and usage live. */
    public enum StoreType { EMBEDDED, REDIS }

    /**
     * The standalone gateway's event bus: local (alone), or cluster (joins distributed mode's cluster,
     * so trade-api's FIX acceptor can check logons with this gateway's key store).
     */
    public enum EventBusMode { LOCAL, CLUSTER }

    public GatewayConfig {
        trustedProxies = List.copyOf(trustedProxies);
        upstreams = Map.copyOf(upstreams);
        metricsAllowedCidrs = List.copyOf(metricsAllowedCidrs);
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** Without secrets: the Redis URI's credentials and the admin token are left out. */
    @Override
    public String toString() {
        return "GatewayConfig[host=" + host + ", port=" + port + ", store=" + store + ", dataDir=" + dataDir
                + ", redisUri=" + RedisOptions.redacted(redisUri) + ", adminToken=" + (adminToken.isEmpty() ? "" : "***")
                + ", plans=" + plans + ", server=" + server + ", upstreams=" + upstreams.keySet() + ", allowedHosts="
                + allowedHosts + "]";
    }

    public static GatewayConfig load(ConfigLoader loader) {
        Config root = loader.load(RESOURCE, OVERRIDE_PROPERTY, OVERRIDE_ENV);
        GatewayConfig c = from(root);
        root.rejectUnknownKeys();
        return c;
    }

    public static GatewayConfig from(Config root) {
        Config g = root.section("gateway");
        String host = g.string("host", DEFAULT_HOST);
        int port = g.intValue("port", 8080, 0, 65_535);
        int loops = g.intValue("event_loops", 0, 0, 256);
        int eventLoops = loops == 0 ? Runtime.getRuntime().availableProcessors() : loops;
        long maxBody = g.longValue("max_body_bytes", 65_536, 1_024, 16L << 20);
        StoreType store = g.enumValue("store", StoreType.class, StoreType.EMBEDDED);
        Path dataDir = g.path("data_dir", "./data/gateway");
        int gateways = g.intValue("gateways", 1, 1, 1_000);
        List<Cidr> proxies = new ArrayList<>();
        for (String s : g.strings("trusted_proxies")) {
            proxies.add(Cidr.parse(s).orElseThrow(() -> new ConfigException("config key 'gateway.trusted_proxies' has value '"
                    + s + "'; allowed: address ranges such as 10.0.0.0/8")));
        }
        List<String> allowedHosts = allowedHosts(g);
        List<Cidr> metricsAllowed = new ArrayList<>();
        for (String s : g.strings("metrics_allowed_cidrs")) {
            metricsAllowed.add(Cidr.parse(s).orElseThrow(() -> new ConfigException("config key "
                    + "'gateway.metrics_allowed_cidrs' has value '" + s + "'; allowed: address ranges such as 10.0.0.0/8")));
        }
        Config redis = root.section("redis");
        String uri = redis.string("uri", "redis://127.0.0.1:6379/0");
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            throw new ConfigException("config key 'redis.uri' has value '" + RedisOptions.redacted(uri)
                    + "'; allowed: redis://host:port/db");
        }
        Duration redisTimeout = positive(redis, "redis.command_timeout", "command_timeout", Duration.ofMillis(200));

        Config auth = root.section("auth");
        Duration sessionTtl = positive(auth, "auth.session_ttl", "session_ttl", Duration.ofMinutes(15));
        Duration sessionMaxAge = auth.duration("session_max_age", Duration.ofHours(12));
        if (sessionMaxAge.compareTo(sessionTtl) < 0 || sessionMaxAge.compareTo(Duration.ofDays(30)) > 0) {
            throw new ConfigException("config key 'auth.session_max_age' has value '" + sessionMaxAge
                    + "'; allowed: auth.session_ttl (" + sessionTtl + ") to 30d");
        }
        String keyFile = auth.string("session_key_file", "");
        Path sessionKey = keyFile.isBlank() ? dataDir.resolve("session-es256.pem") : Path.of(keyFile);
        Duration window = positive(auth, "auth.signature_window", "signature_window", Duration.ofSeconds(30));
        Duration skew = positive(auth, "auth.signature_clock_skew", "signature_clock_skew", Duration.ofSeconds(5));
        Duration cacheTtl = positive(auth, "auth.key_cache_ttl", "key_cache_ttl", Duration.ofSeconds(30));
        Duration firstFrame = auth.duration("first_frame_timeout",
                Duration.ofMillis(org.opentrade.gateway.adapter.http.FirstFrameAuth.DEFAULT_TIMEOUT_MILLIS));
        if (firstFrame.compareTo(Duration.ofSeconds(1)) < 0 || firstFrame.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new ConfigException("config key 'auth.first_frame_timeout' has value '" + firstFrame
                    + "'; allowed: 1s to 60s");
        }
        String admin = auth.string("admin_token", "");
        if (!admin.isEmpty() && admin.length() < 16) {
            throw new ConfigException("config key 'auth.admin_token' is too short; allowed: at least 16 characters, "
                    + "or empty to generate one");
        }
        int memory = auth.intValue("password_memory_kib", 19_456, 1_024, 1 << 21);
        int iterations = auth.intValue("password_iterations", 2, 1, 20);
        int threads = auth.intValue("password_threads", 0, 0, 256);
        int passwordThreads = threads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors() / 2) : threads;
        int passwordQueue = auth.intValue("password_queue", 32, 0, 100_000);

        Config limits = root.section("limits");
        String defaultPlan = limits.oneOf("default_plan", "free", PLAN_NAMES.toArray(String[]::new));
        int perAddress = limits.intValue("per_address_per_minute", 30, 1, 1_000_000);
        int signUps = limits.intValue("signups_per_hour", 1_000, 1, 100_000_000);
        int signUpsPerAddress = limits.intValue("signups_per_address_per_hour", 20, 1, 1_000_000);
        int perAccount = limits.intValue("login_attempts_per_account", 10, 1, 1_000_000);
        Duration accountWindow = positive(limits, "limits.login_account_window", "login_account_window",
                Duration.ofMinutes(15));
        int keyChanges = limits.intValue("key_changes_per_minute", 10, 1, 100_000);
        int revokedKept = limits.intValue("revoked_keys_kept", 20, 0, 10_000);
        Duration revokedRetention = positive(limits, "limits.revoked_key_retention", "revoked_key_retention",
                Duration.ofDays(30));
        int streamsPerDeveloper = limits.intValue("streams_per_developer", 100, 1, 100_000);
        Config plansSection = limits.section("plans");
        List<Plan> plans = new ArrayList<>();
        for (String name : PLAN_NAMES) {
            Config p = plansSection.section(name);
            plans.add(new Plan(name, p.longValue("weight_per_minute", 1_200, 1, 1L << 40),
                    p.longValue("orders_per_second_per_symbol", 10, 1, 1_000_000),
                    p.intValue("max_keys", 5, 1, 10_000)));
        }
        Config usage = root.section("usage");
        Duration flush = positive(usage, "usage.flush_interval", "flush_interval", Duration.ofSeconds(1));
        Duration retention = positive(usage, "usage.retention", "retention", Duration.ofDays(8));
        Config identity = root.section("identity");
        String identityFile = identity.string("key_file", "");
        Path identityKey = identityFile.isBlank() ? dataDir.resolve("identity-ed25519.pem") : Path.of(identityFile);
        Duration assertionTtl = identity.duration("assertion_ttl", IdentityAssertions.DEFAULT_TTL);
        if (assertionTtl.compareTo(Duration.ofSeconds(2)) < 0 || assertionTtl.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ConfigException("config key 'identity.assertion_ttl' has value '" + assertionTtl
                    + "'; allowed: 2s to 10m");
        }
        return new GatewayConfig(host, port, eventLoops, maxBody, store, dataDir, gateways, proxies, uri, redisTimeout, sessionTtl,
                sessionKey, window, skew, cacheTtl, admin, memory, iterations, new PlanCatalog(plans, defaultPlan),
                perAddress, perAccount, accountWindow, keyChanges, revokedKept, revokedRetention, streamsPerDeveloper, flush,
                retention,
                TracingOptions.fromConfig(root.section("tracing"), "api-gateway"),
                upstreams(root.section("upstreams")), server(g), identityKey, assertionTtl, overload(g),
                g.enumValue("event_bus", EventBusMode.class, EventBusMode.LOCAL),
                ClusterConfig.fromConfig(root.section("cluster")), passwordThreads, passwordQueue, signUps,
                signUpsPerAddress, shutdown(g), metricsAllowed, firstFrame, sessionMaxAge,
                g.enumValue("transport", NetTransport.class, NetTransport.AUTO), allowedHosts);
    }

    /**
     * {@code gateway.allowed_hosts}: host names or addresses, without scheme or port ({@code api.example.com},
     * {@code 192.0.2.10}, {@code [2001:db8::1]}), that the gateway's HTTP port answers for besides loopback
     * ({@link HostGuard}).
     */
    private static List<String> allowedHosts(Config g) {
        List<String> out = new ArrayList<>();
        for (String s : g.strings("allowed_hosts")) {
            if (!s.matches("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]")) {
                throw new ConfigException("config key 'gateway.allowed_hosts' has value '" + s + "'; allowed: host names "
                        + "or addresses without scheme or port, such as api.example.com, 192.0.2.10 or [2001:db8::1]");
            }
            out.add(s);
        }
        return out;
    }

    /**
     * The same configuration served on {@code host} (the all-in-one serves the gateway on its own port,
     * {@code http.host}, which {@link HostGuard} must know).
     */
    public GatewayConfig withHost(String host) {
        return copy(host, upstreams);
    }

    /**
     * The pools. With {@code upstreams.discovery: static} (the default), the pools with targets: a
     * service without targets is not deployed behind this gateway. With {@code cluster}, every
     * service's pool, its instances discovered through the cluster (targets must then be empty).
     */
    private static Map<String, UpstreamPoolOptions> upstreams(Config section) {
        UpstreamPoolOptions.Discovery discovery = section.enumValue("discovery", UpstreamPoolOptions.Discovery.class,
                UpstreamPoolOptions.DEFAULT_DISCOVERY);
        Map<String, UpstreamPoolOptions> out = new LinkedHashMap<>();
        for (String name : List.of(RouteTable.MARKET, RouteTable.TRADE)) {
            Config pool = section.section(name);
            // Read (and range-checked) even for a pool that is not deployed, so the key is known.
            pool.intValue("partitions", 0, 0, org.opentrade.common.discovery.ServiceInstance.MAX_PARTITIONS);
            if (discovery == UpstreamPoolOptions.Discovery.STATIC && pool.strings("targets").isEmpty()) {
                continue;
            }
            try {
                out.put(name, UpstreamPoolOptions.fromConfig(name, pool, discovery));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("bad upstream config: " + e.getMessage() + " (" + section.origin() + ")");
            }
        }
        return out;
    }

    /** Whether any pool follows the cluster's service discovery (the gateway must then be clustered). */
    public boolean discoversUpstreams() {
        return upstreams.values().stream()
                .anyMatch(o -> o.getDiscovery() == UpstreamPoolOptions.Discovery.CLUSTER);
    }

    private static GracefulStop.Options shutdown(Config g) {
        Duration notice = g.duration("shutdown_notice", GracefulStop.DEFAULT_NOTICE);
        if (notice.isNegative() || notice.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new ConfigException("config key 'gateway.shutdown_notice' has value '" + notice
                    + "'; allowed: a duration from 0s to 5m");
        }
        return new GracefulStop.Options(notice, positive(g, "gateway.shutdown_grace", "shutdown_grace",
                GracefulStop.DEFAULT_GRACE));
    }

    private static ServerLimits server(Config g) {
        Duration idle = positive(g, "gateway.idle_timeout", "idle_timeout", ServerLimits.DEFAULT_IDLE_TIMEOUT);
        Duration read = positive(g, "gateway.request_read_timeout", "request_read_timeout",
                ServerLimits.DEFAULT_REQUEST_READ_TIMEOUT);
        int connections = g.intValue("max_connections", ServerLimits.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000);
        int headers = g.intValue("max_header_bytes", ServerLimits.DEFAULT_MAX_HEADER_BYTES, 1_024,
                RequestGuard.MAX_HEADER_BYTES);
        int line = g.intValue("max_request_line_bytes", ServerLimits.DEFAULT_MAX_REQUEST_LINE_BYTES, 256,
                RequestGuard.MAX_URI_LENGTH + 64);
        int perAddress = g.intValue("max_connections_per_address", ServerLimits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 1,
                1_000_000);
        return new ServerLimits(idle, read, connections, headers, line, perAddress);
    }

    /** Load shedding per event loop ({@code gateway.max_in_flight_per_event_loop}, {@code gateway.in_flight_reserved_for_orders}). */
    private static OverloadLimits overload(Config g) {
        int max = g.intValue("max_in_flight_per_event_loop", OverloadLimits.DEFAULT_MAX_IN_FLIGHT_PER_EVENT_LOOP, 1,
                10_000_000);
        int reserved = g.intValue("in_flight_reserved_for_orders", OverloadLimits.DEFAULT_IN_FLIGHT_RESERVED_FOR_ORDERS,
                0, 10_000_000);
        if (reserved >= max) {
            throw new ConfigException("config key 'gateway.in_flight_reserved_for_orders' has value '" + reserved
                    + "'; allowed: 0 to gateway.max_in_flight_per_event_loop - 1 (" + (max - 1) + ")");
        }
        return new OverloadLimits(max, reserved);
    }

    private static Duration positive(Config section, String full, String key, Duration def) {
        Duration d = section.duration(key, def);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException("config key '" + full + "' has value '" + d + "'; allowed: a positive duration");
        }
        return d;
    }

    /**
     * The same configuration with {@code pool} routed to {@code options} (the all-in-one points an
     * unconfigured pool at the service it runs in-process).
     */
    public GatewayConfig withUpstream(String pool, UpstreamPoolOptions options) {
        Map<String, UpstreamPoolOptions> pools = new LinkedHashMap<>(upstreams);
        pools.put(pool, options);
        return copy(host, pools);
    }

    /** This configuration served on {@code servedOn} with the upstream pools {@code pools}; every other field kept. */
    private GatewayConfig copy(String servedOn, Map<String, UpstreamPoolOptions> pools) {
        return new GatewayConfig(servedOn, port, eventLoops, maxBodyBytes, store, dataDir, gateways, trustedProxies,
                redisUri, redisCommandTimeout, sessionTtl, sessionKeyFile, signatureWindow, signatureClockSkew, keyCacheTtl,
                adminToken, passwordMemoryKib, passwordIterations, plans, perAddressPerMinute, loginAttemptsPerAccount,
                loginAccountWindow, keyChangesPerMinute, revokedKeysKept, revokedKeyRetention, streamsPerDeveloper,
                usageFlushInterval, usageRetention, tracing, pools, server, identityKeyFile, assertionTtl, overload,
                eventBus, cluster, passwordThreads, passwordQueue, signUpsPerHour, signUpsPerAddressPerHour, shutdown,
                metricsAllowedCidrs, firstFrameTimeout, sessionMaxAge, transport, allowedHosts);
    }
}
