package org.opentrade.gateway.adapter.http.tracing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.opentrade.common.tracing.SpanRecord;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.common.tracing.TracingOptions;

/**
 * A tiny gateway for the tracing tests: a Vert.x router on 127.0.0.1 whose first handler is the
 * {@link TracingFilter}, a client to call it, and blocking helpers for the test thread.
 */
final class TracingHarness implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final Tracing tracing = Tracing.create(new TracingOptions().setServiceName("api-gateway"));
    final Router router = Router.router(vertx);
    final HttpClient client = vertx.createHttpClient();
    /**
     * The one context every test request is made on, as a service's own calls would be. Requests
     * made straight from the test thread each got a fresh context, and now and then (about one
     * run in five on 2 cores) an answer the server had sent never completed the client's future.
     */
    private final Context clientContext = vertx.getOrCreateContext();
    private HttpServer server;

    TracingHarness() {
        router.route().handler(new TracingFilter(tracing));
    }

    /** Starts the server once routes are added; returns its port. */
    int start() {
        server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        return server.actualPort();
    }

    int port() {
        return server.actualPort();
    }

    record Reply(int status, MultiMap headers, String body) {
        String traceId() {
            return headers.get("X-Trace-Id");
        }

        JsonObject json() {
            return new JsonObject(body);
        }
    }

    Reply get(String path, Map<String, String> headers) {
        return request(HttpMethod.GET, path, headers);
    }

    Reply request(HttpMethod method, String path, Map<String, String> headers) {
        Promise<Reply> reply = Promise.promise();
        clientContext.runOnContext(v -> client.request(method, port(), "127.0.0.1", path).compose(req -> {
            headers.forEach(req::putHeader);
            return req.send();
        }).compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b.toString())))
                .onComplete(reply));
        return await(reply.future());
    }

    /** The stored spans of a trace once {@code count} of them have ended (spans end after the reply is sent). */
    List<SpanRecord> awaitSpans(String traceId, int count) {
        until(Duration.ofSeconds(10), count + " spans of trace " + traceId,
                () -> tracing.spanStore().spans(traceId).size() >= count);
        return tracing.spanStore().spans(traceId);
    }

    static SpanRecord only(List<SpanRecord> spans, String kind) {
        List<SpanRecord> of = spans.stream().filter(s -> s.kind().equals(kind)).toList();
        if (of.size() != 1) {
            throw new AssertionError("expected one " + kind + " span in " + spans);
        }
        return of.get(0);
    }

    static <T> T await(Future<T> future) {
        try {
            return future.await(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within 10 s", e);
        }
    }

    static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }

    @Override
    public void close() {
        tracing.close();
        await(vertx.close());
    }
}
