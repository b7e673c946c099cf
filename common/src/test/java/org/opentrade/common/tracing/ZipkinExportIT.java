package org.opentrade.common.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spans exported through {@link Tracing} arrive in a real Zipkin server with their links intact. */
class ZipkinExportIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ZipkinServer zipkin;

    @BeforeAll
    static void startZipkin() throws Exception {
        zipkin = ZipkinServer.start(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopZipkin() {
        if (zipkin != null) {
            zipkin.close();
        }
    }

    @Test
    void aServerSpanAndItsClientChildAreReadableFromZipkin() throws Exception {
        TracingOptions options = new TracingOptions().setServiceName("api-gateway")
                .setZipkinEndpoint(zipkin.spansEndpoint()).setExportDelay(Duration.ofMillis(100));
        String traceId;
        String serverId;
        String clientId;
        try (Tracing tracing = Tracing.create(options)) {
            Span server = tracing.tracer().spanBuilder("GET /v1/market/quotes").setSpanKind(SpanKind.SERVER)
                    .setNoParent().setAttribute(TraceAttributes.DEVELOPER_ID, "dev-42").startSpan();
            Span client = tracing.tracer().spanBuilder("GET market-api").setSpanKind(SpanKind.CLIENT)
                    .setParent(Context.root().with(server)).setAttribute(TraceAttributes.UPSTREAM, "market-api")
                    .startSpan();
            client.end();
            server.end();
            traceId = server.getSpanContext().getTraceId();
            serverId = server.getSpanContext().getSpanId();
            clientId = client.getSpanContext().getSpanId();
            assertTrue(tracing.flush(Duration.ofSeconds(10)), "flush to Zipkin");
        }

        Map<String, JsonNode> byId = new HashMap<>();
        Await.until(Duration.ofSeconds(30), "both spans of " + traceId + " in Zipkin", () -> {
            HttpResponse<String> r = zipkin.get("/api/v2/trace/" + traceId);
            if (r == null || r.statusCode() != 200) {
                return false;
            }
            try {
                byId.clear();
                JSON.readTree(r.body()).forEach(s -> byId.put(s.get("id").asText(), s));
            } catch (Exception e) {
                throw new AssertionError("Zipkin answered JSON we cannot read: " + r.body(), e);
            }
            return byId.size() == 2;
        });

        JsonNode server = byId.get(serverId);
        JsonNode client = byId.get(clientId);
        assertEquals("SERVER", server.get("kind").asText());
        assertEquals("get /v1/market/quotes", server.get("name").asText()); // Zipkin lower-cases names
        assertEquals("api-gateway", server.get("localEndpoint").get("serviceName").asText());
        assertEquals("dev-42", server.get("tags").get("opentrade.developer_id").asText());
        assertTrue(!server.has("parentId"), "the server span is the root");
        assertEquals("CLIENT", client.get("kind").asText());
        assertEquals(serverId, client.get("parentId").asText());
        assertEquals("market-api", client.get("tags").get("opentrade.upstream").asText());
    }
}
