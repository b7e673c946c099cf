package org.opentrade.gateway.adapter.http.tracing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrade.common.tracing.SpanRecord;
import org.opentrade.common.tracing.TraceAttributes;

/**
 * A trace as the Zipkin server holds it: in distributed mode each process keeps only its own spans,
 * and the one trace across gateway, trade-api, exchange and the order stream is in Zipkin
 * ({@code GET /api/v2/trace/{id}}). Reads it with Vert.x's HTTP client (never blocks), at most
 * {@code maxBytes} of answer within {@code timeout}, and turns Zipkin's spans into the shape of
 * {@code /v1/traces}. The URL comes from configuration only; the trace id is 32 hex digits already.
 */
public final class ZipkinTraceSource {
    private final HttpClient client;
    private final String host;
    private final int port;
    private final String pathPrefix;
    private final long timeoutMillis;
    private final int maxBytes;
    /**
     * Where Zipkin's answers are parsed and traces filtered and written: a trace of up to {@code maxBytes} (4 MiB)
     * took 130-170 ms of an event loop, so a key's 20 queries a second held three of them. At most {@link #MAX_BUSY}
     * queries at once there; more are refused (503) rather than queued.
     */
    private final io.vertx.core.WorkerExecutor workers;
    private final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
    static final int MAX_BUSY = 8;

    /**
     * @param traceUrlPrefix e.g. {@code http://127.0.0.1:9411/api/v2/trace/} (the id is appended)
     */
    public ZipkinTraceSource(Vertx vertx, String traceUrlPrefix, Duration timeout, int maxBytes) {
        URI uri = URI.create(traceUrlPrefix);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("a Zipkin trace URL must be http://host[:port]/...: " + traceUrlPrefix);
        }
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        this.pathPrefix = uri.getRawPath().endsWith("/") ? uri.getRawPath() : uri.getRawPath() + "/";
        this.timeoutMillis = timeout.toMillis();
        this.maxBytes = maxBytes;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis)).setName("zipkin-traces"));
        this.workers = vertx.createSharedWorkerExecutor("opentrade-trace-queries", 2);
    }

    /**
     * The Zipkin trace URL prefix for a span export endpoint ({@code .../api/v2/spans} becomes
     * {@code .../api/v2/trace/}), or null when the endpoint is empty or not Zipkin's v2 spans path.
     */
    public static String traceUrlFor(String spansEndpoint) {
        String suffix = "/api/v2/spans";
        if (spansEndpoint == null || !spansEndpoint.startsWith("http://") || !spansEndpoint.endsWith(suffix)) {
            return null;
        }
        return spansEndpoint.substring(0, spansEndpoint.length() - suffix.length()) + "/api/v2/trace/";
    }

    /** The trace's spans (empty when Zipkin does not know it); fails when Zipkin cannot answer. */
    public Future<List<SpanRecord>> trace(String traceId) {
        Promise<List<SpanRecord>> result = Promise.promise();
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                        .setURI(pathPrefix + traceId).setIdleTimeout(timeoutMillis))
                .compose(req -> req.send())
                .onFailure(result::tryFail)
                .onSuccess(resp -> {
                    if (resp.statusCode() == 404) {
                        result.tryComplete(List.of());
                        resp.end();
                        return;
                    }
                    if (resp.statusCode() != 200) {
                        result.tryFail(new IllegalStateException("Zipkin answered " + resp.statusCode()));
                        resp.end();
                        return;
                    }
                    Buffer body = Buffer.buffer();
                    resp.handler(chunk -> {
                        if (body.length() + chunk.length() > maxBytes) {
                            result.tryFail(new IllegalStateException("the trace is over " + maxBytes + " bytes"));
                            resp.request().reset();
                        } else {
                            body.appendBuffer(chunk);
                        }
                    });
                    resp.exceptionHandler(result::tryFail);
                    resp.endHandler(v -> offLoop(() -> {
                        try {
                            return parse(new JsonArray(body));
                        } catch (RuntimeException bad) {
                            throw new IllegalStateException("Zipkin's answer is not a trace: " + bad.getMessage());
                        }
                    }).onComplete(result));
                });
        return result.future();
    }

    /** Zipkin v2 spans as {@link SpanRecord}s, ordered by start (Zipkin stores span names in lower case). */
    static List<SpanRecord> parse(JsonArray zipkin) {
        List<SpanRecord> spans = new ArrayList<>(zipkin.size());
        for (int i = 0; i < zipkin.size(); i++) {
            JsonObject s = zipkin.getJsonObject(i);
            JsonObject tags = s.getJsonObject("tags", new JsonObject());
            Map<String, Object> attributes = new LinkedHashMap<>();
            String status = "UNSET";
            for (String key : tags.fieldNames()) {
                String value = String.valueOf(tags.getValue(key));
                if (key.equals("otel.status_code")) {
                    status = value.toUpperCase(java.util.Locale.ROOT);
                } else if (key.equals("error")) {
                    status = "ERROR";
                } else if (!key.startsWith("otel.")) {
                    attributes.put(key, value);
                }
            }
            JsonObject local = s.getJsonObject("localEndpoint", new JsonObject());
            String kind = s.getString("kind", "INTERNAL");
            spans.add(new SpanRecord(pad(s.getString("traceId")), s.getString("id"), s.getString("parentId"),
                    s.getString("name", ""), kind, local.getString("serviceName", ""),
                    s.getLong("timestamp", 0L), s.getLong("duration", 0L), status, attributes));
        }
        spans.sort(Comparator.comparingLong(SpanRecord::startUs));
        return spans;
    }

    /**
     * Who owns a trace read from Zipkin: the developer tagged on its earliest span that carries one
     * (the gateway's server span, or trade-api's for a FIX request), as the span store's first claim
     * does; null when no span carries one.
     */
    static String owner(List<SpanRecord> spans) {
        String key = TraceAttributes.DEVELOPER_ID.getKey();
        for (SpanRecord s : spans) { // ordered by start
            Object dev = s.attributes().get(key);
            if (dev != null) {
                return dev.toString();
            }
        }
        return null;
    }

    private static String pad(String traceId) {
        return traceId != null && traceId.length() == 16 ? "0000000000000000" + traceId : traceId;
    }

    /**
     * Runs {@code work} on the trace queries' workers, never the event loop; fails at once when {@link #MAX_BUSY}
     * queries are there already.
     */
    public <T> Future<T> offLoop(java.util.concurrent.Callable<T> work) {
        if (busy.incrementAndGet() > MAX_BUSY) {
            busy.decrementAndGet();
            return Future.failedFuture(new IllegalStateException("too many trace queries at once"));
        }
        return workers.executeBlocking(work, false).onComplete(ar -> busy.decrementAndGet());
    }

    public Future<Void> close() {
        workers.close();
        return client.close();
    }
}
