package org.opentrade.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReadRoutesTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        ReadRoutes.getAndHead(router, "/health").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .end("{\"status\":\"UP\"}"));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> send(String method) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/health"))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReadResourceAnswersHeadAsItsGetWithoutTheBody() throws Exception {
        HttpResponse<String> get = send("GET");
        assertEquals(200, get.statusCode());
        assertEquals("{\"status\":\"UP\"}", get.body());
        HttpResponse<String> head = send("HEAD");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals("application/json", head.headers().firstValue("Content-Type").orElse(null));
        assertEquals(405, send("POST").statusCode(), "other methods are still not allowed");
    }
}
