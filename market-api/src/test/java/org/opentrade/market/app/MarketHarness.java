package org.opentrade.market.app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.exchange.app.ExchangeConfig;
import org.opentrade.exchange.app.ExchangeService;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.market.adapter.http.Caller;
import org.opentrade.market.adapter.http.CallerCheck;
import org.opentrade.market.adapter.memory.InMemoryTimeSeriesStore;
import org.opentrade.market.adapter.questdb.QuestDbTimeSeriesStore;
import org.opentrade.market.port.TimeSeriesStore;

/**
 * The real exchange (simulator off, no journal) and market-api in one Vert.x, with a test identity
 * check: a request is "from the gateway" when it carries {@code X-Test-Developer}.
 */
final class MarketHarness implements AutoCloseable {
    static final String TEST_CALLER = "X-Test-Developer";
    static final CallerCheck TEST_CALLERS = req -> {
        String dev = req.getHeader(TEST_CALLER);
        return dev == null ? null : new Caller(dev, "key-" + dev, req.getHeader("X-Test-Plan") == null ? "free"
                : req.getHeader("X-Test-Plan"), null);
    };

    final Vertx vertx;
    final ExchangeService exchange;
    MarketApiService market;
    final WebClient client;
    private String marketDeployment;
    private MarketApiConfig config;
    private Map<String, String> env;
    private MarketApiService.StoreFactory stores;

    private MarketHarness(Vertx vertx, ExchangeService exchange, MarketApiService market, String marketDeployment) {
        this.vertx = vertx;
        this.exchange = exchange;
        this.market = market;
        this.marketDeployment = marketDeployment;
        this.client = WebClient.create(vertx);
    }

    /** Starts both; {@code dataDir} null = in-memory store; backfill as given. */
    static MarketHarness start(Path dataDir, boolean backfill, int backfillDays) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OPENTRADE_SIMULATOR_ENABLED", "false");
        // With a market data dir the exchange keeps a journal and event log beside it, so market-api can
        // resume from its checkpoint; without, the exchange keeps no history (a restart gets a snapshot).
        env.put("OPENTRADE_EXCHANGE_DATA_DIR", dataDir == null ? "" : dataDir.resolveSibling("exchange").toString());
        env.put("OPENTRADE_EXCHANGE_FSYNC", "none");
        env.put(DayEnds.ENV, DayEnds.awayFromNow());
        env.put("OPENTRADE_MARKET_PORT", "0");
        env.put("OPENTRADE_MARKET_BACKFILL", String.valueOf(backfill));
        env.put("OPENTRADE_MARKET_STORE", dataDir == null ? "memory" : "questdb");
        if (dataDir != null) {
            env.put("OPENTRADE_MARKET_DATA_DIR", dataDir.toString());
        }
        return start(env, Stores::open, backfillDays);
    }

    /**
     * Starts both with the in-memory settings of {@link #start(Path, boolean, int)} (no backfill) plus
     * {@code settings} (environment overrides), market-api on the store {@code stores} opens.
     */
    static MarketHarness start(Map<String, String> settings, MarketApiService.StoreFactory stores) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OPENTRADE_SIMULATOR_ENABLED", "false");
        env.put("OPENTRADE_EXCHANGE_DATA_DIR", "");
        env.put("OPENTRADE_EXCHANGE_FSYNC", "none");
        env.put(DayEnds.ENV, DayEnds.awayFromNow());
        env.put("OPENTRADE_MARKET_PORT", "0");
        env.put("OPENTRADE_MARKET_BACKFILL", "false");
        env.put("OPENTRADE_MARKET_STORE", "memory");
        env.putAll(settings);
        return start(env, stores, 1);
    }

    private static MarketHarness start(Map<String, String> env, MarketApiService.StoreFactory stores, int backfillDays)
            throws Exception {
        ConfigLoader loader = ConfigLoader.of(env, Map.of());
        MarketApiConfig config = MarketApiConfig.load(loader).withBackfillDays(backfillDays);
        Vertx vertx = Vertx.vertx();
        ExchangeService exchange = new ExchangeService(ExchangeConfig.load(loader));
        await(vertx.deployVerticle(exchange));
        MarketApiService market = new MarketApiService(config, null, TEST_CALLERS, stores, () -> "admin-token-for-tests");
        String id = await(vertx.deployVerticle(market));
        MarketHarness h = new MarketHarness(vertx, exchange, market, id);
        h.config = config;
        h.env = env;
        h.stores = stores;
        try {
            h.until(market::isReady, 60);
        } catch (AssertionError e) {
            String why = h.getAnonymous("/ready").bodyAsString();
            h.close();
            throw new AssertionError("market-api not ready: " + why, e);
        }
        return h;
    }

    static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    void until(BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(20); // polling a condition, not waiting out a fixed time
        }
    }

    HttpResponse<Buffer> get(String uri) throws Exception {
        return await(client.get(market.port(), "127.0.0.1", uri).putHeader(TEST_CALLER, "dev-1").send());
    }

    HttpResponse<Buffer> getAnonymous(String uri) throws Exception {
        return await(client.get(market.port(), "127.0.0.1", uri).send());
    }

    /** Sends a command to the exchange and returns its result JSON. */
    JsonObject order(JsonObject command) throws Exception {
        return (JsonObject) await(vertx.eventBus().request(ExchangeAddresses.COMMANDS, command)).body();
    }

    JsonObject limit(long orderId, String account, String symbol, String side, String price, long qty) throws Exception {
        return order(new JsonObject().put("type", "NEW_ORDER").put("order_id", orderId).put("account", account)
                .put("symbol", symbol).put("side", side).put("order_type", "LIMIT").put("tif", "GTC")
                .put("price", price).put("qty", qty));
    }

    /** Stops market-api only (the exchange goes on). */
    void stopMarket() throws Exception {
        await(vertx.undeploy(marketDeployment));
    }

    /** Starts market-api again on the same data (a restart) and waits until it is ready. */
    void restartMarket() throws Exception {
        market = new MarketApiService(config, null, TEST_CALLERS, stores, () -> "admin-token-for-tests");
        marketDeployment = await(vertx.deployVerticle(market));
        until(market::isReady, 60);
    }

    /**
     * Another market-api instance on the same exchange, as distributed mode runs two: its own in-memory
     * store and feed consumer name, following the same feed. Ready when this returns; undeploy it with
     * {@link #stop(Another)}.
     */
    Another startAnother(String feedConsumer) throws Exception {
        Map<String, String> other = new HashMap<>(env);
        other.put("OPENTRADE_MARKET_STORE", "memory");
        other.remove("OPENTRADE_MARKET_DATA_DIR");
        other.put("OPENTRADE_MARKET_FEED_CONSUMER", feedConsumer);
        MarketApiConfig c = MarketApiConfig.load(ConfigLoader.of(other, Map.of())).withBackfillDays(config.backfillDays());
        MarketApiService service = new MarketApiService(c, null, TEST_CALLERS, Stores::open, () -> "admin-token-for-tests");
        String id = await(vertx.deployVerticle(service));
        until(service::isReady, 60);
        return new Another(service, id);
    }

    /** A market-api instance started by {@link #startAnother}. */
    record Another(MarketApiService service, String deployment) {
    }

    void stop(Another another) throws Exception {
        await(vertx.undeploy(another.deployment()));
    }

    @Override
    public void close() throws Exception {
        client.close();
        await(vertx.close());
    }
}
