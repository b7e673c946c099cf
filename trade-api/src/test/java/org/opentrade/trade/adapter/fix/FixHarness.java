package org.opentrade.trade.adapter.fix;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.common.tracing.TracingOptions;
import org.opentrade.exchange.app.ExchangeConfig;
import org.opentrade.exchange.app.ExchangeService;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.trade.adapter.http.Caller;
import org.opentrade.trade.adapter.http.CallerCheck;
import org.opentrade.trade.app.TradeApiConfig;
import org.opentrade.trade.app.TradeApiService;
import org.opentrade.trade.port.KeyAuthenticator;

/**
 * The real exchange (simulator off) and trade-api with its FIX acceptor on a free port, in one
 * Vert.x; FIX logons are checked by {@link FakeKeys} (the gateway's consumer has its own IT in the
 * launcher). REST requests carry {@code X-Test-Developer} as the caller.
 */
final class FixHarness implements AutoCloseable {
    static final String TEST_CALLER = "X-Test-Developer";
    static final CallerCheck TEST_CALLERS = req -> {
        String dev = req.getHeader(TEST_CALLER);
        return dev == null ? null : new Caller(dev, "key-" + dev, "free");
    };
    private static final AtomicLong COUNTER_IDS = new AtomicLong(9_400_000_000L);

    final Vertx vertx;
    final WebClient client;
    final FakeKeys keys = new FakeKeys();
    final Path dir;
    /** trade-api's tracing: its span store holds the FIX requests' spans. */
    final Tracing tracing = Tracing.create(new TracingOptions().setServiceName("trade-api"));
    private final TradeApiConfig config;
    TradeApiService trade;
    private String deployment;
    int fixPort;

    /** The configuration environment trade-api was started with. */
    private final Map<String, String> env;

    private FixHarness(Vertx vertx, Path dir, TradeApiConfig config, Map<String, String> env) {
        this.vertx = vertx;
        this.dir = dir;
        this.config = config;
        this.env = Map.copyOf(env);
        this.client = WebClient.create(vertx);
    }

    /** The configuration setting {@code name} (an environment variable's name) the harness started with. */
    String setting(String name) {
        return env.get(name);
    }

    static FixHarness start(Path dir) throws Exception {
        return start(dir, Map.of());
    }

    /** As {@link #start(Path)}, with more config environment over it. */
    static FixHarness start(Path dir, Map<String, String> moreEnv) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OPENTRADE_SIMULATOR_ENABLED", "false");
        env.put("OPENTRADE_EXCHANGE_DATA_DIR", dir.resolve("exchange").toString());
        env.put("OPENTRADE_EXCHANGE_FSYNC", "none");
        env.put(DayEnds.ENV, DayEnds.awayFromNow());
        env.put("OPENTRADE_TRADE_PORT", "0");
        env.put("OPENTRADE_TRADE_DATA_DIR", dir.resolve("trade").toString());
        env.put("OPENTRADE_TRADE_FSYNC", "none");
        // No daily reset unless a test asks: a session live at the boundary would be logged out mid-test.
        env.put("OPENTRADE_TRADE_FIX_DAILY_RESET", "none");
        // No message rate either (FixThrottleTest sets one): some tests flood a session on purpose.
        env.put("OPENTRADE_TRADE_FIX_MAX_MESSAGES_PER_SECOND", "1000000");
        env.put("OPENTRADE_TRADE_FIX_REFUSED_LOGONS_PER_ADDRESS_PER_MINUTE", "1000000"); // FixLogonTest refuses many
        env.putAll(moreEnv);
        ConfigLoader loader = ConfigLoader.of(env, Map.of());
        Vertx vertx = Vertx.vertx();
        await(vertx.deployVerticle(new ExchangeService(ExchangeConfig.load(loader))));
        FixHarness h = new FixHarness(vertx, dir, TradeApiConfig.load(loader).withFix(true, "127.0.0.1", 0), env);
        h.startTrade();
        return h;
    }

    /** Starts trade-api (again), on the FIX port it had before if any: a restart keeps the port. */
    void startTrade() throws Exception {
        startTrade(fixPort == 0 ? config : config.withFix(true, "127.0.0.1", fixPort));
    }

    /**
     * Starts trade-api again, on the FIX port it had, with {@code moreEnv} over the configuration it was started
     * with (another data directory: a process of the instance on another host).
     */
    void startTrade(Map<String, String> moreEnv) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(moreEnv);
        startTrade(TradeApiConfig.load(ConfigLoader.of(all, Map.of())).withFix(true, "127.0.0.1", fixPort));
    }

    private void startTrade(TradeApiConfig c) throws Exception {
        trade = new TradeApiService(c, tracing, TEST_CALLERS, () -> "admin").withKeyAuthenticator(keys);
        deployment = await(vertx.deployVerticle(trade));
        until(() -> trade.isReady() && trade.fixAcceptor() != null, 60);
        fixPort = trade.fixAcceptor().port();
    }

    void stopTrade() throws Exception {
        await(vertx.undeploy(deployment));
    }

    /** A key for {@code developer}, accepted by the fake gateway; returns the key id. */
    String key(String developer) {
        String id = "key_" + developer;
        keys.accept(id, "secret-" + developer, developer);
        return id;
    }

    FixClient client(String developer) throws Exception {
        FixClient c = new FixClient(fixPort, "C_" + developer, key(developer), "secret-" + developer, Map.of());
        c.start();
        c.awaitLogon();
        return c;
    }

    /** A resting or crossing order of the market maker account (not ours), straight to the exchange. */
    void counter(String symbol, String side, String price, long qty) throws Exception {
        JsonObject reply = (JsonObject) await(vertx.eventBus().request(ExchangeAddresses.COMMANDS, new JsonObject()
                .put("type", "NEW_ORDER").put("order_id", COUNTER_IDS.incrementAndGet()).put("account", "sim-mm-0")
                .put("symbol", symbol).put("side", side).put("order_type", "LIMIT").put("tif", "GTC")
                .put("price", price).put("qty", qty))).body();
        if (reply.getInteger("code", -1) != 0) {
            throw new AssertionError("counter order refused: " + reply);
        }
    }

    HttpResponse<Buffer> rest(HttpMethod method, String dev, String uri, JsonObject body) throws Exception {
        var r = client.request(method, trade.port(), "127.0.0.1", uri).putHeader(TEST_CALLER, dev);
        return await(body == null ? r.send() : r.sendJsonObject(body));
    }

    static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /**
     * Files under {@code dir} whose name passes {@code named}. The acceptor deletes or replaces store files
     * while a test looks (a refused session's store, the daily reset's): one gone between listing and
     * reading is left out, never an error (a plain walk throws NoSuchFileException then).
     */
    static List<Path> filesNamed(Path dir, Predicate<String> named) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (named.test(file.getFileName().toString())) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /**
     * The text of the store bodies (the messages kept for resends) of the sessions whose SenderCompID contains
     * {@code sender}, as stored (SOH between fields); a file deleted meanwhile counts as empty.
     */
    static String storeText(Path dir, String sender) {
        StringBuilder all = new StringBuilder();
        for (Path p : filesNamed(dir, n -> n.contains(sender) && n.endsWith(".body"))) {
            try {
                all.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            } catch (NoSuchFileException gone) {
                // deleted after the listing: nothing kept in it
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }

    static void until(BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(10); // polling a condition
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
        await(vertx.close());
        tracing.close();
    }

    /** The gateway's key check, faked: known keys with their secret and developer; anything else refused. */
    static final class FakeKeys implements KeyAuthenticator {
        private final Map<String, String[]> keys = new ConcurrentHashMap<>();
        private final Map<String, String> refusals = new ConcurrentHashMap<>();
        volatile boolean silent;

        void accept(String keyId, String secret, String developer) {
            keys.put(keyId, new String[] {secret, developer});
        }

        /** The gateway refuses {@code keyId} with {@code reason} (revoked, expired, …). */
        void refuse(String keyId, String reason) {
            refusals.put(keyId, reason);
        }

        @Override
        public java.util.concurrent.CompletionStage<Result> authenticate(String keyId, String secret, String scope) {
            if (silent) {
                return new CompletableFuture<>(); // never answers
            }
            String refused = refusals.get(keyId);
            String[] k = keys.get(keyId);
            Result r = refused != null ? Result.refused(refused) : k == null ? Result.refused("unknown key")
                    : !k[0].equals(secret) ? Result.refused("wrong secret")
                    : !"fix".equals(scope) ? Result.refused("key lacks scope fix") : Result.accepted(k[1], keyId);
            return CompletableFuture.completedFuture(r);
        }
    }
}
