package org.opentrade.gateway.adapter.http.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;

class ProxyHandlerTest {
    private static final BiConsumer<RoutingContext, MultiMap> NO_IDENTITY = (ctx, headers) -> { };
    private final ProxyTestKit kit = new ProxyTestKit();

    @AfterEach
    void stop() {
        kit.close();
    }

    private int gatewayTo(UpstreamPoolOptions options) {
        return kit.gateway(new ProxyHandler(kit.pool(options), UpstreamHopListener.NONE, NO_IDENTITY), null);
    }

    @Test
    void requestsAreSpreadRoundRobinAcrossInstances() {
        int a = kit.upstream(0, r -> r.response().end("a")).actualPort();
        int b = kit.upstream(0, r -> r.response().end("b")).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("market-api", a, b));
        List<String> seen = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(kit.get(gw, "/v1/market/quotes").body().toString());
        }
        assertEquals(3, seen.stream().filter("a"::equals).count(), seen.toString());
        assertEquals(3, seen.stream().filter("b"::equals).count(), seen.toString());
        for (int i = 1; i < seen.size(); i++) {
            assertFalse(seen.get(i).equals(seen.get(i - 1)), "alternates: " + seen);
        }
    }

    @Test
    void getIsRetriedOnAnotherInstanceWhenOneRefusesConnections() {
        AtomicInteger hits = new AtomicInteger();
        int good = kit.upstream(0, r -> {
            hits.incrementAndGet();
            r.response().end("ok");
        }).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("market-api", kit.closedPort(), good)
                .setBreakerMaxFailures(100));
        for (int i = 0; i < 4; i++) {
            ProxyTestKit.Reply reply = kit.get(gw, "/v1/market/quotes");
            assertEquals(200, reply.status());
            assertEquals("ok", reply.body().toString());
        }
        assertEquals(4, hits.get());
    }

    @Test
    void getIsRetriedOnAnotherInstanceAfterA503WithoutRetryAfterButPostIsNever() {
        AtomicInteger failingHits = new AtomicInteger();
        AtomicInteger goodHits = new AtomicInteger();
        int failing = kit.upstream(0, r -> {
            failingHits.incrementAndGet();
            r.response().setStatusCode(503).end();
        }).actualPort();
        int good = kit.upstream(0, r -> {
            goodHits.incrementAndGet();
            r.response().end("ok");
        }).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("trade-api", failing, good).setBreakerMaxFailures(100));

        for (int i = 0; i < 4; i++) {
            assertEquals(200, kit.get(gw, "/v1/orders").status());
        }
        assertEquals(4, goodHits.get());
        assertEquals(2, failingHits.get(), "round-robin sends every other GET to the failing one first");

        failingHits.set(0);
        goodHits.set(0);
        int refused = 0;
        for (int i = 0; i < 4; i++) {
            int status = kit.call(gw, HttpMethod.POST, "/v1/orders", null, Buffer.buffer("{}")).status();
            refused += status == 503 ? 1 : 0;
        }
        assertEquals(4, failingHits.get() + goodHits.get(), "each POST reached exactly one instance");
        assertEquals(failingHits.get(), refused, "a POST that met a 503 was answered 503, not retried");
        assertEquals(2, refused);
    }

    @Test
    void postIsNotRetriedWhenItsInstanceRefusesConnections() {
        AtomicInteger hits = new AtomicInteger();
        int good = kit.upstream(0, r -> {
            hits.incrementAndGet();
            r.response().end("ok");
        }).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("trade-api", kit.closedPort(), good).setBreakerMaxFailures(100));
        int unavailable = 0;
        for (int i = 0; i < 4; i++) {
            ProxyTestKit.Reply reply = kit.call(gw, HttpMethod.POST, "/v1/orders", null, Buffer.buffer("{}"));
            if (reply.status() == 503) {
                unavailable++;
                assertEquals(-9001, reply.json().getInteger("error_no"));
                assertEquals("trade-api is unavailable", reply.json().getString("error"));
            }
        }
        assertEquals(2, unavailable);
        assertEquals(2, hits.get());
    }

    @Test
    void slowUpstreamAnswers504WithTheErrorModel() {
        int slow = kit.upstream(0, r -> { }).actualPort(); // never answers
        UpstreamPool pool = kit.pool(ProxyTestKit.options("market-api", slow));
        int gw = kit.gateway(new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY, Duration.ofMillis(200)),
                null);
        long start = System.nanoTime();
        ProxyTestKit.Reply reply = kit.get(gw, "/v1/market/klines/600000.SH");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, reply.status());
        JsonObject error = reply.json();
        assertEquals(-9002, error.getInteger("error_no"));
        assertEquals("market-api did not answer in time", error.getString("error"));
        assertEquals(32, error.getString("trace_id").length());
        assertEquals(error.getString("trace_id"), reply.headers().get("X-Trace-Id"));
        assertTrue(tookMillis >= 190 && tookMillis < 2000, "took " + tookMillis + " ms");
    }

    @Test
    void hopByHopCredentialAndSpoofedIdentityHeadersAreStrippedAndTrustedOnesAdded() {
        JsonObject[] seen = new JsonObject[1];
        int up = kit.upstream(0, r -> {
            JsonObject h = new JsonObject();
            r.headers().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
            seen[0] = h;
            r.response().end();
        }).actualPort();
        List<String> hops = new CopyOnWriteArrayList<>();
        UpstreamHopListener listener = (ctx, upstream, target, method, path, headers) -> {
            headers.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            hops.add("start " + upstream + " " + method + " " + path);
            return (status, failure) -> hops.add("end " + status + " " + failure);
        };
        UpstreamPool pool = kit.pool(ProxyTestKit.options("trade-api", up));
        int gw = kit.gateway(new ProxyHandler(pool, listener,
                (ctx, headers) -> headers.set("X-OpenTrade-Developer", "dev-1")), null);

        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Keep-Alive", "timeout=5").add("TE", "trailers").add("Trailer", "X-Checksum")
                .add("Proxy-Authorization", "Basic eA==").add("Connection", "keep-alive, X-Drop-Me")
                .add("X-Drop-Me", "1")
                .add("X-API-Key", "key-1").add("X-API-Secret", "s3cret").add("X-Signature", "sig")
                .add("X-Timestamp", "1700000000000").add("Authorization", "Bearer jwt").add("Cookie", "session=1")
                .add("X-Admin-Token", "adm_secret")
                .add("X-OpenTrade-Developer", "mallory").add("X-OpenTrade-Scopes", "admin")
                .add("X-OpenTrade-Assertion", "ota1.forged.x")
                .add("X-Forwarded-For", "6.6.6.6").add("X-Custom", "yes");
        assertEquals(200, kit.call(gw, HttpMethod.GET, "/v1/account", headers, null).status());

        JsonObject h = seen[0];
        for (String gone : List.of("keep-alive", "te", "trailer", "proxy-authorization", "x-drop-me",
                "x-api-secret", "x-signature", "authorization", "cookie", "x-admin-token", "x-opentrade-scopes",
                "x-opentrade-assertion")) {
            assertNull(h.getString(gone), gone + " must not reach the upstream: " + h);
        }
        assertEquals("key-1", h.getString("x-api-key"));
        assertEquals("1700000000000", h.getString("x-timestamp"));
        assertEquals("yes", h.getString("x-custom"));
        assertEquals("dev-1", h.getString("x-opentrade-developer"));
        assertEquals("127.0.0.1", h.getString("x-forwarded-for"));
        assertEquals("http", h.getString("x-forwarded-proto"));
        assertEquals("127.0.0.1:" + gw, h.getString("x-forwarded-host"));
        assertEquals("127.0.0.1:" + up, h.getString("host"), "Host names the instance, not the gateway");
        assertTrue(h.getString("traceparent").startsWith("00-0af7"), "hop listener headers are sent");
        assertEquals(List.of("start trade-api GET /v1/account", "end 200 null"), hops);
    }

    @Test
    void queryStringAndBinaryBodyPassThroughByteExact() {
        byte[] payload = new byte[100_000];
        new Random(42).nextBytes(payload);
        int up = kit.upstream(0, r -> r.body().onSuccess(b -> r.response()
                .putHeader("X-Seen-Uri", r.uri()).putHeader("X-Seen-Method", r.method().name()).end(b))).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("trade-api", up));
        String uri = "/v1/orders?symbol=600000.SH&note=%E4%B8%AD%20x%2By&empty=&dup=1&dup=2";
        ProxyTestKit.Reply reply = kit.call(gw, HttpMethod.PATCH, uri, null, Buffer.buffer(payload));
        assertEquals(200, reply.status());
        assertEquals(uri, reply.headers().get("X-Seen-Uri"));
        assertEquals("PATCH", reply.headers().get("X-Seen-Method"));
        assertArrayEquals(payload, reply.body().getBytes());
    }

    @Test
    void aLargeChunkedAnswerPassesThroughByteExact() {
        byte[] payload = new byte[5 * UpstreamPool.MAX_CHUNK_BYTES + 12_345];
        new Random(7).nextBytes(payload);
        int up = kit.upstream(0, r -> {
            r.response().setChunked(true);
            for (int off = 0; off < payload.length; off += 30_000) {
                r.response().write(Buffer.buffer(java.util.Arrays.copyOfRange(payload, off,
                        Math.min(payload.length, off + 30_000))));
            }
            r.response().end();
        }).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("market-api", up));
        ProxyTestKit.Reply reply = kit.get(gw, "/v1/market/klines/600000.SH");
        assertEquals(200, reply.status());
        assertArrayEquals(payload, reply.body().getBytes());
    }

    @Test
    void upstreamStatusHeadersAndErrorBodiesPassThroughUnchanged() {
        String upstreamError = "{\"error\":\"unknown order\",\"error_no\":-4004,\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\"}";
        int up = kit.upstream(0, r -> r.response().setStatusCode(404)
                .putHeader("Content-Type", "application/json").putHeader("X-Upstream", "trade-api-1")
                .putHeader("X-Trace-Id", "0af7651916cd43dd8448eb211c80319c")
                .putHeader("Connection", "keep-alive").putHeader("Keep-Alive", "timeout=60")
                .end(upstreamError)).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("trade-api", up));
        ProxyTestKit.Reply reply = kit.get(gw, "/v1/orders/42");
        assertEquals(404, reply.status());
        assertEquals(upstreamError, reply.body().toString());
        assertEquals("application/json", reply.headers().get("Content-Type"));
        assertEquals("trade-api-1", reply.headers().get("X-Upstream"));
        assertEquals("0af7651916cd43dd8448eb211c80319c", reply.headers().get("X-Trace-Id"));
        assertNull(reply.headers().get("Keep-Alive"));
    }

    @Test
    void theAnswerCarriesOneTraceIdTheGatewaysOwn() {
        int up = kit.upstream(0, r -> r.response().putHeader("X-Trace-Id", "0af7651916cd43dd8448eb211c80319c")
                .end("{}")).actualPort();
        int gw = kit.gatewayAfter(ctx -> {
            ctx.response().putHeader("X-Trace-Id", "4bf92f3577b34da6a3ce929d0e0e4736"); // as the tracing filter does
            ctx.next();
        }, new ProxyHandler(kit.pool(ProxyTestKit.options("trade-api", up)), UpstreamHopListener.NONE, NO_IDENTITY));
        ProxyTestKit.Reply reply = kit.get(gw, "/v1/orders/42");
        assertEquals(List.of("4bf92f3577b34da6a3ce929d0e0e4736"), reply.headers().getAll("X-Trace-Id"));
    }

    @Test
    void chunkedUpstreamAnswerIsStreamedBack() {
        int up = kit.upstream(0, r -> {
            r.response().setChunked(true).setStatusCode(201).write("part-1,");
            kit.vertx.setTimer(20, id -> r.response().end("part-2"));
        }).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("market-api", up));
        ProxyTestKit.Reply reply = kit.get(gw, "/v1/market/trades/600000.SH");
        assertEquals(201, reply.status());
        assertEquals("part-1,part-2", reply.body().toString());
    }

    @Test
    void upstreamBreakingMidAnswerResetsTheCallersConnection() {
        assertBreakingMidAnswerResetsTheCaller(r -> r.response().setChunked(true).write("half of the answer"));
    }

    @Test
    void upstreamBreakingBeforeTheDeclaredLengthResetsTheCallersConnection() {
        assertBreakingMidAnswerResetsTheCaller(r -> r.response().putHeader("Content-Length", "100")
                .write("forty-two bytes of a hundred-byte answer!!"));
    }

    /** An upstream that starts its answer with {@code start}, then drops the connection: the caller sees no complete answer. */
    private void assertBreakingMidAnswerResetsTheCaller(java.util.function.Consumer<io.vertx.core.http.HttpServerRequest> start) {
        int up = kit.upstream(0, r -> {
            start.accept(r);
            kit.vertx.setTimer(20, id -> r.connection().close());
        }).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("market-api", up));
        Throwable failure = null;
        try {
            kit.get(gw, "/v1/market/depth/600000.SH");
        } catch (AssertionError e) {
            failure = e.getCause();
        }
        assertTrue(failure != null, "the caller must not see a complete answer");
    }

    @Test
    void aSmallAnswerStalledBeforeItsDeclaredEndAnswers504WithTheErrorModel() {
        // Read whole before any of it is sent: at the deadline nothing has reached the caller, so the caller
        // gets the timeout in the error model rather than a reset after half an answer.
        int up = kit.upstream(0, r -> r.response().putHeader("Content-Length", "100").putHeader("X-Upstream", "m-1")
                .write("the first part of an answer that never ends")).actualPort();
        int gw = kit.gateway(new ProxyHandler(kit.pool(ProxyTestKit.options("market-api", up)), UpstreamHopListener.NONE,
                NO_IDENTITY, Duration.ofMillis(300)), null);
        ProxyTestKit.Reply reply = kit.get(gw, "/v1/market/depth/600000.SH");
        assertEquals(504, reply.status());
        assertEquals(-9002, reply.json().getInteger("error_no"));
        assertNull(reply.headers().get("X-Upstream"));
        assertEquals(reply.json().getString("trace_id"), reply.headers().get("X-Trace-Id"));
    }

    @Test
    void aCallerGoneBeforeASmallAnswerIsCompleteEndsTheHopWithAFailure() throws Exception {
        java.util.concurrent.CompletableFuture<Void> arrived = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Void> callerGone = new java.util.concurrent.CompletableFuture<>();
        int up = kit.upstream(0, r -> {
            r.response().putHeader("Content-Length", "10").write("01234");
            arrived.complete(null);
            // The rest only once the gateway has seen its caller's connection close.
            callerGone.thenRun(() -> kit.vertx.runOnContext(v -> r.response().end("56789")));
        }).actualPort();
        java.util.concurrent.CompletableFuture<String> hopEnded = new java.util.concurrent.CompletableFuture<>();
        UpstreamHopListener hops = (ctx, upstream, target, method, path, headers) ->
                (status, failure) -> hopEnded.complete(status + " " + (failure == null ? "ok" : failure.getMessage()));
        int gw = kit.gatewayAfter(ctx -> {
            ctx.request().connection().closeHandler(v -> callerGone.complete(null));
            ctx.next();
        }, new ProxyHandler(kit.pool(ProxyTestKit.options("market-api", up)), hops, NO_IDENTITY));
        try (java.net.Socket caller = new java.net.Socket("127.0.0.1", gw)) {
            caller.getOutputStream().write("GET /v1/market/depth/600000.SH HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            caller.getOutputStream().flush();
            arrived.get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertEquals("200 the caller's connection closed before the answer",
                hopEnded.get(5, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void answersAroundTheWholeReadLimitPassThroughByteExact() {
        for (int size : new int[] {0, 1, ProxyExchange.AGGREGATE_MAX_BYTES, ProxyExchange.AGGREGATE_MAX_BYTES + 1}) {
            byte[] payload = new byte[size];
            new Random(size).nextBytes(payload);
            int up = kit.upstream(0, r -> r.response().putHeader("Content-Type", "application/octet-stream")
                    .end(Buffer.buffer(payload))).actualPort();
            int gw = gatewayTo(ProxyTestKit.options("market-api", up));
            ProxyTestKit.Reply reply = kit.get(gw, "/v1/market/klines/600000.SH");
            assertEquals(200, reply.status());
            assertEquals(Integer.toString(size), reply.headers().get("Content-Length"), "size " + size);
            assertArrayEquals(payload, reply.body().getBytes(), "size " + size);
        }
    }

    @Test
    void bodyLargerThanThePoolLimitAnswers413WithoutCallingTheUpstream() {
        AtomicInteger hits = new AtomicInteger();
        int up = kit.upstream(0, r -> {
            hits.incrementAndGet();
            r.response().end();
        }).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("trade-api", up).setMaxRequestBodyBytes(10));
        ProxyTestKit.Reply reply = kit.call(gw, HttpMethod.POST, "/v1/orders", null, Buffer.buffer("01234567890"));
        assertEquals(413, reply.status());
        assertEquals(-1003, reply.json().getInteger("error_no"));
        assertEquals(0, hits.get());
    }

    @Test
    void upstream5xxCountsAsBreakerFailureBut4xxDoesNot() {
        AtomicInteger status = new AtomicInteger(404);
        int up = kit.upstream(0, r -> r.response().setStatusCode(status.get()).end()).actualPort();
        UpstreamPool pool = kit.pool(ProxyTestKit.options("trade-api", up).setBreakerMaxFailures(3)
                .setMaxRetries(0));
        int gw = kit.gateway(new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY), null);
        for (int i = 0; i < 5; i++) {
            assertEquals(404, kit.get(gw, "/v1/orders/1").status());
        }
        assertEquals("CLOSED", pool.instances().get(0).breakerState().name());
        status.set(500);
        for (int i = 0; i < 3; i++) {
            assertEquals(500, kit.get(gw, "/v1/orders/1").status());
        }
        assertEquals("OPEN", pool.instances().get(0).breakerState().name());
        ProxyTestKit.Reply reply = kit.get(gw, "/v1/orders/1");
        assertEquals(503, reply.status());
        assertEquals(Map.of("error", "trade-api is unavailable", "error_no", -9001),
                Map.of("error", reply.json().getString("error"), "error_no", reply.json().getInteger("error_no")));
    }

    /** What market-api answers a K-line or trades page it cannot read now (history store down, slow, read pool full). */
    private static final String HISTORY_REFUSAL =
            "{\"error\":\"history store unavailable\",\"error_no\":-6014,\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\"}";

    private static void refuseHistory(io.vertx.core.http.HttpServerRequest r) {
        r.response().setStatusCode(503).putHeader("Content-Type", "application/json").putHeader("Retry-After", "1")
                .end(HISTORY_REFUSAL);
    }

    @Test
    void deliberate503sWithRetryAfterNeverOpenTheBreakerAndLiveDataStillPasses() {
        // The review's attack: one key asks history pages an instance refuses on purpose, many times the
        // breaker's failures, from both instances of the pool; quotes and depth must go on for everybody.
        AtomicInteger klineHits = new AtomicInteger();
        io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> market = r -> {
            if (r.path().startsWith("/v1/market/klines/")) {
                klineHits.incrementAndGet();
                refuseHistory(r);
            } else {
                r.response().end("quote");
            }
        };
        int a = kit.upstream(0, market).actualPort();
        int b = kit.upstream(0, market).actualPort();
        UpstreamPool pool = kit.pool(ProxyTestKit.options("market-api", a, b).setBreakerMaxFailures(3));
        int gw = kit.gateway(new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY), null);

        for (int i = 0; i < 12; i++) {
            ProxyTestKit.Reply reply = kit.get(gw, "/v1/market/klines/600000.SH?interval=60m&limit=10000");
            assertEquals(503, reply.status());
            assertEquals(HISTORY_REFUSAL, reply.body().toString(), "the upstream's own error body");
            assertEquals("1", reply.headers().get("Retry-After"), "the upstream's Retry-After");
        }
        assertEquals(12, klineHits.get(), "each refusal relayed as it came, not retried on the other instance");
        for (UpstreamInstance instance : pool.instances()) {
            assertEquals("CLOSED", instance.breakerState().name(), instance.toString());
        }
        for (int i = 0; i < 4; i++) {
            ProxyTestKit.Reply reply = kit.get(gw, "/v1/market/quotes?symbols=600000.SH");
            assertEquals(200, reply.status(), reply.body().toString());
            assertEquals("quote", reply.body().toString());
        }
    }

    @Test
    void a429WithRetryAfterIsRelayedAndNeverOpensTheBreaker() {
        int up = kit.upstream(0, r -> r.response().setStatusCode(429).putHeader("Retry-After", "1")
                .end("{\"error\":\"order rate exceeded\",\"error_no\":-3002}")).actualPort();
        UpstreamPool pool = kit.pool(ProxyTestKit.options("trade-api", up).setBreakerMaxFailures(3));
        int gw = kit.gateway(new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY), null);
        for (int i = 0; i < 6; i++) {
            ProxyTestKit.Reply reply = kit.call(gw, HttpMethod.POST, "/v1/orders", null, Buffer.buffer("{}"));
            assertEquals(429, reply.status());
            assertEquals(-3002, reply.json().getInteger("error_no"));
            assertEquals("1", reply.headers().get("Retry-After"));
        }
        assertEquals("CLOSED", pool.instances().get(0).breakerState().name());
    }

    @Test
    void otherServerErrorsA503WithoutAUsableRetryAfterAndTimeoutsStillOpenTheBreaker() {
        List<java.util.function.Consumer<io.vertx.core.http.HttpServerRequest>> failures = List.of(
                r -> r.response().setStatusCode(500).end(),
                r -> r.response().setStatusCode(502).end(),
                r -> r.response().setStatusCode(504).end(),
                r -> r.response().setStatusCode(503).end(),
                r -> r.response().setStatusCode(503).putHeader("Retry-After", "soon").end(),
                r -> r.response().setStatusCode(502).putHeader("Retry-After", "1").end(),
                r -> { }); // never answers: the deadline
        for (int k = 0; k < failures.size(); k++) {
            var failure = failures.get(k);
            int up = kit.upstream(0, failure::accept).actualPort();
            UpstreamPool pool = kit.pool(ProxyTestKit.options("market-api", up).setBreakerMaxFailures(3));
            int gw = kit.gateway(new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY, Duration.ofMillis(200)),
                    null);
            for (int i = 0; i < 3; i++) {
                int status = kit.get(gw, "/v1/market/klines/600000.SH").status();
                assertTrue(status >= 500, "case " + k + ": " + status);
            }
            UpstreamInstance instance = pool.instances().get(0);
            kit.awaitTrue("case " + k + ": breaker open", () -> instance.breakerState().name().equals("OPEN"));
            ProxyTestKit.Reply reply = kit.get(gw, "/v1/market/klines/600000.SH");
            assertEquals(503, reply.status(), "case " + k);
            assertEquals(-9001, reply.json().getInteger("error_no"), "case " + k);
        }
    }

    @Test
    void deliberateRefusalNeedsA503Or429AndAWellFormedRetryAfter() {
        MultiMap seconds = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "120");
        MultiMap date = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
        MultiMap bad = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "-1");
        MultiMap none = MultiMap.caseInsensitiveMultiMap();
        assertTrue(ProxyExchange.deliberateRefusal(503, seconds));
        assertTrue(ProxyExchange.deliberateRefusal(503, date));
        assertTrue(ProxyExchange.deliberateRefusal(429, seconds));
        assertFalse(ProxyExchange.deliberateRefusal(503, bad));
        assertFalse(ProxyExchange.deliberateRefusal(503, none));
        assertFalse(ProxyExchange.deliberateRefusal(500, seconds));
        assertFalse(ProxyExchange.deliberateRefusal(502, seconds));
        assertFalse(ProxyExchange.deliberateRefusal(504, seconds));
    }
}
