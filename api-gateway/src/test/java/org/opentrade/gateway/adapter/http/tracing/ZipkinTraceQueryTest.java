package org.opentrade.gateway.adapter.http.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.common.tracing.SpanRecord;

/**
 * /v1/traces in distributed mode: spans the other processes exported to Zipkin are merged in, the
 * trace's owner is the developer of its earliest span that names one, and nobody else learns it
 * exists. Zipkin is a stand-in HTTP server answering what the real one answers for
 * {@code GET /api/v2/trace/{id}} (the real one is read in the launcher's DistributedTopologyIT).
 */
class ZipkinTraceQueryTest {
    private static final String DEVELOPER = "opentrade.test.developer";
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private TracingHarness gw;
    private HttpServer zipkin;
    /** What the stand-in Zipkin answers: status and body. */
    private final AtomicReference<Object[]> answer = new AtomicReference<>(new Object[] {404, ""});
    private ZipkinTraceSource source;

    @BeforeEach
    void start() throws Exception {
        gw = new TracingHarness();
        zipkin = gw.vertx.createHttpServer().requestHandler(req -> {
            Object[] a = answer.get();
            if (!req.path().equals("/api/v2/trace/" + TRACE)) {
                req.response().setStatusCode(404).end();
                return;
            }
            req.response().setStatusCode((Integer) a[0]).end((String) a[1]);
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        source = new ZipkinTraceSource(gw.vertx, "http://127.0.0.1:" + zipkin.actualPort() + "/api/v2/trace/",
                Duration.ofSeconds(2), 64 * 1024);
        gw.router.route().handler(ctx -> {
            String dev = ctx.request().getHeader("X-Test-Developer");
            if (dev != null) {
                ctx.put(DEVELOPER, dev);
                TracingFilter.tagDeveloper(ctx, dev);
            }
            ctx.next();
        });
        gw.router.get(TraceQueryHandler.ROUTE)
                .handler(new TraceQueryHandler(gw.tracing.spanStore(), ctx -> ctx.get(DEVELOPER), source));
        gw.start();
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    /** A trace as Zipkin v2 answers it: a gateway server span owned by {@code owner}, then trade-api and exchange spans. */
    private static String zipkinTrace(String owner) {
        return new JsonArray()
                .add(span("b000000000000002", "a000000000000001", "post /v1/orders", "trade-api", 1_000_200, Map.of(
                        "opentrade.developer_id", owner)))
                .add(span("a000000000000001", null, "post /v1/orders", "api-gateway", 1_000_000, Map.of(
                        "opentrade.developer_id", owner, "otel.scope.name", "x", "http.response.status_code", "201")))
                .add(span("c000000000000003", "b000000000000002", "exchange new_order", "sandbox-exchange", 1_000_400,
                        Map.of("otel.status_code", "ERROR")))
                .encode();
    }

    private static JsonObject span(String id, String parent, String name, String service, long ts, Map<String, String> tags) {
        JsonObject s = new JsonObject().put("traceId", TRACE).put("id", id).put("name", name).put("timestamp", ts)
                .put("duration", 150).put("kind", "SERVER").put("localEndpoint", new JsonObject().put("serviceName", service))
                .put("tags", new JsonObject(Map.copyOf(tags)));
        if (parent != null) {
            s.put("parentId", parent);
        }
        return s;
    }

    private TracingHarness.Reply query(String developer) {
        return gw.get("/v1/traces/" + TRACE, Map.of("X-Test-Developer", developer));
    }

    @Test
    void zipkinsSpansAreParsedInOrderWithStatusAndWithoutTheExportersOwnTags() {
        List<SpanRecord> spans = ZipkinTraceSource.parse(new JsonArray(zipkinTrace("dev-alice")));
        assertEquals(List.of("api-gateway", "trade-api", "sandbox-exchange"), spans.stream().map(SpanRecord::service).toList());
        SpanRecord root = spans.get(0);
        assertNull(root.parentSpanId());
        assertEquals(1_000_000L, root.startUs());
        assertEquals("201", root.attributes().get("http.response.status_code"));
        assertTrue(root.attributes().keySet().stream().noneMatch(k -> k.startsWith("otel.")), root.attributes().toString());
        assertEquals("ERROR", spans.get(2).status());
        assertEquals("UNSET", root.status());
        assertEquals("dev-alice", ZipkinTraceSource.owner(spans));
    }

    @Test
    void theOwnerReadsATraceThisGatewayNeverServedFromZipkin() {
        answer.set(new Object[] {200, zipkinTrace("dev-alice")});
        var reply = query("dev-alice");
        assertEquals(200, reply.status(), reply.json().encode());
        JsonArray spans = reply.json().getJsonArray("spans");
        assertEquals(3, spans.size());
        assertEquals("api-gateway", spans.getJsonObject(0).getString("service"));
        assertEquals(TRACE, spans.getJsonObject(2).getString("trace_id"));
    }

    @Test
    void anotherDeveloperGetsTheSame404AsForATraceThatDoesNotExist() {
        answer.set(new Object[] {200, zipkinTrace("dev-alice")});
        var foreign = query("dev-mallory");
        answer.set(new Object[] {404, ""});
        var missing = query("dev-mallory");
        assertEquals(404, foreign.status());
        assertEquals(404, missing.status());
        assertEquals(missing.json().getString("error"), foreign.json().getString("error"));
        assertEquals(-1004, foreign.json().getInteger("error_no"));
    }

    @Test
    void anotherDevelopersQueryContinuingTheTraceHereDoesNotTakeItFromItsOwner() {
        answer.set(new Object[] {200, zipkinTrace("dev-alice")});
        // Mallory knows the id and queries it with it in a traceparent: her request's span is this gateway's first claim.
        var mallory = gw.get("/v1/traces/" + TRACE, Map.of("X-Test-Developer", "dev-mallory",
                "traceparent", "00-" + TRACE + "-0123456789abcdef-01"));
        assertEquals(404, mallory.status(), mallory.json().encode());
        assertEquals("dev-mallory", gw.tracing.spanStore().owner(TRACE), "the claim is made here");
        assertEquals(404, query("dev-mallory").status(), "the earliest span of the whole trace names Alice");
        var alice = query("dev-alice");
        assertEquals(200, alice.status(), "the owner keeps her trace: " + alice.json().encode());
        assertTrue(alice.json().getJsonArray("spans").stream().noneMatch(o -> ((JsonObject) o).getJsonObject("attributes")
                .getString("opentrade.developer_id", "").equals("dev-mallory")), "and sees none of Mallory's requests");
    }

    @Test
    void aTraceWithoutAnOwnerIsNobodys() {
        answer.set(new Object[] {200, new JsonArray().add(span("a000000000000001", null, "tick", "sandbox-exchange",
                5, Map.of())).encode()});
        assertEquals(404, query("dev-alice").status());
    }

    @Test
    void whenZipkinCannotAnswerTheCallerIsToldToRetryNotThatTheTraceIsGone() {
        answer.set(new Object[] {500, "boom"});
        var reply = query("dev-alice");
        assertEquals(503, reply.status());
        assertEquals(-9001, reply.json().getInteger("error_no"));
        answer.set(new Object[] {200, "{not json"});
        assertEquals(503, query("dev-alice").status());
    }

    @Test
    void aTraceLargerThanTheBoundIsNotReadWhole() {
        JsonArray huge = new JsonArray();
        for (int i = 0; i < 2_000; i++) {
            huge.add(span(String.format("%016x", i + 1), null, "x".repeat(40), "api-gateway", i,
                    Map.of("opentrade.developer_id", "dev-alice")));
        }
        answer.set(new Object[] {200, huge.encode()});
        assertEquals(503, query("dev-alice").status(), "over 64 KiB: refused, not buffered");
    }

    @Test
    void theSpansThisGatewayHoldsAreMergedWithZipkinsWithoutDuplicates() {
        SpanRecord localRoot = new SpanRecord(TRACE, "a000000000000001", null, "POST /v1/orders", "SERVER", "api-gateway",
                1_000_000, 150, "UNSET", Map.of());
        List<SpanRecord> merged = TraceQueryHandler.merge(List.of(localRoot),
                ZipkinTraceSource.parse(new JsonArray(zipkinTrace("dev-alice"))));
        assertEquals(3, merged.size());
        assertEquals("POST /v1/orders", merged.get(0).name(), "the local span keeps its exact name");
    }

    @Test
    void onlyZipkinsV2SpansEndpointGivesATraceUrl() {
        assertEquals("http://zipkin:9411/api/v2/trace/", ZipkinTraceSource.traceUrlFor("http://zipkin:9411/api/v2/spans"));
        assertNull(ZipkinTraceSource.traceUrlFor(""));
        assertNull(ZipkinTraceSource.traceUrlFor("http://collector:4318/v1/traces"));
    }
}
