package org.opentrade.exchange.app;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.opentrade.exchange.adapter.csv.UniverseFile;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;

/**
 * The failover tests' client: places resting buy orders (5 % under the previous close, GTC, one lot)
 * for one account over the event bus, one at a time, and sends a refused or unanswered one again with
 * the same order id, as trade-api does. A DUPLICATE_ORDER_ID answer to such a retry means an earlier try
 * ran and its answer was lost: the order counts as acknowledged (it stands once). Run it on its own thread.
 */
final class RestingOrderClient implements Runnable {
    static final String[] SYMBOLS = {"600000.SH", "000001.SZ", "600519.SH", "300750.SZ"};
    static final InstrumentCatalog CATALOG = UniverseFile.loadDefault();

    /** Acknowledged order ids and when (System.nanoTime). */
    final Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
    /** Tries answered otherwise: "id:code" or "id:exception". */
    final List<String> answers = new CopyOnWriteArrayList<>();
    volatile boolean running = true;
    private final Vertx vertx;
    private final String account;
    private final long sendTimeoutMillis;

    RestingOrderClient(Vertx vertx, String account, Duration sendTimeout) {
        this.vertx = vertx;
        this.account = account;
        this.sendTimeoutMillis = sendTimeout.toMillis();
    }

    @Override
    public void run() {
        long id = 1;
        while (running) {
            String symbol = SYMBOLS[(int) (id % SYMBOLS.length)];
            long price = CATALOG.get(symbol).prevClose() * 95 / 100;
            JsonObject order = new JsonObject().put("type", "NEW_ORDER").put("order_id", id).put("account", account)
                    .put("symbol", symbol).put("side", "BUY").put("tif", "GTC").put("price", Price.format(price))
                    .put("qty", 100);
            try {
                JsonObject reply = vertx.eventBus().<JsonObject>request(ExchangeAddresses.COMMANDS, order,
                                new DeliveryOptions().setSendTimeout(sendTimeoutMillis)).toCompletionStage()
                        .toCompletableFuture().get(sendTimeoutMillis + 1_000, TimeUnit.MILLISECONDS).body();
                int code = reply.getInteger("code");
                if (code == 0 || code == ResultCode.DUPLICATE_ORDER_ID.code()) {
                    ackedAt.put(id, System.nanoTime());
                    id++;
                    continue;
                }
                answers.add(id + ":" + code);
            } catch (Exception e) {
                answers.add(id + ":" + e.getClass().getSimpleName());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException ie) {
                return;
            }
        }
    }

    /** Longest time between two acknowledgements, in ms. */
    long longestPauseMillis() {
        List<Long> times = sortedTimes();
        long max = 0;
        for (int i = 1; i < times.size(); i++) {
            max = Math.max(max, times.get(i) - times.get(i - 1));
        }
        return TimeUnit.NANOSECONDS.toMillis(max);
    }

    /** Median time between consecutive acknowledgements both within [from, to): one order's round trip. */
    long medianMicros(long from, long to) {
        List<Long> times = sortedTimes();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i - 1) >= from && times.get(i) < to) {
                gaps.add(times.get(i) - times.get(i - 1));
            }
        }
        gaps.sort(null);
        return gaps.isEmpty() ? -1 : TimeUnit.NANOSECONDS.toMicros(gaps.get(gaps.size() / 2));
    }

    private List<Long> sortedTimes() {
        List<Long> times = new ArrayList<>(ackedAt.values());
        times.sort(null);
        return times;
    }

    /** Polls {@code condition} every 20 ms; fails naming {@code what} after {@code max}. */
    static void waitFor(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + max + ": " + what);
            }
            Thread.sleep(20);
        }
    }
}
