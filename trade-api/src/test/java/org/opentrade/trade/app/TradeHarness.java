package org.opentrade.trade.app;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.exchange.app.ExchangeConfig;
import org.opentrade.exchange.app.ExchangeService;
import org.opentrade.trade.adapter.http.Caller;
import org.opentrade.trade.adapter.http.CallerCheck;

/**
 * The real exchange (simulator off, journal and event log under the data dir) and trade-api in one
 * Vert.x, with a test identity check: a request is "from the gateway" for the developer named in
 * {@code X-Test-Developer}.
 */
final class TradeHarness implements AutoCloseable {
    static final String TEST_CALLER = "X-Test-Developer";
    static final CallerCheck TEST_CALLERS = req -> {
        String dev = req.getHeader(TEST_CALLER);
        return dev == null ? null : new Caller(dev, "key-" + dev, "free");
    };

    final Vertx vertx;
    final WebClient client;
    TradeApiService trade;
    private String tradeDeployment;
    private final TradeApiConfig config;
    /** The configuration environment trade-api was started with. */
    private final Map<String, String> env;

    private TradeHarness(Vertx vertx, TradeApiConfig config, Map<String, String> env) {
        this.vertx = vertx;
        this.config = config;
        this.env = env;
        this.client = WebClient.create(vertx);
    }

    static TradeHarness start(Path dir) throws Exception {
        return start(dir, Map.of());
    }

    /** As {@link #start(Path)}, with more config environment ({@code OPENTRADE_TRADE_STORE=redis}, …) over it. */
    static TradeHarness start(Path dir, Map<String, String> moreEnv) throws Exception {
        return start(dir, moreEnv, true);
    }

    /** As {@link #start(Path, Map)}; {@code awaitReady} false returns once trade-api is deployed, ready or not. */
    static TradeHarness start(Path dir, Map<String, String> moreEnv, boolean awaitReady) throws Exception {
        return start(dir, moreEnv, awaitReady, java.util.function.UnaryOperator.identity());
    }

    /** As {@link #start(Path, Map, boolean)}, trade-api's intent store wrapped by {@code intents}. */
    static TradeHarness start(Path dir, Map<String, String> moreEnv, boolean awaitReady,
                              java.util.function.UnaryOperator<org.opentrade.trade.port.IntentStore> intents)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OPENTRADE_SIMULATOR_ENABLED", "false");
        env.put("OPENTRADE_EXCHANGE_DATA_DIR", dir.resolve("exchange").toString());
        env.put("OPENTRADE_EXCHANGE_FSYNC", "none");
        env.put(DayEnds.ENV, DayEnds.awayFromNow());
        env.put("OPENTRADE_TRADE_PORT", "0");
        env.put("OPENTRADE_TRADE_DATA_DIR", dir.resolve("trade").toString());
        env.put("OPENTRADE_TRADE_FSYNC", "none");
        env.putAll(moreEnv);
        ConfigLoader loader = ConfigLoader.of(env, Map.of());
        Vertx vertx = Vertx.vertx();
        await(vertx.deployVerticle(new ExchangeService(ExchangeConfig.load(loader))));
        TradeHarness h = new TradeHarness(vertx, TradeApiConfig.load(loader), Map.copyOf(env));
        if (awaitReady) {
            h.startTrade(intents);
        } else {
            h.trade = new TradeApiService(h.config, null, TEST_CALLERS, () -> "admin-token-for-tests");
            h.trade.decorateIntentStore(intents);
            h.tradeDeployment = await(vertx.deployVerticle(h.trade));
        }
        return h;
    }

    void startTrade() throws Exception {
        startTrade(java.util.function.UnaryOperator.identity());
    }

    /** As {@link #startTrade()}, with trade-api's intent store wrapped by {@code intents}. */
    void startTrade(java.util.function.UnaryOperator<org.opentrade.trade.port.IntentStore> intents) throws Exception {
        trade = new TradeApiService(config, null, TEST_CALLERS, () -> "admin-token-for-tests");
        trade.decorateIntentStore(intents);
        tradeDeployment = await(vertx.deployVerticle(trade));
        until(trade::isReady, 60);
    }

    /**
     * A new trade-api configured as at the start with {@code moreEnv} over it (its config file read again): what an
     * operator's restart with a changed setting is. Fails fast, with the reason, when its start-up fails.
     */
    void restartTradeWith(Map<String, String> moreEnv) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(moreEnv);
        trade = new TradeApiService(TradeApiConfig.load(ConfigLoader.of(all, Map.of())), null, TEST_CALLERS,
                () -> "admin-token-for-tests");
        tradeDeployment = await(vertx.deployVerticle(trade));
        until(() -> {
            if (trade.isReady()) {
                return true;
            }
            try {
                String reason = get(null, "/ready").bodyAsJsonObject().getString("reason", "");
                if (reason.startsWith("start-up failed")) {
                    throw new AssertionError("trade-api did not start: " + reason);
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                return false;
            }
            return false;
        }, 60);
    }

    void stopTrade() throws Exception {
        await(vertx.undeploy(tradeDeployment));
    }

    /**
     * A second trade-api on this Vert.x, configured as the first with {@code moreEnv} over it (a standby:
     * {@code OPENTRADE_TRADE_STANDBY=true}), deployed but not awaited ready. It becomes {@link #trade}
     * (and what {@link #stopTrade} stops) once {@link #adopt}ed.
     */
    TradeApiService deploySecond(Map<String, String> moreEnv) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(moreEnv);
        TradeApiService second = new TradeApiService(TradeApiConfig.load(ConfigLoader.of(all, Map.of())), null,
                TEST_CALLERS, () -> "admin-token-for-tests");
        secondDeployment = await(vertx.deployVerticle(second));
        return second;
    }

    /** From now on requests go to {@code second} (see {@link #deploySecond}). */
    void adopt(TradeApiService second) {
        trade = second;
        tradeDeployment = secondDeployment;
    }

    private String secondDeployment;

    static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Waits up to 10 s until the desk has work in flight (an intent appended, not yet durable or answered). */
    void untilDeskBusy() throws Exception {
        until(() -> {
            try {
                return !onTrade(() -> trade.desk().quiescent());
            } catch (Exception e) {
                return false;
            }
        }, 10);
    }

    void until(BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(10); // polling a condition
        }
    }

    HttpRequest<Buffer> request(HttpMethod method, String dev, String uri) {
        HttpRequest<Buffer> r = client.request(method, trade.port(), "127.0.0.1", uri);
        if (dev != null) {
            r.putHeader(TEST_CALLER, dev);
        }
        return r;
    }

    HttpResponse<Buffer> get(String dev, String uri) throws Exception {
        return await(request(HttpMethod.GET, dev, uri).send());
    }

    HttpResponse<Buffer> send(HttpMethod method, String dev, String uri, JsonObject body) throws Exception {
        return await(body == null ? request(method, dev, uri).send() : request(method, dev, uri).sendJsonObject(body));
    }

    HttpResponse<Buffer> order(String dev, JsonObject body) throws Exception {
        return send(HttpMethod.POST, dev, "/v1/orders", body);
    }

    static JsonObject limit(String cid, String symbol, String side, String price, long qty) {
        JsonObject j = new JsonObject().put("symbol", symbol).put("side", side).put("type", "limit")
                .put("time_in_force", "day").put("qty", qty).put("price", price);
        return cid == null ? j : j.put("client_order_id", cid);
    }

    /** Runs {@code r} on the trade context and returns its value (state reads). */
    <T> T onTrade(java.util.concurrent.Callable<T> r) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        vertx.runOnContext(v -> {
        });
        trade.context().runOnContext(v -> {
            try {
                f.complete(r.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        client.close();
        await(vertx.close());
    }
}
