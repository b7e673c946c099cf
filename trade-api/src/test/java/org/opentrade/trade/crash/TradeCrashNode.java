package org.opentrade.trade.crash;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.exchange.app.ExchangeConfig;
import org.opentrade.exchange.app.ExchangeService;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.trade.adapter.http.Caller;
import org.opentrade.trade.adapter.http.CallerCheck;
import org.opentrade.trade.app.TradeApiConfig;
import org.opentrade.trade.app.TradeApiService;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderStatus;
import org.opentrade.trade.domain.desk.TradeDesk;
import org.opentrade.trade.domain.ledger.OrderQuery;
import org.opentrade.trade.domain.ledger.Page;

/**
 * The process {@link TradeCrashIT} kills: the sandbox exchange (simulator off, journal and event
 * log under {@code <dir>/exchange}, fsync batch) and trade-api (intent log and snapshots under
 * {@code <dir>/trade}, fsync batch, a snapshot every {@link #SNAPSHOT_EVERY}) in one Vert.x, as the
 * all-in-one runs them. A request is "from the gateway" for the developer named in
 * {@value #CALLER_HEADER}.
 *
 * <p>With {@code -D}{@value #REDIS_PROPERTY}{@code =<uri>} trade-api keeps its intents and snapshots in
 * that Redis ({@code store.backend: redis}, instance 0) instead of {@code <dir>/trade}; the exchange
 * stays on files.
 *
 * <p>Both modes first print {@code SNAPSHOTS <n>}: the snapshots trade-api's store holds at start (files
 * in its snapshot directory, or members of {@code ot:trade:0:snapshots} in Redis).
 *
 * <ul>
 *   <li>{@code load <dir> <run> <retryFile|->}: once trade-api is ready, rests a large bid and offer
 *   of the exchange-only account {@code sim-mm-0} (so buyers fill and can sell), prints
 *   {@code READY <port>}, retries each order of {@code retryFile} (lines {@code <account> <cid>
 *   <json body>}), then {@link #ACCOUNTS} accounts place crossing and resting limit orders (and
 *   cancel and replace some, and now and then turn their kill switch on and off) over HTTP until killed. Before each placement: {@code SEND <account> <cid> <body>};
 *   for every 200/201 answer: {@code ACK <account> <cid> <order_id>}; otherwise
 *   {@code NACK <account> <cid> <status> <error_no>} (the error_no {@code -} when the body is not the
 *   error model; {@code NACK <account> <cid> <exception>} when no answer came); for cancels, replaces and kill switches
 *   {@code CMD <account> <kind> <status>} (a non-2xx status followed by its error_no). Each line is flushed before the next request starts.</li>
 *   <li>{@code check <dir>}: starts (from the snapshot and logs there); once ready prints
 *   {@code PENDING <n>} (orders logged before the kill that the exchange never saw, resent at ready);
 *   waits until no order is pending_new any more and trade-api has applied the exchange's head; prints
 *   {@code POSITION <shard> <seq>}, {@code HASH <stateHash>}, per account and client order id
 *   {@code ORDER <account> <cid> <order_id> <status> <filled_qty> <leaves_qty> seq=<update seq>} and
 *   {@code FILLS <account> <count> <qty>}, then {@code DONE}, stops cleanly and exits 0.</li>
 * </ul>
 */
public final class TradeCrashNode {
    static final String CALLER_HEADER = "X-Test-Developer";
    static final int ACCOUNTS = 6;
    /** Requests each account has in flight: more orders are cut off mid-way by the kill. */
    static final int LANES = 2;
    static final String SYMBOL = "601398.SH";
    static final Duration SNAPSHOT_EVERY = Duration.ofMillis(300);
    /** sim-mm-0's order ids: far above trade-api's (instance 0 counts up from 1). */
    private static final long MM_IDS = 9_200_000_000L;
    private static final int TIMEOUT_S = 60;
    /** System property naming the Redis URI of trade-api's store; absent: the file store. */
    static final String REDIS_PROPERTY = "crash.redis";
    /** Where instance 0 indexes its snapshots in Redis (RedisSnapshotStore). */
    static final String REDIS_SNAPSHOTS = "ot:trade:0:snapshots";

    private static final PrintStream OUT = new PrintStream(new java.io.BufferedOutputStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16), false, StandardCharsets.US_ASCII);

    private final Vertx vertx;
    private final TradeApiService trade;

    private TradeCrashNode(Vertx vertx, TradeApiService trade) {
        this.vertx = vertx;
        this.trade = trade;
    }

    public static void main(String[] args) {
        try {
            TradeCrashNode node = start(Path.of(args[1]));
            if (args[0].equals("load")) {
                node.load(Integer.parseInt(args[2]), args[3].equals("-") ? List.of()
                        : Files.readAllLines(Path.of(args[3])));
            } else {
                node.check();
            }
        } catch (Throwable t) {
            say("FAILED " + t);
            t.printStackTrace();
            System.exit(2); // Vert.x threads would keep a failed node alive
        }
    }

    /** One line to the parent, flushed at once (it may be killed right after). */
    static void say(String line) {
        synchronized (OUT) {
            OUT.print(line + "\n"); // one write(2) per line with the flush: a kill cannot tear it
            OUT.flush();
        }
    }

    private static TradeCrashNode start(Path dir) throws Exception {
        String redisUri = System.getProperty(REDIS_PROPERTY);
        if (redisUri == null) {
            Path snapshots = dir.resolve("trade").resolve("snapshots");
            try (var files = Files.exists(snapshots) ? Files.list(snapshots) : java.util.stream.Stream.<Path>empty()) {
                say("SNAPSHOTS " + files.count());
            }
        } else {
            io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redisUri);
            try (var c = client.connect()) {
                say("SNAPSHOTS " + c.sync().zcard(REDIS_SNAPSHOTS));
            } finally {
                client.shutdown();
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("OPENTRADE_SIMULATOR_ENABLED", "false");
        env.put("OPENTRADE_EXCHANGE_DATA_DIR", dir.resolve("exchange").toString());
        env.put("OPENTRADE_EXCHANGE_FSYNC", "batch");
        env.put(DayEnds.ENV, DayEnds.awayFromNow());
        env.put("OPENTRADE_TRADE_PORT", "0");
        env.put("OPENTRADE_TRADE_DATA_DIR", dir.resolve("trade").toString());
        env.put("OPENTRADE_TRADE_FSYNC", "batch");
        if (redisUri != null) {
            env.put("OPENTRADE_TRADE_STORE", "redis");
            env.put("OPENTRADE_TRADE_REDIS_URI", redisUri);
        }
        ConfigLoader loader = ConfigLoader.of(env, Map.of());
        Vertx vertx = Vertx.vertx();
        await(vertx.deployVerticle(new ExchangeService(ExchangeConfig.load(loader))));
        TradeApiConfig c = TradeApiConfig.load(loader);
        TradeApiConfig config = new TradeApiConfig(c.host(), c.port(), c.eventBus(), c.maxBodyBytes(), c.dataDir(),
                c.fsync(), SNAPSHOT_EVERY, c.startingBalance(), c.tPlusOne(), c.fees(), c.maxOrderQty(),
                c.maxOrderNotional(), c.maxOpenOrders(), c.maxOrdersPerSecond(), c.commandTimeout(), c.heartbeat(),
                c.retentionMessages(), c.retentionAge(), c.identityPublicKeyFile(), c.identityClockSkew(),
                c.adminToken(), c.tracing(), c.store());
        CallerCheck callers = req -> {
            String dev = req.getHeader(CALLER_HEADER);
            return dev == null ? null : new Caller(dev, "key-" + dev, "free");
        };
        TradeApiService trade = new TradeApiService(config, null, callers, () -> "admin-token-for-tests");
        await(vertx.deployVerticle(trade));
        until(() -> trade.isReady(), "trade-api ready");
        return new TradeCrashNode(vertx, trade);
    }

    // ------------------------------------------------------------------ load

    private void load(int run, List<String> retries) throws Exception {
        resting(MM_IDS + run * 10L + 1, "SELL", "7.12", 1_000_000);
        resting(MM_IDS + run * 10L + 2, "BUY", "7.05", 1_000_000);
        say("READY " + trade.port());
        WebClient client = WebClient.create(vertx);
        // Everything on one context: a trader's lanes share its state without locks.
        vertx.getOrCreateContext().runOnContext(v -> {
            List<Future<String>> first = new ArrayList<>();
            for (String line : retries) {
                String[] f = line.split(" ", 3);
                first.add(place(client, f[0], f[1], new JsonObject(f[2])));
            }
            Future.join(first).onComplete(ar -> {
                for (int a = 0; a < ACCOUNTS; a++) {
                    Trader t = new Trader(client, "dev_" + a, run, new Random(run * 1_000L + a));
                    for (int lane = 0; lane < LANES; lane++) {
                        t.next();
                    }
                }
            });
        });
        Thread.currentThread().join(); // load until killed
    }

    /** One account's order flow: {@link #LANES} requests at a time, forever; on the load context. */
    private final class Trader {
        private final WebClient client;
        private final String account;
        private final int run;
        private final Random random;
        /** Acknowledged orders placed at prices that may rest. */
        private final List<String> resting = new ArrayList<>();
        private long bought;
        private long sold;
        private int n;

        Trader(WebClient client, String account, int run, Random random) {
            this.client = client;
            this.account = account;
            this.run = run;
            this.random = random;
        }

        void next() {
            int pick = random.nextInt(100);
            Future<?> step;
            if (pick < 6 && !resting.isEmpty()) {
                String id = resting.remove(random.nextInt(resting.size()));
                step = command("cancel", client.delete(trade.port(), "127.0.0.1", "/v1/orders/" + id)
                        .putHeader(CALLER_HEADER, account).send());
            } else if (pick < 14 && !resting.isEmpty()) {
                String id = resting.get(random.nextInt(resting.size()));
                step = command("replace", client.patch(trade.port(), "127.0.0.1", "/v1/orders/" + id)
                        .putHeader(CALLER_HEADER, account)
                        .sendJsonObject(new JsonObject().put("price", price(705 + random.nextInt(5)))));
            } else if (pick < 15) {
                // On (cancels every open order, refuses new ones meanwhile) and off again.
                step = killSwitch(true).compose(r -> killSwitch(false));
            } else {
                String cid = "r" + run + "-" + account + "-" + (++n);
                JsonObject body;
                long qty = 100L * (1 + random.nextInt(3));
                if (pick < 50) {
                    body = limit(cid, "buy", "7.12", qty); // crosses sim-mm-0's offer
                } else if (pick < 75 && bought - sold >= 100) {
                    body = limit(cid, "sell", price(705 + random.nextInt(7)), 100);
                } else {
                    body = limit(cid, "buy", price(706 + random.nextInt(4)), 100); // rests, or meets a resting sell
                }
                step = place(client, account, cid, body).onSuccess(orderId -> {
                    if (orderId != null) {
                        if ("buy".equals(body.getString("side")) && "7.12".equals(body.getString("price"))) {
                            bought += body.getLong("qty");
                        } else {
                            resting.add(orderId); // may rest: a target for cancels and replaces
                            if ("sell".equals(body.getString("side"))) {
                                sold += body.getLong("qty");
                            }
                        }
                    }
                });
            }
            step.onComplete(ar -> next());
        }

        private Future<HttpResponse<Buffer>> killSwitch(boolean on) {
            return command("kill-switch", client.post(trade.port(), "127.0.0.1", "/v1/account/kill-switch")
                    .putHeader(CALLER_HEADER, account).sendJsonObject(new JsonObject().put("enabled", on)));
        }

        /** {@code CMD <account> <kind> <status>} once answered (a non-2xx status followed by its error_no). */
        private Future<HttpResponse<Buffer>> command(String kind, Future<HttpResponse<Buffer>> sent) {
            return sent.onComplete(ar -> say("CMD " + account + " " + kind + " " + (ar.failed()
                    ? ar.cause().getClass().getSimpleName() : ar.result().statusCode() < 300
                    ? String.valueOf(ar.result().statusCode()) : ar.result().statusCode() + " " + errorNo(ar.result()))));
        }
    }

    /** Hundredths as the API's price string. */
    private static String price(long hundredths) {
        return hundredths / 100 + "." + String.format("%02d", hundredths % 100);
    }

    private static JsonObject limit(String cid, String side, String price, long qty) {
        return new JsonObject().put("client_order_id", cid).put("symbol", SYMBOL).put("side", side).put("type", "limit")
                .put("time_in_force", "gtc").put("qty", qty).put("price", price);
    }

    /** Places one order; the order id on 200/201, else null. SEND before, ACK/NACK after, each flushed. */
    private Future<String> place(WebClient client, String account, String cid, JsonObject body) {
        say("SEND " + account + " " + cid + " " + body.encode());
        return client.post(trade.port(), "127.0.0.1", "/v1/orders").putHeader(CALLER_HEADER, account)
                .sendJsonObject(body).map((HttpResponse<Buffer> r) -> {
                    if (r.statusCode() == 200 || r.statusCode() == 201) {
                        String orderId = r.bodyAsJsonObject().getString("order_id");
                        say("ACK " + account + " " + cid + " " + orderId);
                        return orderId;
                    }
                    say("NACK " + account + " " + cid + " " + r.statusCode() + " " + errorNo(r));
                    return null;
                }).recover(err -> {
                    say("NACK " + account + " " + cid + " " + err.getClass().getSimpleName());
                    return Future.succeededFuture(null);
                });
    }

    /** The body's error_no, or "-" when the body is not the error model. */
    private static String errorNo(HttpResponse<Buffer> r) {
        try {
            JsonObject body = r.bodyAsJsonObject();
            Integer errorNo = body == null ? null : body.getInteger("error_no");
            return errorNo != null && body.getString("error") != null && body.getString("trace_id") != null
                    ? errorNo.toString() : "-";
        } catch (RuntimeException notJson) {
            return "-";
        }
    }

    private void resting(long id, String side, String price, long qty) throws Exception {
        Object body = await(vertx.eventBus().request(ExchangeAddresses.COMMANDS, new JsonObject()
                .put("type", "NEW_ORDER").put("order_id", id).put("account", "sim-mm-0").put("symbol", SYMBOL)
                .put("side", side).put("order_type", "LIMIT").put("tif", "GTC").put("price", price).put("qty", qty)))
                .body();
        if (!(body instanceof JsonObject j) || j.getInteger("code", -1) != 0) {
            throw new IllegalStateException("the exchange refused sim-mm-0's order: " + body);
        }
    }

    // ------------------------------------------------------------------ check

    private void check() throws Exception {
        TradeDesk desk = trade.desk();
        say("PENDING " + onTrade(() -> pendingNew(desk))); // logged, never sent before the kill: resent at ready
        StringBuilder report = null;
        for (int attempt = 0; attempt < 100 && report == null; attempt++) {
            // Logged orders the exchange never saw are resent at ready: wait until the feed has settled them.
            until(() -> onTrade(() -> pendingNew(desk)) == 0, "no order pending_new");
            JsonArray heads = head();
            until(() -> onTrade(() -> {
                for (int s = 0; s < heads.size(); s++) {
                    if (desk.ledger().feedPosition(s) < heads.getLong(s)) {
                        return false;
                    }
                }
                return true;
            }), "caught up with the exchange's head " + heads);
            StringBuilder sb = onTrade(() -> dump(desk));
            if (head().equals(heads)) {
                report = sb;
            }
        }
        if (report == null) {
            throw new IllegalStateException("the exchange's head kept moving");
        }
        OUT.print(report);
        say("DONE");
        vertx.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
        System.exit(0);
    }

    private static int pendingNew(TradeDesk desk) {
        int n = 0;
        for (String account : desk.ledger().accountIds()) {
            for (Order o : desk.ledger().openOrders(account, null)) {
                if (o.status() == OrderStatus.PENDING_NEW) {
                    n++;
                }
            }
        }
        return n;
    }

    private JsonArray head() throws Exception {
        JsonObject info = (JsonObject) await(vertx.eventBus().request(ExchangeAddresses.FEED_INFO, new JsonObject()))
                .body();
        return info.getJsonArray("head_seq");
    }

    /** The state the IT compares, on the trade context. */
    private static StringBuilder dump(TradeDesk desk) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(desk.positions()).forEach((s, p) -> sb.append("POSITION ").append(s).append(' ').append(p)
                .append('\n'));
        sb.append("HASH ").append(desk.stateHash()).append('\n');
        for (String account : new java.util.TreeSet<>(desk.ledger().accountIds())) {
            TreeMap<String, Order> byCid = new TreeMap<>();
            String cursor = null;
            do {
                Page<Order> page = desk.ledger().orders(account, new OrderQuery(OrderQuery.StatusFilter.ALL, null,
                        Long.MIN_VALUE, Long.MAX_VALUE, cursor, OrderQuery.MAX_LIMIT));
                page.items().forEach(o -> byCid.put(o.clientOrderId(), o));
                cursor = page.nextCursor();
            } while (cursor != null);
            byCid.forEach((cid, o) -> sb.append("ORDER ").append(account).append(' ').append(cid).append(' ')
                    .append(o.orderId()).append(' ').append(o.status().wireName()).append(' ').append(o.filledQty())
                    .append(' ').append(o.leavesQty()).append(" seq=").append(o.updateSeq()).append('\n'));
            var fills = desk.ledger().allFills(account);
            sb.append("FILLS ").append(account).append(' ').append(fills.size()).append(' ')
                    .append(fills.stream().mapToLong(f -> f.qty()).sum()).append('\n');
        }
        return sb;
    }

    // ------------------------------------------------------------------ helpers

    private <T> T onTrade(Callable<T> r) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        trade.context().runOnContext(v -> {
            try {
                f.complete(r.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private interface Check {
        boolean test() throws Exception;
    }

    private static void until(Check condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!condition.test()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + TIMEOUT_S + " s: " + what);
            }
            Thread.sleep(10); // polling a condition
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
    }
}
