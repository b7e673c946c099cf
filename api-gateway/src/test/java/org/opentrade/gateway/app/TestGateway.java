package org.opentrade.gateway.app;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.gateway.adapter.http.ConnectionGuard;
import org.opentrade.gateway.adapter.http.HttpErrors;
import org.opentrade.gateway.adapter.http.RequestKeys;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * A gateway on a free port for tests, with its stores in a temporary directory, cheap password
 * hashing, and (unless given) an upstream stand-in that answers 200 with the identity it was
 * handed. Blocking helpers for the test thread.
 */
public final class TestGateway implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    public final Vertx vertx;
    public final ApiGateway gateway;
    public final HttpServer server;
    public final Path dir;
    /** The complete gateway (real upstream pools, tracing, identity key) when started by {@link #startServer}; else null. */
    public final GatewayServer full;
    /** The connection guard in front of {@link #server}. */
    public final ConnectionGuard guard;
    /** The graceful stop of the production wiring ({@link #startServer}, with the operations endpoints); else null. */
    public final org.opentrade.gateway.adapter.http.GracefulStop stop;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateway(Vertx vertx, ApiGateway gateway, HttpServer server, Path dir, GatewayServer full,
                        ConnectionGuard guard, org.opentrade.gateway.adapter.http.GracefulStop stop) {
        this.guard = guard;
        this.stop = stop;
        this.vertx = vertx;
        this.gateway = gateway;
        this.server = server;
        this.dir = dir;
        this.full = full;
    }

    /**
     * The production wiring ({@link GatewayServer}: real upstream pools from the {@code upstreams:}
     * section of {@code extraYaml}, tracing, the identity key under the data directory), with the
     * same test settings as {@link #start}.
     */
    public static TestGateway startServer(Path dir, String extraYaml) throws Exception {
        return startServer(Vertx.vertx(), dir, extraYaml, null);
    }

    /**
     * As {@link #startServer(Path, String)} on {@code vertx} (e.g. a clustered one, for
     * {@code upstreams.discovery: cluster}), following {@code discovery} when not null. The gateway
     * closes {@code vertx} when it closes.
     */
    public static TestGateway startServer(Vertx vertx, Path dir, String extraYaml,
                                          org.opentrade.common.discovery.ServiceDiscovery discovery) throws Exception {
        return startServer(vertx, dir, extraYaml, discovery, "");
    }

    /** As {@link #startServer(Vertx, Path, String, org.opentrade.common.discovery.ServiceDiscovery)} with {@code gatewayKeys} as in {@link #start}. */
    public static TestGateway startServer(Vertx vertx, Path dir, String extraYaml,
                                          org.opentrade.common.discovery.ServiceDiscovery discovery, String gatewayKeys)
            throws Exception {
        GatewayConfig config = config(dir, extraYaml, gatewayKeys);
        GatewayServer gw;
        try {
            gw = GatewayServer.start(vertx, config, null, discovery).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
        Router router = Router.router(vertx);
        gw.mount(router);
        ConnectionGuard guard = new ConnectionGuard(vertx, config.server(), config.trustedProxies());
        org.opentrade.gateway.adapter.http.GracefulStop stop = new org.opentrade.gateway.adapter.http.GracefulStop(vertx,
                config.shutdown());
        gw.mountOperations(router, stop, guard);
        HttpServer server = GatewayServer.createServer(vertx, config.server(), guard, stop.guard(router))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        stop.add(server);
        return new TestGateway(vertx, gw.gateway(), server, dir, gw, guard, stop);
    }

    private static GatewayConfig config(Path dir, String extraYaml, String gatewayKeys) throws IOException {
        Files.createDirectories(dir);
        Path override = dir.resolve("gateway-test.yaml");
        Files.writeString(override, "gateway:\n  data_dir: " + dir.resolve("data") + "\n" + gatewayKeys
                + "auth:\n  password_memory_kib: 1024\n  password_iterations: 1\n  admin_token: " + ADMIN_TOKEN + "\n"
                + (extraYaml == null ? "" : extraYaml), StandardCharsets.UTF_8);
        Map<String, String> props = new HashMap<>();
        props.put(GatewayConfig.OVERRIDE_PROPERTY, override.toString());
        return GatewayConfig.load(ConfigLoader.of(Map.of(), props));
    }

    public static TestGateway start(Path dir, String extraYaml) throws Exception {
        return start(dir, extraYaml, null, ApiGateway::embeddedStores);
    }

    public static TestGateway start(Path dir, String extraYaml, Function<RoutePolicy, Handler<RoutingContext>> upstream,
                                    Function<GatewayConfig, GatewayStores> stores) throws Exception {
        return start(dir, extraYaml, upstream, stores, "");
    }

    /** {@code gatewayKeys}: more lines of the {@code gateway:} section, indented two spaces. */
    public static TestGateway start(Path dir, String extraYaml, Function<RoutePolicy, Handler<RoutingContext>> upstream,
                                    Function<GatewayConfig, GatewayStores> stores, String gatewayKeys) throws Exception {
        GatewayConfig config = config(dir, extraYaml, gatewayKeys);
        Vertx vertx = Vertx.vertx();
        Function<RoutePolicy, Handler<RoutingContext>> up = upstream != null ? upstream : TestGateway::echoUpstream;
        ApiGateway.Hooks hooks = new ApiGateway.Hooks(ctx -> {
            String id = org.opentrade.common.error.TraceIds.from(ctx.request().getHeader("traceparent"));
            ctx.put(RequestKeys.TRACE_ID, id);
            ctx.response().putHeader(HttpErrors.TRACE_HEADER, id);
            ctx.next();
        }, (ctx, p) -> { }, ctx -> ctx.response().end("{}"), up);
        ApiGateway gw = ApiGateway.start(vertx, config, hooks, stores).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        Router router = Router.router(vertx);
        gw.mount(router);
        ConnectionGuard guard = new ConnectionGuard(vertx, config.server(), config.trustedProxies());
        HttpServer server = GatewayServer.createServer(vertx, config.server(), guard, router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new TestGateway(vertx, gw, server, dir, null, guard, null);
    }

    /** Answers 200 with the principal, as a real upstream would see the gateway's identity headers. */
    static Handler<RoutingContext> echoUpstream(RoutePolicy policy) {
        return ctx -> {
            Principal p = ctx.get(RequestKeys.PRINCIPAL);
            ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("route", policy.name()).put("developer_id", p.developerId()).put("key_id", p.keyId()).encode());
        };
    }

    public int port() {
        return server.actualPort();
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
    }

    public HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    public HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    public HttpResponse<String> put(String path, String json, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).PUT(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    /** Signs up and logs in; returns the session token. */
    public String signUpAndLogIn(String email) throws Exception {
        return signUpAndLogIn(email, null);
    }

    /**
     * Signs up and logs in, with {@code X-Forwarded-For: forwardedFor} when not null (for gateways that
     * trust the test client as a proxy); returns the session token.
     */
    public String signUpAndLogIn(String email, String forwardedFor) throws Exception {
        String[] xff = forwardedFor == null ? new String[0] : new String[] {"X-Forwarded-For", forwardedFor};
        HttpResponse<String> r = post("/v1/developers", new JsonObject().put("email", email)
                .put("password", "correct horse battery").put("name", "Test Dev").encode(), xff);
        if (r.statusCode() != 201) {
            throw new AssertionError("sign-up failed: " + r.statusCode() + " " + r.body());
        }
        HttpResponse<String> s = post("/v1/sessions", new JsonObject().put("email", email)
                .put("password", "correct horse battery").encode(), xff);
        if (s.statusCode() != 201) {
            throw new AssertionError("log-in failed: " + s.statusCode() + " " + s.body());
        }
        return new JsonObject(s.body()).getString("token");
    }

    /** Creates a key with a session; returns the JSON answer (with key_id and, for secret keys, secret). */
    public JsonObject createKey(String token, JsonObject request) throws Exception {
        HttpResponse<String> r = post("/v1/keys", request.encode(), "Authorization", "Bearer " + token);
        if (r.statusCode() != 201) {
            throw new AssertionError("key creation failed: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        (full != null ? full.close(vertx) : gateway.close()).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
