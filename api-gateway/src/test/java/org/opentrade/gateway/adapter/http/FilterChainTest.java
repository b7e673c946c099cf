package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.RouteClass;
import org.opentrade.gateway.domain.RoutePolicy;
import org.opentrade.gateway.domain.Scope;

/**
 * One ordered chain serves every route: the gateway's own routes (public, session, admin) and the
 * proxied ones run the same sorted filters, each route only those that apply to it, and every
 * refusal is answered by the one failure handler with the error model.
 */
class FilterChainTest {
    private Vertx vertx;
    private HttpServer server;
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayFilter recording(String name, int order, Predicate<GatewayRoute> appliesTo) {
        return new GatewayFilter() {
            @Override
            public int order() {
                return order;
            }

            @Override
            public boolean appliesTo(GatewayRoute route) {
                return appliesTo.test(route);
            }

            @Override
            public void handle(RoutingContext ctx) {
                ran.add(name);
                if (name.equals("auth") && ctx.request().getHeader("X-Refuse") != null) {
                    // refused after an asynchronous step, as a store lookup would
                    ctx.vertx().setTimer(1, id -> Async.fail(ctx, new Rejection(GatewayError.CREDENTIALS_MISSING)));
                    return;
                }
                ctx.next();
            }
        };
    }

    private static GatewayRoute answering(GatewayRoute r, List<String> ran) {
        return new GatewayRoute(r.policy(), r.access(), r.addressLimit(), r.keyChange(), ctx -> {
            ran.add("handler");
            ctx.response().end("ok");
        }, r.query());
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        List<GatewayFilter> filters = List.of( // deliberately out of order
                recording("rate", GatewayFilter.ORDER_RATE_LIMIT, r -> r.access().identifiesCaller()),
                recording("auth", GatewayFilter.ORDER_AUTHENTICATION, r -> r.access() != Access.PUBLIC),
                recording("tracing", GatewayFilter.ORDER_TRACING, r -> true),
                recording("per-address", GatewayFilter.ORDER_PER_ADDRESS_LIMIT, r -> r.addressLimit() != null),
                recording("scope", GatewayFilter.ORDER_SCOPE, r -> r.policy().scope() != null),
                recording("guard", GatewayFilter.ORDER_REQUEST_GUARD, r -> true));
        List<GatewayRoute> routes = List.of(
                answering(GatewayRoute.platform("POST", "/v1/sessions", Access.PUBLIC, 0, ctx -> { })
                        .withAddressLimit("login"), ran),
                answering(GatewayRoute.platform("GET", "/v1/keys", Access.SESSION, 1, ctx -> { }), ran),
                answering(GatewayRoute.platform("GET", "/v1/admin/keys", Access.ADMIN, 0, ctx -> { }), ran),
                GatewayRoute.catchAll("/v1/admin/*", Access.ADMIN),
                answering(GatewayRoute.api(new RoutePolicy("GET", "/v1/market/quotes", "market-api",
                        Scope.MARKET_READ, 2, RouteClass.MARKET_DATA, false), ctx -> { }), ran));
        Router router = Router.router(vertx);
        GatewayRouter.mount(router, new GatewayRouter.Parts(filters, routes, 65_536));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        ran.clear();
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyRouteRunsTheSortedFiltersThatApplyToIt() throws Exception {
        assertEquals(200, send("POST", "/v1/sessions").statusCode());
        assertEquals(List.of("tracing", "guard", "per-address", "handler"), List.copyOf(ran));
        assertEquals(200, send("GET", "/v1/keys").statusCode());
        assertEquals(List.of("tracing", "guard", "auth", "rate", "handler"), List.copyOf(ran));
        assertEquals(200, send("GET", "/v1/admin/keys").statusCode());
        assertEquals(List.of("tracing", "guard", "auth", "handler"), List.copyOf(ran));
        assertEquals(200, send("GET", "/v1/market/quotes").statusCode());
        assertEquals(List.of("tracing", "guard", "auth", "scope", "rate", "handler"), List.copyOf(ran));
    }

    @Test
    void unknownPathsRunOnlyTheFiltersBeforeRouting() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/nowhere");
        assertEquals(404, r.statusCode());
        assertEquals(-1004, new JsonObject(r.body()).getInteger("error_no"));
        assertEquals(List.of("tracing", "guard"), List.copyOf(ran));
    }

    @Test
    void aCatchAllAsksForItsCredentialThenAnswers405Or404() throws Exception {
        HttpResponse<String> wrongMethod = send("DELETE", "/v1/admin/keys");
        assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
        assertEquals("GET, HEAD", wrongMethod.headers().firstValue("Allow").orElse(null));
        assertEquals(List.of("tracing", "guard", "auth"), List.copyOf(ran));
        assertEquals(404, send("GET", "/v1/admin/nothing").statusCode());
        HttpResponse<String> refused = send("GET", "/v1/admin/nothing", "X-Refuse", "1");
        assertEquals(401, refused.statusCode());
        assertEquals("AdminToken realm=\"opentrade\"", refused.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void aRefusalIsAnsweredWithTheErrorModelAndTheRoutesChallenge() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/keys", "X-Refuse", "1");
        assertEquals(401, r.statusCode());
        assertEquals(-2001, new JsonObject(r.body()).getInteger("error_no"));
        assertEquals(Access.SESSION.challenge(), r.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(List.of("tracing", "guard", "auth"), List.copyOf(ran), "nothing after the refusal runs");
    }
}
