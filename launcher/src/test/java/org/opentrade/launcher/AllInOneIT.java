package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.exchange.client.ExchangeAddresses;

/** Starts the whole all-in-one on a free port with a temporary data dir, as an operator would. */
class AllInOneIT {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startsServesOperationsEndpointsSimulatesTradesAndStopsCleanly(@TempDir Path dataDir) throws Exception {
        long t0 = System.nanoTime();
        AllInOne app = AllInOne.start(ConfigLoader.of(DayEnds.awayFromNow(Map.of("OPENTRADE_HTTP_PORT", "0", "OPENTRADE_HTTP_HOST",
                        "127.0.0.1", "OPENTRADE_EXCHANGE_DATA_DIR", dataDir.toString(), "OPENTRADE_EXCHANGE_FSYNC", "none",
                        "OPENTRADE_GATEWAY_DATA_DIR", dataDir.resolve("gateway").toString(),
                        "OPENTRADE_MARKET_DATA_DIR", dataDir.resolve("market").toString(), "OPENTRADE_MARKET_BACKFILL", "false",
                        "OPENTRADE_TRADE_DATA_DIR", dataDir.resolve("trade").toString(), "OPENTRADE_FIX_PORT", "0")),
                Map.of())).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // Start-to-ready is a benchmark figure (bench/run-market-bench.sh records it), not a timed assertion:
        // on two shared cores it drifts with whatever else runs.
        System.out.println("all-in-one start to ready: " + startMillis + " ms");
        int port = app.httpPort();
        CompletableFuture<JsonObject> trade = new CompletableFuture<>();
        app.vertx().eventBus().<JsonObject>consumer(ExchangeAddresses.EVENTS, m -> {
            if ("TRADE".equals(m.body().getString("type"))) {
                trade.complete(m.body());
            }
        });

        HttpResponse<String> health = get(port, "/health");
        assertEquals(200, health.statusCode());
        assertEquals("UP", new JsonObject(health.body()).getString("status"));
        assertTrue(health.headers().firstValue("X-Trace-Id").orElse("").matches("[0-9a-f]{32}"));

        // Ready only once every API answers: before market-api and trade-api are, /ready names the one missing.
        boolean servicesWereReady = app.market().isReady() && app.trade().isReady();
        HttpResponse<String> early = get(port, "/ready");
        if (!servicesWereReady && !(app.market().isReady() && app.trade().isReady())) {
            assertEquals(503, early.statusCode(), early.body());
            String why = new JsonObject(early.body()).getString("error");
            assertTrue(why.equals(AllInOne.MARKET_NOT_READY) || why.equals(AllInOne.TRADE_NOT_READY), why);
        }
        io.vertx.core.Future.all(app.market().whenReady(), app.trade().whenReady()).toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        HttpResponse<String> ready = get(port, "/ready");
        assertEquals(200, ready.statusCode(), ready.body());

        JsonObject t = trade.get(10, TimeUnit.SECONDS);
        assertTrue(t.getString("account").startsWith("sim-"), t.encode());
        HttpResponse<String> metrics = get(port, "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(counter(metrics.body(), "opentrade_exchange_trades_total") > 0, metrics.body());
        assertTrue(counter(metrics.body(), "opentrade_exchange_commands_processed_total") > 0);
        assertEquals(1, counter(metrics.body(), "opentrade_exchange_ready"));

        HttpResponse<String> missing = get(port, "/nope", "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertEquals(404, missing.statusCode());
        JsonObject error = new JsonObject(missing.body());
        assertTrue(error.getInteger("error_no") < 0 && error.getString("error").contains("/nope"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", error.getString("trace_id"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", missing.headers().firstValue("X-Trace-Id").orElse(""));

        // The portal is at the root, the contract next to it; unknown API paths still get JSON errors.
        HttpResponse<String> portal = get(port, "/");
        assertEquals(200, portal.statusCode());
        assertTrue(portal.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(portal.body().contains("/openapi/opentrade.yaml"), portal.body());
        assertEquals("nosniff", portal.headers().firstValue("X-Content-Type-Options").orElse(""));
        HttpResponse<String> fixGuide = get(port, "/guides/fix.html");
        assertEquals(200, fixGuide.statusCode());
        assertTrue(fixGuide.body().contains("TargetCompID <code>OPENTRADE</code>") && portal.body().contains("/guides/fix.html"),
                "the FIX guide is served and linked from the portal");
        HttpResponse<String> spec = get(port, "/openapi/opentrade.yaml");
        assertEquals(200, spec.statusCode());
        assertTrue(spec.body().startsWith("openapi: 3.1"), spec.body().substring(0, Math.min(80, spec.body().length())));
        HttpResponse<String> noApi = get(port, "/v1/no-such-endpoint");
        assertEquals(404, noApi.statusCode());
        assertTrue(new JsonObject(noApi.body()).getInteger("error_no") < 0, noApi.body());
        // A browser asking for a page that is not there gets the portal's 404 page; any other client the JSON error.
        HttpResponse<String> noPage = get(port, "/nope.html", "Accept", "text/html,application/xhtml+xml");
        assertEquals(404, noPage.statusCode());
        assertTrue(noPage.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(noPage.body().contains("notfound.title") && noPage.body().contains("/docs.html"), noPage.body());
        HttpResponse<String> noPageJson = get(port, "/nope.html");
        assertEquals(404, noPageJson.statusCode());
        assertTrue(new JsonObject(noPageJson.body()).getInteger("error_no") < 0, noPageJson.body());
        HttpResponse<String> noApiFromBrowser = get(port, "/v1/no-such-endpoint", "Accept", "text/html");
        assertTrue(new JsonObject(noApiFromBrowser.body()).getInteger("error_no") < 0, "API paths answer JSON to browsers too");
        for (String folder : new String[] {"/guides/", "/guides/zh/"}) {
            HttpResponse<String> guides = get(port, folder, "Accept", "text/html");
            assertEquals(302, guides.statusCode(), folder);
            assertEquals("/#guides", guides.headers().firstValue("Location").orElse(""), folder);
        }

        // The gateway shares the port: a developer signs up, gets a key, and calls market data through
        // it: metered, limited, and traced across the gateway and market-api.
        assertEquals(201, post(port, "/v1/developers", "{\"email\":\"q@example.com\",\"password\":\"long enough pw\","
                + "\"name\":\"Q\"}", null).statusCode());
        String token = new JsonObject(post(port, "/v1/sessions", "{\"email\":\"q@example.com\",\"password\":"
                + "\"long enough pw\"}", null).body()).getString("token");
        HttpResponse<String> created = post(port, "/v1/keys", "{}", token);
        JsonObject key = new JsonObject(created.body());
        // A portal request (session, not key) is the developer's too: its trace is readable.
        String keyTrace = created.headers().firstValue("X-Trace-Id").orElseThrow();
        HttpResponse<String> keyTraceReply = get(port, "/v1/traces/" + keyTrace, "Authorization", "Bearer " + token);
        assertEquals(200, keyTraceReply.statusCode(), keyTraceReply.body());
        assertEquals(keyTrace, new JsonObject(keyTraceReply.body()).getString("trace_id"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!app.market().isReady() && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling readiness, not waiting out a fixed time
        }
        HttpResponse<String> quote = get(port, "/v1/market/quotes?symbols=600000.SH", "X-API-Key",
                key.getString("key_id"), "X-API-Secret", key.getString("secret"));
        assertEquals(200, quote.statusCode(), quote.body());
        assertEquals("600000.SH", new JsonObject(quote.body()).getJsonArray("items").getJsonObject(0).getString("symbol"));
        assertTrue(quote.headers().firstValue("RateLimit-Remaining").isPresent());
        String traceId = quote.headers().firstValue("X-Trace-Id").orElseThrow();
        HttpResponse<String> trace = get(port, "/v1/traces/" + traceId, "Authorization", "Bearer " + token);
        assertEquals(200, trace.statusCode(), trace.body());
        assertTrue(trace.body().contains("market-api") && trace.body().contains("api-gateway"),
                "one trace holds the gateway's and market-api's spans: " + trace.body());
        // Trading through the gateway: a key with the trade scope places an order with trade-api.
        JsonObject tradeKey = new JsonObject(post(port, "/v1/keys", "{\"scopes\":[\"market:read\",\"trade\"]}", token).body());
        while (!app.trade().isReady() && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling readiness
        }
        HttpResponse<String> order = send(port, "POST", "/v1/orders", "{\"symbol\":\"600000.SH\",\"side\":\"buy\","
                + "\"qty\":100,\"price\":\"10.00\",\"client_order_id\":\"it-1\"}", "X-API-Key", tradeKey.getString("key_id"),
                "X-API-Secret", tradeKey.getString("secret"));
        assertEquals(201, order.statusCode(), order.body());
        assertEquals("it-1", new JsonObject(order.body()).getString("client_order_id"));
        String orderTraceId = order.headers().firstValue("X-Trace-Id").orElseThrow();
        long pushDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpResponse<String> orderTrace = get(port, "/v1/traces/" + orderTraceId, "Authorization", "Bearer " + token);
        while (!orderTrace.body().contains("stream push") && System.nanoTime() < pushDeadline) {
            Thread.sleep(20); // the push span ends when the feed brings the order's events
            orderTrace = get(port, "/v1/traces/" + orderTraceId, "Authorization", "Bearer " + token);
        }
        assertTrue(orderTrace.body().contains("trade-api.stream push"), "the order-stream push joins the trace: "
                + orderTrace.body());
        assertTrue(orderTrace.body().contains("trade-api") && orderTrace.body().contains("trade-api.submit")
                && orderTrace.body().contains("sandbox-exchange") && orderTrace.body().contains("api-gateway"),
                "the order's trace holds the gateway's, trade-api's and the exchange's spans: " + orderTrace.body());
        // FIX on the same account: a key with scope fix logs on to the acceptor, its order is in REST.
        JsonObject fixKey = new JsonObject(post(port, "/v1/keys", "{\"scopes\":[\"trade\",\"fix\"]}", token).body());
        while (app.trade().fixAcceptor() == null && System.nanoTime() < deadline) {
            Thread.sleep(20); // the acceptor starts once trade-api is live
        }
        try (FixGatewayLogonIT.Initiator fix = new FixGatewayLogonIT.Initiator(app.trade().fixAcceptor().port(),
                "AIO_IT", fixKey.getString("key_id"), fixKey.getString("secret"))) {
            assertEquals("A", fix.next().getHeader().getString(35), "logged on");
            quickfix.fix44.NewOrderSingle nos = new quickfix.fix44.NewOrderSingle();
            nos.setString(11, "fix-1");
            nos.setString(55, "600000.SH");
            nos.setChar(54, '1');
            nos.setChar(40, '2');
            nos.setChar(59, '1');
            nos.setString(38, "100");
            nos.setString(44, "10.00");
            nos.setString(60, "20260101-00:00:00.000");
            quickfix.Session.lookupSession(fix.session).send(nos);
            quickfix.Message er = fix.next();
            assertEquals("8", er.getHeader().getString(35), "an ExecutionReport: " + er);
            assertEquals('0', er.getChar(150), "ExecType New: " + er);
            String fixTrace = er.getString(9001);
            HttpResponse<String> fixSpans = get(port, "/v1/traces/" + fixTrace, "Authorization", "Bearer " + token);
            assertEquals(200, fixSpans.statusCode(), fixSpans.body());
            assertTrue(fixSpans.body().contains("FIX NewOrderSingle"), "the report's tag 9001 names the order's trace, "
                    + "readable by its owner: " + fixSpans.body());
        }
        HttpResponse<String> viaRest = get(port, "/v1/orders/by-client-id/fix-1", "X-API-Key",
                tradeKey.getString("key_id"), "X-API-Secret", tradeKey.getString("secret"));
        assertEquals(200, viaRest.statusCode(), "the FIX order is the account's, in REST too: " + viaRest.body());

        HttpResponse<String> direct = get(port == 0 ? 0 : app.market().port(), "/v1/market/quotes?symbols=600000.SH",
                "X-OpenTrade-Developer-Id", "someone", "X-OpenTrade-Plan", "partner", "X-OpenTrade-Scopes", "market:read");
        assertEquals(401, direct.statusCode(), "market-api's own port believes no plain identity headers");

        // A stream open when the all-in-one stops is told to reconnect, in the error model, not cut.
        CompletableFuture<String> streamClosed = new CompletableFuture<>();
        CompletableFuture<String> firstFrame = new CompletableFuture<>();
        java.net.http.WebSocket stream = client.newWebSocketBuilder().header("X-API-Key", tradeKey.getString("key_id"))
                .header("X-API-Secret", tradeKey.getString("secret"))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/stream/orders"), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data,
                                                                          boolean last) {
                        firstFrame.complete(data.toString());
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int code, String reason) {
                        streamClosed.complete(code + " " + reason);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        stream.sendText("{\"op\":\"ping\"}", true);
        firstFrame.get(10, TimeUnit.SECONDS);

        app.stop(30, TimeUnit.SECONDS);
        String close = streamClosed.get(10, TimeUnit.SECONDS);
        assertTrue(close.startsWith("1001 "), "told to reconnect: " + close);
        assertEquals(-9001, new JsonObject(close.substring(5)).getInteger("error_no"), close);
        assertThrows(IOException.class, () -> get(port, "/health"), "the HTTP server is closed");
        assertTrue(Files.exists(dataDir.resolve("shard-0")), "the exchange kept its journal under the data dir");
    }

    @Test
    void badConfigurationFailsStartUpNamingTheKey() {
        Exception e = assertThrows(Exception.class, () -> AllInOne.start(ConfigLoader.of(
                Map.of("OPENTRADE_HTTP_PORT", "http"), Map.of())).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("'http.port'"), e.getCause().getMessage());
    }

    @Test
    void missingInstrumentFileFailsStartUpNamingTheFile(@TempDir Path dataDir) {
        Exception e = assertThrows(Exception.class, () -> AllInOne.start(ConfigLoader.of(Map.of(
                "OPENTRADE_HTTP_PORT", "0", "OPENTRADE_EXCHANGE_DATA_DIR", dataDir.toString(),
                "OPENTRADE_EXCHANGE_INSTRUMENTS", dataDir.resolve("missing.csv").toString()), Map.of()))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("missing.csv"), e.getCause().getMessage());
    }

    private static long counter(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(text);
        assertTrue(m.find(), name + " missing in\n" + text);
        return Long.parseLong(m.group(1));
    }

    private HttpResponse<String> send(int port, String method, String path, String json, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(int port, String path, String json, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
