package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.domain.RouteClass;
import org.opentrade.gateway.domain.RoutePolicy;
import org.opentrade.gateway.domain.Scope;

/** Request counts by route template and status, and the latency histogram, as /metrics shows them. */
class RequestMetricsTest {
    private static final RoutePolicy ORDER = new RoutePolicy("GET", "/v1/orders/:order_id", "trade-api", Scope.TRADE, 1,
            RouteClass.TRADE_READ, false);
    private final Vertx vertx = Vertx.vertx();
    private final RequestMetrics metrics = new RequestMetrics();
    private HttpClient client;
    /**
     * Requests start on this one context: sent from the test thread, a response's callback may run on
     * another event loop than its connection's and miss the body's end (it hung 1 in ~100 runs, in CI too).
     */
    private Context clientContext;
    private int port;

    @BeforeEach
    void start() throws Exception {
        Router router = Router.router(vertx);
        router.route().handler(metrics::handle);
        router.get("/v1/orders/:order_id").handler(ctx -> {
            ctx.put(RequestKeys.ROUTE, ORDER);
            ctx.response().setStatusCode("limited".equals(ctx.pathParam("order_id")) ? 429 : 200).end();
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
        client = vertx.createHttpClient();
        clientContext = vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private int get(String uri) throws Exception {
        Promise<Integer> status = Promise.promise();
        clientContext.runOnContext(v -> client.request(HttpMethod.GET, port, "127.0.0.1", uri).compose(r -> r.send())
                .compose(r -> r.body().map(b -> r.statusCode())).onComplete(status));
        return status.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static long value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return -1;
    }

    @Test
    void requestsAreCountedByRouteTemplateAndStatusAndTimed() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("/v1/orders/o-" + i));
        }
        assertEquals(429, get("/v1/orders/limited"));
        assertEquals(404, get("/v1/no/such/path/" + "x".repeat(50)));
        String text = metrics.prometheus();
        assertEquals(3, value(text, "opentrade_gateway_requests_total{route=\"GET /v1/orders/{order_id}\",status=\"200\"}"));
        assertEquals(1, value(text, "opentrade_gateway_requests_total{route=\"GET /v1/orders/{order_id}\",status=\"429\"}"));
        assertEquals(1, value(text, "opentrade_gateway_requests_total{route=\"unmatched\",status=\"404\"}"));
        assertFalse(text.contains("o-1") || text.contains("no/such"), "no caller-chosen path in a label");
        assertEquals(5, value(text, "opentrade_gateway_request_duration_seconds_count"));
        assertEquals(5, value(text, "opentrade_gateway_request_duration_seconds_bucket{le=\"+Inf\"}"));
        assertTrue(value(text, "opentrade_gateway_request_duration_seconds_bucket{le=\"0.0005\"}") <= 5);
    }
}
