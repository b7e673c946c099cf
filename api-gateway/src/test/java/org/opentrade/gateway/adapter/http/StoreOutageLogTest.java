package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * While the key store is down, every request that needs it fails with -9003, at the callers' pace (a made-up key
 * id is looked up each time): the log must not get a line per request.
 */
class StoreOutageLogTest {
    private static final Logger HTTP_ERRORS = Logger.getLogger(HttpErrors.class.getName());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        HTTP_ERRORS.addHandler(capture);
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/v1/market/quotes").handler(ctx -> ctx.fail(new Async.StoreFailure(new IOException("redis down"))));
        router.route().failureHandler(HttpErrors::failure);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        HTTP_ERRORS.removeHandler(capture);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStoreOutageIsNotLoggedOncePerRequest() throws Exception {
        int requests = 5 * HttpErrors.STORE_FAILURE_LINES;
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                    + "/v1/market/quotes")).header("X-API-Key", "made-up-" + i).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode());
            assertEquals(-9003, new JsonObject(r.body()).getInteger("error_no"));
        }
        long lines = logged.stream().filter(m -> m.startsWith("store unreachable")).count();
        assertTrue(lines <= HttpErrors.STORE_FAILURE_LINES + 1, lines + " lines for " + requests + " requests");
    }
}
