package org.opentrade.gateway.app;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.discovery.ServiceDiscovery;
import org.opentrade.common.discovery.cluster.ClusterDiscovery;
import org.opentrade.common.identity.AssertionSigner;
import org.opentrade.common.identity.GatewayKeys;
import org.opentrade.common.identity.IdentityAssertions;
import org.opentrade.common.tracing.SpanStore;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.gateway.adapter.http.ClientAddresses;
import org.opentrade.gateway.adapter.http.MetricsAccess;
import org.opentrade.gateway.adapter.http.OperationsEndpoints;
import org.opentrade.gateway.adapter.http.GracefulStop;
import org.opentrade.gateway.adapter.http.tracing.ZipkinTraceSource;
import org.opentrade.gateway.adapter.http.ConnectionGuard;
import org.opentrade.gateway.adapter.http.ServerLimits;
import org.opentrade.gateway.adapter.http.proxy.UpstreamPoolOptions;
import org.opentrade.gateway.adapter.http.tracing.TracingHopListener;
import org.opentrade.gateway.adapter.identity.AssertionIssuer;

/**
 * A complete, traced gateway: tracing, upstream pools and {@link ApiGateway} with the stores the
 * config names. The all-in-one mounts it on its own router; {@link GatewayMain} gives it a server.
 *
 * <p>Upstreams learn who is calling from the identity assertion this gateway signs with the key in
 * {@code identity.key_file} ({@link IdentityAssertions}). The all-in-one hands {@link
 * #identityPublicKey()} to its services in-process ({@code new AssertionVerifier(List.of(key),
 * IdentityAssertions.DEFAULT_CLOCK_SKEW)}); in distributed mode each service is configured with the
 * public key file written beside the key file ({@link #publicKeyFile}). There is deliberately no
 * endpoint serving the key: a service that fetched it from whatever answers could be handed any key.
 */
public final class GatewayServer {
    private static final Logger LOG = Logger.getLogger(GatewayServer.class.getName());
    private final Tracing tracing;
    private final Upstreams upstreams;
    private final ApiGateway gateway;
    private final PublicKey identityPublicKey;
    /** The discovery this gateway started (and so closes); null when none or when it was handed one. */
    private final ServiceDiscovery ownDiscovery;

    /** How long /v1/traces waits for Zipkin, and the largest trace it reads from there. */
    static final java.time.Duration ZIPKIN_QUERY_TIMEOUT = java.time.Duration.ofSeconds(3);
    static final int ZIPKIN_MAX_TRACE_BYTES = 4 * 1024 * 1024;
    private final ZipkinTraceSource zipkinTraces;

    private GatewayServer(Tracing tracing, Upstreams upstreams, ApiGateway gateway, PublicKey identityPublicKey,
                          ServiceDiscovery ownDiscovery, ZipkinTraceSource zipkinTraces) {
        this.zipkinTraces = zipkinTraces;
        this.tracing = tracing;
        this.upstreams = upstreams;
        this.gateway = gateway;
        this.identityPublicKey = identityPublicKey;
        this.ownDiscovery = ownDiscovery;
    }

    /**
     * Starts everything; {@code spanStore} is shared with the other services of the same JVM, or
     * null for a store of its own. The identity key file is read (or created) on a worker thread.
     *
     * <p>With {@code upstreams.discovery: cluster}, pass the clustered Vert.x: the gateway follows
     * the instances announced in its cluster (a {@link ClusterDiscovery} of its own, closed with the
     * gateway) and fails to start, saying why, on a Vert.x that is not clustered.
     */
    public static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, SpanStore spanStore) {
        return start(vertx, config, spanStore, null);
    }

    /**
     * As {@link #start(Vertx, GatewayConfig, SpanStore)}, following {@code discovery} (which the
     * caller owns and closes) instead of starting one; null to start one when the config asks for it.
     */
    public static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, SpanStore spanStore,
                                              ServiceDiscovery discovery) {
        // The signer checks its key pair with a test signature (about 2 ms): off the event loop too.
        return vertx.executeBlocking(() -> {
                    KeyPair keys = identityKeys(config);
                    return new IdentityKey(keys.getPublic(), new AssertionSigner(keys));
                }, false)
                .compose(key -> discovery(vertx, config, discovery).compose(found ->
                        start(vertx, config, spanStore, key, found, discovery == null ? found : null)
                                .onFailure(err -> {
                                    if (discovery == null && found != null) {
                                        found.close();
                                    }
                                })));
    }

    /** The registry the pools follow: none, the one handed over, or one started on vertx's cluster. */
    private static Future<ServiceDiscovery> discovery(Vertx vertx, GatewayConfig config, ServiceDiscovery given) {
        if (!config.discoversUpstreams()) {
            return Future.succeededFuture(null);
        }
        if (given != null) {
            return Future.succeededFuture(given);
        }
        return ClusterDiscovery.start(vertx).<ServiceDiscovery>map(d -> d).recover(err -> Future.failedFuture(
                new ConfigException("config key 'upstreams.discovery' is cluster, but " + err.getMessage()
                        + "; run the gateway clustered or set OPENTRADE_UPSTREAM_DISCOVERY=static")));
    }

    private record IdentityKey(PublicKey publicKey, AssertionSigner signer) {
    }

    private static Future<GatewayServer> start(Vertx vertx, GatewayConfig config, SpanStore spanStore, IdentityKey key,
                                               ServiceDiscovery discovery, ServiceDiscovery ownDiscovery) {
        AssertionIssuer assertions = new AssertionIssuer(key.signer(), config.assertionTtl(),
                System::currentTimeMillis, AssertionIssuer.DEFAULT_MAX_ENTRIES);
        Tracing tracing = spanStore == null ? Tracing.create(config.tracing()) : Tracing.create(config.tracing(), spanStore);
        Upstreams upstreams = Upstreams.create(vertx, config.upstreams(), new TracingHopListener(tracing), assertions);
        // With spans exported to Zipkin, /v1/traces reads the whole trace there (every process of
        // distributed mode exports to it), merged with this gateway's own spans.
        String traceUrl = ZipkinTraceSource.traceUrlFor(config.tracing().getZipkinEndpoint());
        ZipkinTraceSource zipkin = traceUrl == null ? null
                : new ZipkinTraceSource(vertx, traceUrl, ZIPKIN_QUERY_TIMEOUT, ZIPKIN_MAX_TRACE_BYTES);
        Future<Void> following = discovery == null ? Future.succeededFuture()
                : upstreams.follow(discovery, vertx.getOrCreateContext());
        return following.compose(v -> ApiGateway.start(vertx, config,
                        GatewayHooks.traced(tracing, upstreams::handler, zipkin), ApiGateway::configuredStores))
                .map(gw -> new GatewayServer(tracing, upstreams, gw, key.publicKey(), ownDiscovery, zipkin))
                .onFailure(err -> {
                    if (zipkin != null) {
                        zipkin.close();
                    }
                    upstreams.close();
                    tracing.close();
                });
    }

    /**
     * The identity key pair from {@code identity.key_file}, created on first start, and its public
     * key written to {@link #publicKeyFile} for services in distributed mode. Blocking: start-up only.
     */
    static KeyPair identityKeys(GatewayConfig config) throws IOException {
        Path file = config.identityKeyFile();
        boolean existed = Files.exists(file);
        KeyPair keys = GatewayKeys.loadOrCreate(file);
        Path pub = publicKeyFile(file);
        String pem = GatewayKeys.publicKeyPem(keys.getPublic());
        if (!Files.exists(pub) || !Files.readString(pub, StandardCharsets.US_ASCII).equals(pem)) {
            GatewayKeys.writePublicKey(pub, keys.getPublic());
        }
        if (!existed) {
            LOG.info("identity signing key created in " + file.toAbsolutePath() + "; services in distributed mode "
                    + "verify assertions with " + pub.toAbsolutePath());
        }
        return keys;
    }

    /** Where the public key of {@code keyFile} is written: {@code x.pem} → {@code x.pub.pem}. */
    public static Path publicKeyFile(Path keyFile) {
        String name = keyFile.getFileName().toString();
        String base = name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
        return keyFile.resolveSibling(base + ".pub.pem");
    }

    /**
     * The public key that verifies this gateway's identity assertions: what the all-in-one gives
     * its services ({@code new AssertionVerifier(List.of(identityPublicKey()), skew)}).
     */
    public PublicKey identityPublicKey() {
        return identityPublicKey;
    }

    /** {@link #serverOptions(ServerLimits)} with the default limits. */
    public static HttpServerOptions serverOptions() {
        return serverOptions(ServerLimits.defaults());
    }

    /**
     * HTTP server options for a gateway: the decoder refuses heads over {@code limits} (answered
     * with the error model by {@link ConnectionGuard}), so a client cannot make it buffer more; an
     * idle connection is closed; WebSocket limits at least as large as the pools'.
     */
    public static HttpServerOptions serverOptions(ServerLimits limits) {
        return ConnectionGuard.decoderOptions(limits)
                .setIdleTimeout((int) limits.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                // HTTP/1.1 only: with cleartext HTTP/2 on, a connection is not handed to the guard
                // until its first bytes tell the versions apart, so a silent one would escape the cap.
                .setHttp2ClearTextEnabled(false)
                .setMaxWebSocketFrameSize(UpstreamPoolOptions.DEFAULT_WS_MAX_FRAME_BYTES)
                .setMaxWebSocketMessageSize(UpstreamPoolOptions.DEFAULT_WS_MAX_MESSAGE_BYTES)
                .setCompressionSupported(false).setTcpNoDelay(true);
    }

    /**
     * An HTTP server with the gateway's limits, serving {@code handler} behind {@code guard}; share one
     * guard among the servers of one gateway so the connection cap is theirs together.
     */
    public static HttpServer createServer(Vertx vertx, ServerLimits limits, ConnectionGuard guard,
                                          Handler<HttpServerRequest> handler) {
        return guard.install(vertx.createHttpServer(serverOptions(limits)), handler);
    }

    public void mount(Router router) {
        gateway.mount(router);
    }

    /**
     * The operations endpoints on {@code router}: {@code /health}; {@code /ready}, 503 while {@code stop} runs
     * or an upstream pool has no usable instance; {@code /metrics}, the gateway's and {@code guard}'s.
     */
    public void mountOperations(Router router, GracefulStop stop, ConnectionGuard guard) {
        OperationsEndpoints.addRoutes(router, () -> stop.stopping() ? "the gateway is shutting down"
                : upstreamsAvailable() ? null : "an upstream pool has no usable instance",
                () -> prometheus() + guard.prometheus(), metricsAccess());
    }

    /** Who may read {@code /metrics} on the gateway's port: {@code gateway.metrics_allowed_cidrs}, or the admin token. */
    public MetricsAccess metricsAccess() {
        GatewayConfig config = gateway.config();
        String token;
        try {
            token = ApiGateway.adminToken(config);
        } catch (java.io.IOException e) {
            LOG.warning("/metrics answers only gateway.metrics_allowed_cidrs: cannot read the admin token: " + e.getMessage());
            token = "";
        }
        return new MetricsAccess(new ClientAddresses(config.trustedProxies()), config.metricsAllowedCidrs(), token);
    }

    public ApiGateway gateway() {
        return gateway;
    }

    public Tracing tracing() {
        return tracing;
    }

    /** The upstream pools (their instances, health and breakers: for metrics and tests). */
    /** Everything this gateway exposes at {@code /metrics}: limits, shedding, streams, requests, upstreams. */
    public String prometheus() {
        return gateway.prometheus() + upstreams.prometheus();
    }

    public Upstreams upstreams() {
        return upstreams;
    }

    /** Whether every configured upstream pool has a usable instance. */
    public boolean upstreamsAvailable() {
        return upstreams.available();
    }

    /** Closes pools and stores; flushes spans (on a worker thread, since flushing blocks). */
    public Future<Void> close(Vertx vertx) {
        return upstreams.close()
                .eventually(() -> zipkinTraces == null ? Future.succeededFuture() : zipkinTraces.close())
                .eventually(() -> ownDiscovery == null ? Future.succeededFuture()
                        : Future.fromCompletionStage(ownDiscovery.close(), vertx.getOrCreateContext()))
                .eventually(gateway::close)
                .eventually(() -> vertx.executeBlocking(() -> {
                    tracing.close();
                    return null;
                }, false)).mapEmpty();
    }
}
