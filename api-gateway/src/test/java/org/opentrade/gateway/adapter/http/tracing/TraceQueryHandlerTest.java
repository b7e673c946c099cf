package org.opentrade.gateway.adapter.http.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Developers read their own traces and nobody else's. A stand-in for authentication takes the
 * developer id from {@code X-Test-Developer} and tags the request, as the lead's auth filter will.
 */
class TraceQueryHandlerTest {
    private static final String DEVELOPER = "opentrade.test.developer";

    private TracingHarness gw;

    @BeforeEach
    void start() {
        gw = new TracingHarness();
        gw.router.route().handler(ctx -> {
            String dev = ctx.request().getHeader("X-Test-Developer");
            if (dev != null) {
                ctx.put(DEVELOPER, dev);
                TracingFilter.tagDeveloper(ctx, dev);
            }
            ctx.next();
        });
        gw.router.get("/v1/account").handler(ctx -> ctx.response().end("{}"));
        gw.router.get(TraceQueryHandler.ROUTE)
                .handler(new TraceQueryHandler(gw.tracing.spanStore(), ctx -> ctx.get(DEVELOPER)));
        gw.start();
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    /** Alice makes a request and waits until its server span is stored; returns its trace id. */
    private String aliceRequest(Map<String, String> extra) {
        var headers = new java.util.HashMap<>(extra);
        headers.put("X-Test-Developer", "dev-alice");
        String traceId = gw.get("/v1/account", headers).traceId();
        gw.awaitSpans(traceId, 1);
        return traceId;
    }

    private TracingHarness.Reply query(String developer, String traceId) {
        return gw.get("/v1/traces/" + traceId, developer == null ? Map.of() : Map.of("X-Test-Developer", developer));
    }

    private static void assertNotFound(TracingHarness.Reply reply, String traceId) {
        assertEquals(404, reply.status());
        JsonObject body = reply.json();
        assertEquals(-1004, body.getInteger("error_no"));
        assertEquals("no trace " + traceId + " among your requests", body.getString("error"));
        assertEquals(reply.traceId(), body.getString("trace_id"));
        assertNull(body.getValue("spans"));
    }

    @Test
    void theOwnerSeesTheSpansOfTheirRequest() {
        String traceId = aliceRequest(Map.of());
        var reply = query("dev-alice", traceId);
        assertEquals(200, reply.status());
        JsonObject body = reply.json();
        assertEquals(traceId, body.getString("trace_id"));
        JsonArray spans = body.getJsonArray("spans");
        assertEquals(1, spans.size());
        JsonObject span = spans.getJsonObject(0);
        assertEquals(traceId, span.getString("trace_id"));
        assertEquals("GET /v1/account", span.getString("name"));
        assertEquals("SERVER", span.getString("kind"));
        assertEquals("api-gateway", span.getString("service"));
        assertEquals("dev-alice", span.getJsonObject("attributes").getString("opentrade.developer_id"));
        assertTrue(span.getLong("start_us") > 0);
        assertTrue(span.containsKey("parent_span_id") && span.containsKey("duration_us"));
        assertEquals("no-store", reply.headers().get("Cache-Control"));
    }

    @Test
    void anUpperCaseTraceIdFindsTheSameTrace() {
        String traceId = aliceRequest(Map.of());
        assertEquals(200, query("dev-alice", traceId.toUpperCase()).status());
    }

    @Test
    void anotherDeveloperGetsNotFound() {
        String traceId = aliceRequest(Map.of());
        assertNotFound(query("dev-bob", traceId), traceId);
    }

    @Test
    void anUnknownTraceIdIsNotFound() {
        assertNotFound(query("dev-alice", "463ac35c9f6413ad48485a3953bb6124"), "463ac35c9f6413ad48485a3953bb6124");
    }

    @Test
    void aMalformedTraceIdIsNotFound() {
        assertNotFound(query("dev-alice", "not-a-trace"), "not-a-trace");
        assertNotFound(query("dev-alice", "0".repeat(32)), "0".repeat(32));
    }

    @Test
    void aCallerWithoutADeveloperIdGetsNotFound() {
        String traceId = aliceRequest(Map.of());
        assertNotFound(query(null, traceId), traceId);
    }

    @Test
    void reusingSomeoneElsesTraceIdDoesNotGrantAccessToIt() {
        String traceId = aliceRequest(Map.of());
        gw.get("/v1/account", Map.of("X-Test-Developer", "dev-mallory",
                "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
        gw.awaitSpans(traceId, 2);
        assertNotFound(query("dev-mallory", traceId), traceId);
        var alice = query("dev-alice", traceId);
        assertEquals(200, alice.status());
        JsonArray spans = alice.json().getJsonArray("spans");
        assertEquals(1, spans.size(), "mallory's request is not part of alice's trace: " + spans);
        assertEquals("dev-alice", spans.getJsonObject(0).getJsonObject("attributes").getString("opentrade.developer_id"));
    }

    /** A span is its request's: the nearest span up its parents that names a developer decides. */
    @Test
    void ownSpansKeepsTheOwnersRequestsAndTheirDescendantsOnly() {
        java.util.function.BiFunction<String, String, Map<String, Object>> dev = (k, v) -> Map.of(k, v);
        String key = "opentrade.developer_id";
        var aliceServer = span("a1", null, dev.apply(key, "dev-alice"));
        var aliceChild = span("a2", "a1", Map.of());
        var malloryServer = span("m1", "client-span", dev.apply(key, "dev-mallory"));
        var malloryChild = span("m2", "m1", Map.of());
        var malloryGrandchild = span("m3", "m2", Map.of());
        var unauthenticated = span("u1", null, Map.of());
        var orphan = span("o1", "not-here", Map.of());
        var kept = TraceQueryHandler.ownSpans(java.util.List.of(aliceServer, aliceChild, malloryServer, malloryChild,
                malloryGrandchild, unauthenticated, orphan), "dev-alice");
        assertEquals(java.util.List.of("a1", "a2", "u1", "o1"),
                kept.stream().map(org.opentrade.common.tracing.SpanRecord::spanId).toList());
    }

    private static org.opentrade.common.tracing.SpanRecord span(String id, String parent, Map<String, Object> attributes) {
        return new org.opentrade.common.tracing.SpanRecord("t", id, parent, "n", "SERVER", "api-gateway", 1, 1, "UNSET",
                attributes);
    }

    @Test
    void sixteenHexB3IdsAreReadAsTheirWideForm() {
        assertEquals("0000000000000000a2fb4a1d1a96d312", TraceQueryHandler.normalise("A2FB4A1D1A96D312"));
        assertNull(TraceQueryHandler.normalise("a2fb4a1d1a96d31"));
        assertNull(TraceQueryHandler.normalise("g3ac35c9f6413ad48485a3953bb6124"));
    }
}
