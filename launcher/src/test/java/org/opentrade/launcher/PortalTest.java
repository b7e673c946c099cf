package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The portal's files as the all-in-one's router serves them ({@link Portal}), without the rest of the all-in-one. */
class PortalTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Vertx vertx;
    private static int port;

    @BeforeAll
    static void serve() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        Portal.addRoutes(router);
        port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterAll
    static void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * The files are UTF-8; a Content-Type naming the JVM's default charset (US-ASCII on Java 17 under a POSIX
     * locale) made browsers show the Chinese guides and every title's "·" as mojibake. Run with
     * {@code -DargLine=-Dfile.encoding=US-ASCII} to see it on a machine whose default is UTF-8.
     */
    @Test
    void textFilesAreServedAsUtf8WhateverTheJvmDefaultCharset() throws Exception {
        for (String path : List.of("/", "/account.html", "/guides/zh/rest.html", "/portal.css", "/assets/app.js")) {
            HttpResponse<byte[]> answer = get(path);
            assertEquals(200, answer.statusCode(), path);
            String type = answer.headers().firstValue("Content-Type").orElse("");
            assertTrue(type.toLowerCase(Locale.ROOT).replace(" ", "").endsWith(";charset=utf-8"),
                    path + " is served as " + type);
        }
        assertTrue(new String(get("/guides/zh/rest.html").body(), java.nio.charset.StandardCharsets.UTF_8).contains("REST 指南"),
                "the Chinese guide is UTF-8");
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
