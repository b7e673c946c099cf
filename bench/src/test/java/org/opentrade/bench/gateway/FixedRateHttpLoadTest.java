package org.opentrade.bench.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.bench.gateway.FixedRateHttpLoad.Header;
import org.opentrade.bench.gateway.FixedRateHttpLoad.Result;
import org.opentrade.bench.gateway.FixedRateHttpLoad.Settings;

/** The generator in-process against a small Vert.x server on an ephemeral port; about 6 s. */
class FixedRateHttpLoadTest {
    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void contentLengthAndChunkedAnswersAreOkAndNon200AnswersAreErrors() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        AtomicInteger withoutHeaders = new AtomicInteger();
        int port = server(req -> {
            if (!"yes".equals(req.getHeader("X-Test")) || req.getHeader("Host") == null) {
                withoutHeaders.incrementAndGet();
            }
            HttpServerResponse resp = req.response();
            switch (seen.getAndIncrement() % 4) {
                case 0 -> resp.end("{\"length\":\"known\"}");
                case 1 -> {
                    resp.setChunked(true);
                    resp.write("{\"first\":1,");
                    resp.end("\"second\":2}");
                }
                case 2 -> resp.setStatusCode(500).end("{\"code\":-1}");
                default -> resp.putHeader("Connection", "close").end("{\"bye\":true}");
            }
        });

        Result r = FixedRateHttpLoad.run(new Settings("mixed", url(port), 400, 1, 0, 2, List.of(new Header("X-Test", "yes"))));

        assertEquals(400, r.requests());
        assertEquals(400, seen.get(), "every request reached the server");
        assertEquals(0, withoutHeaders.get());
        assertEquals(300, r.ok(), r.report());
        assertEquals(100, r.errors(), "the 500s");
        assertEquals(0, r.unfinished());
        assertEquals(0, r.connectionErrors(), r.report());
        assertTrue(r.reconnects() >= 100, "a new connection after each 'Connection: close': " + r.reconnects());
        assertEquals(400, r.latency().getTotalCount());
    }

    @Test
    void warmUpRequestsAreSentButNotCountedAndSlowAnswersShowInTheMedian() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        int port = server(req -> {
            seen.incrementAndGet();
            vertx.setTimer(20, t -> req.response().end("{\"slow\":true}"));
        });

        Result r = FixedRateHttpLoad.run(new Settings("slow", url(port), 100, 1, 1, 8, List.of()));

        assertEquals(200, seen.get(), "warm-up and measured requests");
        assertEquals(100, r.requests());
        assertEquals(100, r.ok(), r.report());
        assertEquals(0, r.errors());
        assertTrue(r.latencyMicros(50) >= 20_000, r.report());
        assertTrue(r.serviceMicros(50) >= 20_000, r.report());
        assertTrue(r.resultLine().matches("RESULT latency name=slow rate=100 achieved=\\d+ requests=100 errors=0"
                + " p50=[\\d.]+ p90=[\\d.]+ p99=[\\d.]+ p999=[\\d.]+ max=[\\d.]+ svc_p50=[\\d.]+ svc_p99=[\\d.]+"
                + " late_p99=[\\d.]+ ok=100 ok_p50=[\\d.]+ ok_p99=[\\d.]+ s503=0"), r.resultLine());
    }

    @Test
    void aServerThatStopsAnsweringEndsTheRunOnTimeWithEveryRequestUnfinished() throws Exception {
        int port = server(req -> { });
        Settings settings = new Settings("mute", url(port), 100, 1, 0, 4, List.of(), Duration.ofMillis(300),
                FixedRateHttpLoad.DEFAULT_POLL_INTERVAL, FixedRateHttpLoad.DEFAULT_SPIN);

        long t0 = System.nanoTime();
        Result r = FixedRateHttpLoad.run(settings);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertTrue(tookMs < 2_500, "took " + tookMs + " ms");
        assertEquals(100, r.requests());
        assertEquals(0, r.ok());
        assertEquals(100, r.unfinished());
        assertEquals(100, r.errors());
        assertEquals(96, r.queued(), "only 4 connections: the rest waited for one");
        assertTrue(r.latencyMicros(50) >= 300_000, "unfinished requests are recorded with the time they waited");
    }

    @Test
    void aRequestWhoseConnectionTheServerDropsIsAnErrorAndTheGeneratorReconnects() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        int port = server(req -> {
            if (seen.getAndIncrement() % 5 == 4) {
                req.connection().close();
            } else {
                req.response().end("{}");
            }
        });

        Result r = FixedRateHttpLoad.run(new Settings("dropped", url(port), 200, 1, 0, 2, List.of()));

        assertEquals(200, seen.get());
        assertEquals(160, r.ok(), r.report());
        assertEquals(40, r.errors());
        assertEquals(40, r.connectionErrors());
        assertEquals(0, r.unfinished());
    }

    @Test
    void anEncoderSendsEachRequestItsOwnBodyAndOnlyTheExpectedStatusCountsAsOk() throws Exception {
        Set<String> bodies = ConcurrentHashMap.newKeySet();
        AtomicInteger posts = new AtomicInteger();
        int port = server(req -> req.body().onSuccess(b -> {
            if (req.method() == HttpMethod.POST) {
                posts.incrementAndGet();
            }
            bodies.add(b.toString());
            // every tenth is answered 200 (as an idempotent replay would be): not the expected 201
            req.response().setStatusCode(b.toString().endsWith("0\"}") ? 200 : 201).end("{\"ok\":true}");
        }));
        FixedRateHttpLoad.RequestEncoder encoder = index -> {
            byte[] body = ("{\"client_order_id\":\"t-" + index + "\"}").getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            return ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
        };

        Result r = FixedRateHttpLoad.run(new Settings("orders", url(port), 200, 1, 0, 4, List.of(),
                FixedRateHttpLoad.DEFAULT_DRAIN, FixedRateHttpLoad.DEFAULT_POLL_INTERVAL, FixedRateHttpLoad.DEFAULT_SPIN,
                encoder, 201));

        assertEquals(200, posts.get());
        assertEquals(200, bodies.size(), "a body of its own per request");
        assertEquals(180, r.ok(), r.report());
        assertEquals(20, r.errors());
        assertEquals("HTTP 200", r.firstError());
        assertEquals(0, r.connectionErrors(), r.report());
    }

    private int server(Handler<HttpServerRequest> handler) throws Exception {
        return vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private static URI url(int port) {
        return URI.create("http://127.0.0.1:" + port + "/v1/market/instruments");
    }
}
