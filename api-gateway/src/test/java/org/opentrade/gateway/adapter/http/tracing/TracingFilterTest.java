package org.opentrade.gateway.adapter.http.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.common.error.TraceIds;
import org.opentrade.common.tracing.SpanRecord;
import org.opentrade.gateway.adapter.http.HttpErrors;
import org.opentrade.gateway.adapter.http.RequestKeys;
import org.opentrade.gateway.domain.GatewayError;

class TracingFilterTest {
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private TracingHarness gw;
    private final CompletableFuture<String> traceIdSeenByHandler = new CompletableFuture<>();
    private final CompletableFuture<Void> slowRequestArrived = new CompletableFuture<>();

    @BeforeEach
    void start() {
        gw = new TracingHarness();
        gw.router.get("/v1/ping").handler(ctx -> {
            traceIdSeenByHandler.complete(ctx.get(RequestKeys.TRACE_ID));
            ctx.response().end("pong");
        });
        gw.router.get("/v1/orders/:order_id").handler(ctx -> ctx.response().end("{}"));
        gw.router.get("/v1/boom").handler(ctx -> HttpErrors.send(ctx, GatewayError.INTERNAL));
        gw.router.get("/v1/mine").handler(ctx -> {
            TracingFilter.tagDeveloper(ctx, "dev-alice");
            ctx.response().end();
        });
        gw.router.get("/v1/slow").handler(ctx -> slowRequestArrived.complete(null)); // never answers
        gw.start();
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void aCallersTraceparentIsContinuedAndItsTraceIdAnswered() throws Exception {
        var reply = gw.get("/v1/ping", Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"));
        assertEquals(200, reply.status());
        assertEquals(CALLER_TRACE, reply.traceId());
        assertEquals(CALLER_TRACE, traceIdSeenByHandler.get(5, TimeUnit.SECONDS));
        SpanRecord server = TracingHarness.only(gw.awaitSpans(CALLER_TRACE, 1), "SERVER");
        assertEquals(CALLER_SPAN, server.parentSpanId());
        assertEquals(200L, server.attributes().get("http.response.status_code"));
        assertEquals("api-gateway", server.service());
    }

    @Test
    void callersB3HeadersAreContinuedAndTheirTraceIdAnswered() {
        var reply = gw.get("/v1/ping", Map.of("X-B3-TraceId", CALLER_TRACE, "X-B3-SpanId", CALLER_SPAN,
                "X-B3-Sampled", "1"));
        assertEquals(CALLER_TRACE, reply.traceId());
        SpanRecord server = TracingHarness.only(gw.awaitSpans(CALLER_TRACE, 1), "SERVER");
        assertEquals(CALLER_SPAN, server.parentSpanId());
    }

    @Test
    void withoutPropagationHeadersANewTraceStarts() {
        var first = gw.get("/v1/ping", Map.of());
        var second = gw.get("/v1/ping", Map.of());
        assertTrue(TraceIds.isValid(first.traceId()), first.traceId());
        assertNotEquals(first.traceId(), second.traceId());
        assertNull(TracingHarness.only(gw.awaitSpans(first.traceId(), 1), "SERVER").parentSpanId());
    }

    @Test
    void malformedPropagationHeadersStartANewTraceAndAreNoError() {
        for (Map<String, String> bad : new Map[] {
                Map.of("traceparent", "00-not-a-trace-at-all"),
                Map.of("traceparent", "00-" + "0".repeat(32) + "-" + CALLER_SPAN + "-01"),
                Map.of("X-B3-TraceId", "zz", "X-B3-SpanId", "?"),
                Map.of("b3", "garbage-" + "x".repeat(300))}) {
            var reply = gw.get("/v1/ping", bad);
            assertEquals(200, reply.status(), "for " + bad);
            assertTrue(TraceIds.isValid(reply.traceId()), "for " + bad);
            assertNotEquals(CALLER_TRACE, reply.traceId());
            assertNull(TracingHarness.only(gw.awaitSpans(reply.traceId(), 1), "SERVER").parentSpanId());
        }
    }

    @Test
    void anErrorAnswerCarriesTheTraceIdInHeaderAndBodyAndMarksTheSpanAsError() {
        var reply = gw.get("/v1/boom", Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"));
        assertEquals(500, reply.status());
        assertEquals(CALLER_TRACE, reply.traceId());
        assertEquals(CALLER_TRACE, reply.json().getString("trace_id"));
        SpanRecord server = TracingHarness.only(gw.awaitSpans(CALLER_TRACE, 1), "SERVER");
        assertEquals("ERROR", server.status());
        assertEquals(500L, server.attributes().get("http.response.status_code"));
    }

    @Test
    void theSpanIsNamedAfterTheRouteTemplateNotTheRawPath() {
        var reply = gw.get("/v1/orders/ord-123", Map.of());
        SpanRecord server = TracingHarness.only(gw.awaitSpans(reply.traceId(), 1), "SERVER");
        assertEquals("GET /v1/orders/:order_id", server.name());
        assertEquals("/v1/orders/ord-123", server.attributes().get("url.path"));
        assertEquals("/v1/orders/:order_id", server.attributes().get("http.route"));
        assertEquals("UNSET", server.status());
    }

    @Test
    void aPathNoRouteMatchesNeverNamesTheSpan() {
        // Span names are Zipkin's index per service, kept as long as the service sends spans: one per path a
        // caller invents would grow it without bound (and fill its span-name list with the caller's text).
        String invented = "/v1/no-such-endpoint-" + java.util.UUID.randomUUID();
        var reply = gw.get(invented, Map.of());
        assertEquals(404, reply.status());
        SpanRecord server = TracingHarness.only(gw.awaitSpans(reply.traceId(), 1), "SERVER");
        assertEquals("GET", server.name());
        assertEquals(invented, server.attributes().get("url.path"));
    }

    @Test
    void aMethodOfTheCallersOwnNeverNamesTheSpan() {
        var reply = gw.request(io.vertx.core.http.HttpMethod.valueOf("BREW-" + System.nanoTime()), "/v1/ping", Map.of());
        assertTrue(reply.status() >= 400, "status " + reply.status());
        SpanRecord server = TracingHarness.only(gw.awaitSpans(reply.traceId(), 1), "SERVER");
        assertTrue(server.name().equals("HTTP") || server.name().equals("HTTP /v1/ping"), server.name());
    }

    @Test
    void aTaggedDeveloperOwnsTheTraceAndIsOnTheServerSpan() {
        var reply = gw.get("/v1/mine", Map.of());
        SpanRecord server = TracingHarness.only(gw.awaitSpans(reply.traceId(), 1), "SERVER");
        assertEquals("dev-alice", server.attributes().get("opentrade.developer_id"));
        assertEquals("dev-alice", gw.tracing.spanStore().owner(reply.traceId()));
    }

    @Test
    void aConnectionClosedBeforeTheResponseEndsTheSpanAsAnError() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gw.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/slow HTTP/1.1\r\nHost: 127.0.0.1\r\ntraceparent: 00-" + CALLER_TRACE + "-"
                    + CALLER_SPAN + "-01\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            slowRequestArrived.get(5, TimeUnit.SECONDS);
        }
        SpanRecord server = TracingHarness.only(gw.awaitSpans(CALLER_TRACE, 1), "SERVER");
        assertEquals("ERROR", server.status());
        assertEquals("connection_closed", server.attributes().get("error.type"));
    }
}
