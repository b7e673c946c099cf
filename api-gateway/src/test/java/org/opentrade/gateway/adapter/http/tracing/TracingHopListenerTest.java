package org.opentrade.gateway.adapter.http.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.common.tracing.SpanRecord;
import org.opentrade.gateway.adapter.http.HttpErrors;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;
import org.opentrade.gateway.domain.GatewayError;

/**
 * A request through a tiny gateway whose route calls a fake upstream the way the proxy does:
 * copy the caller's headers, let the hop listener add its own, send, report the outcome.
 */
class TracingHopListenerTest {
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private TracingHarness gw;
    private HttpServer upstream;
    private final CompletableFuture<MultiMap> upstreamSaw = new CompletableFuture<>();

    @BeforeEach
    void start() {
        gw = new TracingHarness();
        upstream = TracingHarness.await(gw.vertx.createHttpServer().requestHandler(req -> {
            upstreamSaw.complete(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
            req.response().setStatusCode(req.path().equals("/fail") ? 503 : 200).end("[]");
        }).listen(0, "127.0.0.1"));
        UpstreamHopListener hops = new TracingHopListener(gw.tracing);
        gw.router.get("/v1/market/quotes").handler(ctx -> proxy(ctx, hops, upstream.actualPort(), "/quotes"));
        gw.router.get("/v1/market/broken").handler(ctx -> proxy(ctx, hops, upstream.actualPort(), "/fail"));
        gw.router.get("/v1/market/down").handler(ctx -> proxy(ctx, hops, closedPort(), "/quotes"));
        gw.start();
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private void proxy(io.vertx.ext.web.RoutingContext ctx, UpstreamHopListener hops, int port, String path) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap().addAll(ctx.request().headers());
        UpstreamHopListener.Hop hop = hops.start(ctx, "market-api", "127.0.0.1:" + port, "GET", path, out);
        gw.client.request(HttpMethod.GET, port, "127.0.0.1", path)
                .compose(req -> {
                    req.headers().addAll(out);
                    return req.send();
                })
                .compose(resp -> resp.body().map(body -> {
                    hop.end(resp.statusCode(), null);
                    ctx.response().setStatusCode(resp.statusCode()).end(body);
                    return null;
                }))
                .onFailure(e -> {
                    hop.end(-1, e);
                    HttpErrors.send(ctx, GatewayError.UPSTREAM_UNAVAILABLE);
                });
    }

    /** A port nothing listens on: bound and released. */
    private static int closedPort() {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUpstreamCallIsAClientSpanChildOfTheServerSpanAndCarriesBothHeaderFormats() throws Exception {
        var reply = gw.get("/v1/market/quotes", Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"));
        assertEquals(200, reply.status());
        assertEquals(CALLER_TRACE, reply.traceId());

        List<SpanRecord> spans = gw.awaitSpans(CALLER_TRACE, 2);
        SpanRecord server = TracingHarness.only(spans, "SERVER");
        SpanRecord client = TracingHarness.only(spans, "CLIENT");
        assertEquals(CALLER_SPAN, server.parentSpanId());
        assertEquals(server.spanId(), client.parentSpanId());
        assertEquals("GET market-api", client.name());
        assertEquals("market-api", client.attributes().get("opentrade.upstream"));
        assertEquals("127.0.0.1", client.attributes().get("server.address"));
        assertEquals("/quotes", client.attributes().get("url.path"));
        assertEquals(200L, client.attributes().get("http.response.status_code"));

        MultiMap sent = upstreamSaw.get(5, TimeUnit.SECONDS);
        String[] traceparent = sent.get("traceparent").split("-");
        assertEquals(CALLER_TRACE, traceparent[1]);
        assertEquals(client.spanId(), traceparent[2], "the upstream's parent is the client span");
        assertEquals(CALLER_TRACE, sent.get("X-B3-TraceId"));
        assertEquals(client.spanId(), sent.get("X-B3-SpanId"));
        assertEquals("1", sent.get("X-B3-Sampled"));
    }

    @Test
    void staleB3HeadersFromTheCallerAreReplacedNotForwarded() throws Exception {
        var reply = gw.get("/v1/market/quotes", Map.of(
                "b3", CALLER_TRACE + "-" + CALLER_SPAN + "-1",
                "X-B3-ParentSpanId", "1111111111111111",
                "X-B3-Flags", "1"));
        assertEquals(CALLER_TRACE, reply.traceId());
        SpanRecord client = TracingHarness.only(gw.awaitSpans(CALLER_TRACE, 2), "CLIENT");
        MultiMap sent = upstreamSaw.get(5, TimeUnit.SECONDS);
        assertNull(sent.get("b3"));
        assertNull(sent.get("X-B3-ParentSpanId"));
        assertNull(sent.get("X-B3-Flags"));
        assertEquals(client.spanId(), sent.get("X-B3-SpanId"));
        assertTrue(sent.get("traceparent").contains(client.spanId()));
    }

    @Test
    void anUpstream5xxMakesBothSpansErrors() {
        var reply = gw.get("/v1/market/broken", Map.of());
        assertEquals(503, reply.status());
        List<SpanRecord> spans = gw.awaitSpans(reply.traceId(), 2);
        assertEquals("ERROR", TracingHarness.only(spans, "CLIENT").status());
        assertEquals("ERROR", TracingHarness.only(spans, "SERVER").status());
    }

    @Test
    void anUnreachableUpstreamIsAnErrorClientSpanAndTheErrorAnswerKeepsTheTraceId() {
        var reply = gw.get("/v1/market/down", Map.of());
        assertEquals(503, reply.status());
        assertEquals(reply.traceId(), reply.json().getString("trace_id"));
        SpanRecord client = TracingHarness.only(gw.awaitSpans(reply.traceId(), 2), "CLIENT");
        assertEquals("ERROR", client.status());
        assertNull(client.attributes().get("http.response.status_code"));
        assertTrue(client.attributes().containsKey("error.type"));
    }
}
