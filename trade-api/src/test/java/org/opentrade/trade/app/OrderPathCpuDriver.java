package org.opentrade.trade.app;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.exchange.app.ExchangeConfig;
import org.opentrade.exchange.app.ExchangeService;

/**
 * A small local profile driver (not a test, not a benchmark of record): the real exchange and
 * trade-api in one JVM, {@code accounts} developers each placing resting limit buys straight to
 * trade-api's port (no gateway) with {@code window} requests in flight, until each holds many open
 * orders — the case where buying power used to cost O(open orders). Prints the process CPU per order
 * of the measured part. Run it under JFR to see where trade-api's time goes:
 * <pre>
 * java -XX:StartFlightRecording=filename=orders.jfr,settings=profile -cp ... \
 *     org.opentrade.trade.app.OrderPathCpuDriver [orders=20000] [accounts=8] [window=16] [snapshotEveryMs]
 * </pre>
 * With {@code snapshotEveryMs}, intents are fsynced in batches (as by default) and a snapshot is due at that
 * period; the driver then reads {@code /metrics} every 100 ms of the measured part and prints how many
 * snapshots were stored and the oldest {@code trade_snapshot_age_seconds} seen: whether a steady order flow,
 * which nearly always has an intent in flight, lets snapshots through.
 */
public final class OrderPathCpuDriver {
    private OrderPathCpuDriver() {
    }

    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int accounts = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Long snapshotEveryMs = args.length > 3 ? Long.valueOf(args[3]) : null;
        Path dir = Files.createTempDirectory("order-path-cpu");
        Path yaml = dir.resolve("trade.yaml");
        Files.writeString(yaml, "accounts:\n  starting_balance: \"100000000000.00\"\n"
                + "risk:\n  max_open_orders: 1000000\n  max_orders_per_second: 1000000\n"
                + (snapshotEveryMs == null ? "" : "store:\n  snapshot_every: " + snapshotEveryMs + "ms\n"));
        Map<String, String> env = new HashMap<>();
        env.put("OPENTRADE_SIMULATOR_ENABLED", "false");
        env.put("OPENTRADE_EXCHANGE_DATA_DIR", dir.resolve("exchange").toString());
        env.put("OPENTRADE_EXCHANGE_FSYNC", "none");
        env.put(DayEnds.ENV, DayEnds.awayFromNow());
        env.put("OPENTRADE_TRADE_PORT", "0");
        env.put("OPENTRADE_TRADE_DATA_DIR", dir.resolve("trade").toString());
        env.put("OPENTRADE_TRADE_FSYNC", snapshotEveryMs == null ? "none" : "batch");
        env.put(TradeApiConfig.OVERRIDE_ENV, yaml.toString());
        ConfigLoader loader = ConfigLoader.of(env, Map.of());
        Vertx vertx = Vertx.vertx();
        TradeHarness.await(vertx.deployVerticle(new ExchangeService(ExchangeConfig.load(loader))));
        TradeApiService trade = new TradeApiService(TradeApiConfig.load(loader), null, TradeHarness.TEST_CALLERS,
                () -> "admin");
        TradeHarness.await(vertx.deployVerticle(trade));
        while (!trade.isReady()) {
            Thread.sleep(10); // start-up only
        }
        WebClient client = WebClient.create(vertx);
        int warm = orders / 5;
        run(client, trade.port(), 0, warm, accounts, window);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        java.util.Set<String> stored = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicLong oldest = new AtomicLong(-1);
        long sampler = snapshotEveryMs == null ? -1 : vertx.setPeriodic(100, id -> {
            java.util.regex.Matcher index = java.util.regex.Pattern.compile("\ntrade_snapshot_intent_index ([0-9]+)\n")
                    .matcher(trade.metrics());
            java.util.regex.Matcher age = java.util.regex.Pattern.compile("\ntrade_snapshot_age_seconds (-?[0-9]+)\n")
                    .matcher(trade.metrics());
            if (index.find() && age.find()) {
                stored.add(index.group(1));
                oldest.accumulateAndGet(Long.parseLong(age.group(1)), Math::max);
            }
        });
        int ok = run(client, trade.port(), warm, orders, accounts, window);
        long cpu = os.getProcessCpuTime() - cpu0;
        long wall = System.nanoTime() - t0;
        vertx.cancelTimer(sampler);
        System.out.printf("orders %d (201: %d), accounts %d, window %d: CPU per order %.3f ms, %.0f orders/s%n",
                orders - warm, ok, accounts, window, cpu / 1e6 / (orders - warm), (orders - warm) / (wall / 1e9));
        if (snapshotEveryMs != null) {
            System.out.printf("snapshot every %d ms over %.1f s: %d distinct snapshots seen stored, oldest age seen %d s%n",
                    snapshotEveryMs, wall / 1e9, stored.size(), oldest.get());
        }
        client.close();
        TradeHarness.await(vertx.close());
    }

    /** Orders {@code from..to-1}, {@code window} in flight; returns how many were answered 201. */
    private static int run(WebClient client, int port, int from, int to, int accounts, int window) throws Exception {
        CountDownLatch done = new CountDownLatch(to - from);
        AtomicInteger next = new AtomicInteger(from);
        AtomicLong created = new AtomicLong();
        for (int i = 0; i < window; i++) {
            sendNext(client, port, next, to, accounts, done, created);
        }
        if (!done.await(600, TimeUnit.SECONDS)) {
            throw new IllegalStateException("orders not answered in time");
        }
        return (int) created.get();
    }

    private static void sendNext(WebClient client, int port, AtomicInteger next, int to, int accounts,
                                 CountDownLatch done, AtomicLong created) {
        int i = next.getAndIncrement();
        if (i >= to) {
            return;
        }
        JsonObject body = TradeHarness.limit("o-" + i, "600000.SH", "buy", "10.00", 100);
        Future<?> f = client.request(HttpMethod.POST, port, "127.0.0.1", "/v1/orders")
                .putHeader(TradeHarness.TEST_CALLER, "dev_" + (i % accounts)).sendJsonObject(body)
                .onSuccess(r -> {
                    if (r.statusCode() == 201) {
                        created.incrementAndGet();
                    }
                });
        f.onComplete(x -> {
            done.countDown();
            sendNext(client, port, next, to, accounts, done, created);
        });
    }
}
