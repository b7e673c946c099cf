package org.opentrade.bench.market;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.identity.AssertionVerifier;
import org.opentrade.common.identity.GatewayKeys;
import org.opentrade.common.identity.IdentityAssertions;
import org.opentrade.exchange.app.ExchangeConfig;
import org.opentrade.exchange.app.ExchangeService;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.exchange.model.Price;
import org.opentrade.market.adapter.http.AssertionCallerCheck;
import org.opentrade.market.app.MarketApiConfig;
import org.opentrade.market.app.MarketApiService;
import org.opentrade.market.app.Stores;

/**
 * The server side of the WebSocket fan-out benchmark: one Vert.x with the sandbox exchange (simulator
 * off, no journal) and market-api (in-memory store, no backfill) as the all-in-one deploys them, except
 * that market-api trusts the public key of a key pair file the benchmark owns ({@code --key-file}, created
 * if missing) instead of an in-process gateway: clients connect to market-api's WebSocket directly with
 * assertions signed by that key ({@link BenchAssertions}), as the gateway's proxied upgrades carry them.
 *
 * <p>A trade driver thread makes exactly one trade of one symbol per period: a maker sells one lot at the
 * symbol's previous close and a taker buys it, both through the exchange's command address on the event
 * bus (as trade-api and the simulator submit), due at {@code start + i / rate} (open loop; a late tick
 * sends at once, it does not skip). Each trade's {@code time} is the exchange's clock when it read the
 * command, so a client's receive time minus it is exchange + feed + market-api + fan-out + network.
 *
 * <p>A control HTTP server (loopback, {@code --control-port}, on a Vert.x of its own so that it answers while
 * market-api's event loop is saturated) lets the client JVM run the phases:
 * {@code POST /drive?rate=R} starts the driver, {@code POST /stop} stops it (answers the trades sent),
 * {@code GET /heap} runs {@code System.gc()} three times and answers the heap in use and market-api's
 * stream counters, {@code GET /cpu} this process's CPU time so far, {@code GET /metrics} market-api's
 * Prometheus text and {@code GET /metrics.json} its integer gauges as JSON.
 *
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.market.StreamFanoutServer --key-file out/identity.pem \
 *   [--port 0] [--control-port 18291] [--symbol 600519.SH]
 * </pre>
 * Prints {@code READY market_port=P control_port=C} once market-api is ready.
 */
public final class StreamFanoutServer {
    private static final long LOT = 100;

    private final Vertx vertx;
    /** The control server's own Vert.x: it must answer while market-api's event loop is saturated. */
    private final Vertx controlVertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1)
            .setWorkerPoolSize(1));
    private final MarketApiService market;
    private final String symbol;
    private final String price;
    /** One maker sell and one taker buy per tick. */
    private final PacedDriver driver = new PacedDriver("bench-trade-driver");
    private final AtomicLong trades = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private long nextOrderId = 1_000_000_000L;

    private StreamFanoutServer(Vertx vertx, MarketApiService market, String symbol, String price) {
        this.vertx = vertx;
        this.market = market;
        this.symbol = symbol;
        this.price = price;
    }

    public static void main(String[] args) throws Exception {
        Path keyFile = null;
        int port = 0;
        int controlPort = 18291;
        String symbol = "600519.SH";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--key-file" -> keyFile = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--control-port" -> controlPort = Integer.parseInt(args[++i]);
                case "--symbol" -> symbol = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; allowed: --key-file F --port P --control-port C --symbol S");
            }
        }
        if (keyFile == null) {
            throw new IllegalArgumentException("--key-file is required");
        }
        KeyPair keys = GatewayKeys.loadOrCreate(keyFile);
        Map<String, String> env = new HashMap<>();
        env.put("OPENTRADE_SIMULATOR_ENABLED", "false");
        env.put("OPENTRADE_EXCHANGE_DATA_DIR", "");
        env.put("OPENTRADE_EXCHANGE_FSYNC", "none");
        env.put("OPENTRADE_MARKET_PORT", String.valueOf(port));
        env.put("OPENTRADE_MARKET_BACKFILL", "false");
        env.put("OPENTRADE_MARKET_STORE", "memory");
        ConfigLoader loader = ConfigLoader.of(env, Map.of());
        MarketApiConfig config = MarketApiConfig.load(loader);
        Vertx vertx = FanoutTransport.vertx(new io.vertx.core.VertxOptions());
        await(vertx.deployVerticle(new ExchangeService(ExchangeConfig.load(loader))));
        AssertionCallerCheck callers = new AssertionCallerCheck(new AssertionVerifier(List.of(keys.getPublic()),
                IdentityAssertions.DEFAULT_CLOCK_SKEW));
        MarketApiService market = new MarketApiService(config, null, callers, Stores::open, () -> "");
        await(vertx.deployVerticle(market));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!market.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("market-api not ready within 60 s");
            }
            Thread.sleep(20); // polling readiness
        }
        JsonObject universe = (JsonObject) await(vertx.eventBus().request(ExchangeAddresses.INSTRUMENTS,
                new JsonObject())).body();
        String sym = symbol;
        InstrumentInfo info = ExchangeJson.universeFromJson(universe).instruments().stream()
                .filter(i -> i.symbol().equals(sym)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the exchange has no " + sym));
        StreamFanoutServer server = new StreamFanoutServer(vertx, market, symbol, Price.format(info.prevClose()));
        int control = await(server.control(controlPort));
        System.out.println("READY market_port=" + market.port() + " control_port=" + control + " symbol=" + symbol
                + " price=" + server.price);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.driver.stop();
            server.controlVertx.close();
            vertx.close();
        }));
    }

    private Future<Integer> control(int port) {
        Router router = FanoutControl.router(controlVertx, this::startDriver, () -> {
            stopDriver();
            return new JsonObject().put("trades", trades.get()).put("rejected", rejected.get());
        }, this::metrics);
        router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain")
                .end(market.metrics()));
        return FanoutControl.listen(controlVertx, router, port);
    }

    /** market-api's own counters (Prometheus text) as JSON numbers. */
    private JsonObject metrics() {
        JsonObject j = new JsonObject();
        for (String line : market.metrics().split("\n")) {
            int sp = line.lastIndexOf(' ');
            if (sp > 0 && !line.startsWith("#")) {
                try {
                    j.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1)));
                } catch (NumberFormatException e) {
                    // not a plain integer gauge
                }
            }
        }
        return j;
    }

    /**
     * Starts the driver; answers when trade {@code i} (from 0) is due, on the wall clock ({@code start_epoch_us +
     * i × period_ns}), and the trades channel seq it will have ({@code seq_base + i}: every trade on the exchange
     * is the driver's, one per period, and the channel numbers them from 1), so a client can time each trade
     * frame from when its trade was due as well as from the trade's own time stamp.
     */
    private JsonObject startDriver(double rate) {
        long seqBase = metrics().getLong("market_trades_applied_total", 0L) + 1;
        return driver.start(rate, seqBase, () -> {
            send(order("bench-mm", "SELL"));
            send(order("bench-taker", "BUY"));
            trades.incrementAndGet();
        });
    }

    private void stopDriver() {
        driver.stop();
    }

    private JsonObject order(String account, String side) {
        return new JsonObject().put("type", "NEW_ORDER").put("order_id", nextOrderId++).put("account", account)
                .put("symbol", symbol).put("side", side).put("order_type", "LIMIT").put("tif", "GTC")
                .put("price", price).put("qty", LOT);
    }

    private void send(JsonObject command) {
        vertx.eventBus().request(ExchangeAddresses.COMMANDS, command).onComplete(ar -> {
            if (ar.failed() || !(ar.result().body() instanceof JsonObject r) || r.getInteger("code", -1) != 0) {
                rejected.incrementAndGet();
            }
        });
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
