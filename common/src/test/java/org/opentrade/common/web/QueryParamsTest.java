package org.opentrade.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The check on queries as Vert.x Web decodes them ({@code RoutingContext#queryParams}) from real requests. */
class QueryParamsTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/orders/:id").handler(ctx -> answer(ctx, List.of("symbol", "limit")));
        router.get("/none").handler(ctx -> answer(ctx, List.of()));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void answer(io.vertx.ext.web.RoutingContext ctx, List<String> allowed) {
        String refusal = QueryParams.refusal(ctx, allowed);
        ctx.response().end(refusal == null ? "ok" : refusal);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String get(String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    /** The handler reads the query first: one that does not decode is refused there, not thrown at whoever reads it. */
    @Test
    void aQueryThatDoesNotDecodeIsRefused() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.actualPort())) {
            socket.getOutputStream().write("GET /none?symbol=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200 OK", answer.lines().findFirst().orElse(""), answer);
            assertEquals("the query is not valid percent-encoded text", answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void parametersTheEndpointTakesOnceEachPassAndPathParametersAreNotQueryOnes() throws Exception {
        assertEquals("ok", get("/orders/7?symbol=600000.SH&limit=5"));
        assertEquals("ok", get("/orders/7"));
        assertEquals("ok", get("/orders/7?"));
        assertEquals("ok", get("/none"));
    }

    @Test
    void aParameterTheEndpointDoesNotTakeIsNamedWithTheAllowedOnes() throws Exception {
        assertEquals("unknown query parameter 'symbl'; allowed: symbol, limit", get("/orders/7?symbl=600000.SH"));
        assertEquals("unknown query parameter 'Symbol'; allowed: symbol, limit", get("/orders/7?Symbol=600000.SH"));
        assertEquals("unknown query parameter 'id'; allowed: symbol, limit", get("/orders/7?id=8"));
        assertEquals("unknown query parameter 'flag'; allowed: symbol, limit", get("/orders/7?limit=5&flag"));
        assertEquals("this endpoint takes no query parameters; got '_'", get("/none?_=1700000000000"));
    }

    @Test
    void aParameterGivenTwiceIsRefusedWhicheverSpellingAndValues() throws Exception {
        assertEquals("query parameter 'symbol' is given more than once; give it once",
                get("/orders/7?symbol=600000.SH&symbol=000001.SZ"));
        assertEquals("query parameter 'limit' is given more than once; give it once", get("/orders/7?limit=5&limit=5"));
        assertEquals("query parameter 'symbol' is given more than once; give it once",
                get("/orders/7?symbol=600000.SH&%73ymbol=000001.SZ"));
    }

    @Test
    void aLongOrControlCharacterNameIsClippedInTheMessage() throws Exception {
        assertEquals("this endpoint takes no query parameters; got '" + "x".repeat(40) + "…'",
                get("/none?" + "x".repeat(100) + "=1"));
        assertEquals("unknown query parameter 'a?b'; allowed: symbol, limit", get("/orders/7?a%0Ab=1"));
    }
}
