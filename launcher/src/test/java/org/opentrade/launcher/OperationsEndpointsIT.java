package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrade.exchange.app.ExchangeMetrics;
import org.opentrade.gateway.adapter.http.OperationsEndpoints;

/**
 * The operations endpoints (the gateway's one implementation, with the launcher's readiness message
 * and exchange metrics) on a real HTTP server, with readiness and metrics under the test's control.
 */
@ExtendWith(VertxExtension.class)
class OperationsEndpointsIT {
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private int port;
    /** Held in a field: Vert.x closes a client that becomes unreachable. */
    private HttpClient client;

    @BeforeEach
    void start(Vertx vertx, VertxTestContext ctx) {
        vertx.createHttpServer()
                .requestHandler(OperationsEndpoints.router(vertx, ready::get, AllInOne.OPERATIONS_NOT_READY,
                        () -> new ExchangeMetrics(ready.get(), 10, 20, 3, 1, 7, 5, 0, 0, 0, 0, new long[] {2}, new long[] {42}).prometheusText()))
                .listen(0, "127.0.0.1")
                .onComplete(ctx.succeeding((HttpServer s) -> {
                    port = s.actualPort();
                    client = vertx.createHttpClient();
                    ctx.completeNow();
                }));
    }

    /**
     * One request, failing after 10 s without progress (connecting or reading) instead of leaving the test to
     * its 30 s timeout with no cause: once, in a full clean-clone run, a call here got no answer at all.
     */
    private io.vertx.core.Future<HttpClientResponse> call(Vertx vertx, HttpMethod method, String path) {
        return client.request(new io.vertx.core.http.RequestOptions().setMethod(method).setPort(port).setHost("127.0.0.1")
                .setURI(path).setConnectTimeout(10_000).setIdleTimeout(10_000)).compose(r -> r.send());
    }

    @Test
    void readyIs503WithTheErrorModelUntilTheExchangeIsReady(Vertx vertx, VertxTestContext ctx) {
        call(vertx, HttpMethod.GET, "/ready").compose(r -> r.body().map(b -> {
            ctx.verify(() -> {
                assertEquals(503, r.statusCode());
                JsonObject e = b.toJsonObject();
                assertEquals(-9001, e.getInteger("error_no"));
                assertTrue(e.getString("error").contains("not ready"));
                assertEquals(r.getHeader("X-Trace-Id"), e.getString("trace_id"));
                assertTrue(e.getString("trace_id").matches("[0-9a-f]{32}"));
            });
            ready.set(true);
            return r;
        })).compose(r -> call(vertx, HttpMethod.GET, "/ready"))
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    assertEquals(200, r.statusCode());
                    ctx.completeNow();
                })));
    }

    @Test
    void metricsArePrometheusText(Vertx vertx, VertxTestContext ctx) {
        call(vertx, HttpMethod.GET, "/metrics").compose(r -> r.body().map(b -> {
            ctx.verify(() -> {
                assertEquals(200, r.statusCode());
                String text = b.toString();
                assertTrue(text.contains("# TYPE opentrade_exchange_commands_processed_total counter\n"
                        + "opentrade_exchange_commands_processed_total 10\n"), text);
                assertTrue(text.contains("opentrade_exchange_live_orders 7\n"), text);
                assertTrue(text.contains("# TYPE opentrade_exchange_queued_commands gauge\n"
                        + "opentrade_exchange_queued_commands{shard=\"0\"} 2\n"), text);
                assertTrue(text.contains("opentrade_exchange_feed_head_seq{shard=\"0\"} 42\n"), text);
                assertTrue(r.getHeader("X-Trace-Id") != null);
            });
            return r;
        })).onComplete(ctx.succeedingThenComplete());
    }

    @Test
    void wrongMethodAnswersWithTheErrorModel(Vertx vertx, VertxTestContext ctx) {
        call(vertx, HttpMethod.POST, "/health").compose(r -> r.body().map(b -> {
            ctx.verify(() -> {
                assertEquals(405, r.statusCode());
                assertEquals(-1005, b.toJsonObject().getInteger("error_no"));
                assertEquals(r.getHeader("X-Trace-Id"), b.toJsonObject().getString("trace_id"));
            });
            return r;
        })).onComplete(ctx.succeedingThenComplete());
    }
}
