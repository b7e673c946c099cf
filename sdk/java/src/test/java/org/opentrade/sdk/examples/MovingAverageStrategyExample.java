package org.opentrade.sdk.examples;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opentrade.sdk.Credentials;
import org.opentrade.sdk.OpenTrade;
import org.opentrade.sdk.OpenTradeException;
import org.opentrade.sdk.model.Order;
import org.opentrade.sdk.model.OrderCreate;
import org.opentrade.sdk.model.OrderSide;
import org.opentrade.sdk.model.OrderType;
import org.opentrade.sdk.stream.StreamClient;
import org.opentrade.sdk.stream.StreamListener;
import org.opentrade.sdk.stream.StreamMessage;

/**
 * A moving-average crossover on the live trade stream: when the fast average of trade prices crosses
 * above the slow one, buy a lot at market; when it crosses below and a position was bought, sell it.
 * The stream reconnects and resumes by itself; the handler runs on the stream's own thread.
 */
public final class MovingAverageStrategyExample {
    public record Result(int tradesSeen, List<Order> orders) { }

    public static Result run(OpenTrade ot, String symbol, int fast, int slow, int tradesToWatch, int maxOrders,
            Duration timeout, PrintStream out) throws InterruptedException {
        Deque<BigDecimal> window = new ArrayDeque<>();
        List<Order> orders = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        int[] seen = {0};
        long[] held = {0};
        StreamListener strategy = new StreamListener() {
            private int lastSign;

            @Override
            public void onMessage(StreamMessage m) {
                if (m.data() == null || m.data().isNull() || m.snapshot()) {
                    return; // a trades channel's snapshot carries no trade
                }
                window.addLast(new BigDecimal(m.data().get("price").asText()));
                if (window.size() > slow) {
                    window.removeFirst();
                }
                if (++seen[0] >= tradesToWatch) {
                    done.countDown();
                }
                if (window.size() < slow || orders.size() >= maxOrders) {
                    return;
                }
                int sign = average(window, fast).compareTo(average(window, slow));
                if (lastSign != 0 && sign != 0 && sign != lastSign) {
                    act(sign > 0 ? OrderSide.BUY : OrderSide.SELL);
                }
                if (sign != 0) {
                    lastSign = sign;
                }
            }

            private void act(OrderSide side) {
                if (side == OrderSide.SELL && held[0] == 0) {
                    return; // nothing bought yet to sell (no short selling)
                }
                try {
                    Order o = ot.placeOrder(new OrderCreate().symbol(symbol).side(side).type(OrderType.MARKET)
                            .qty(side == OrderSide.BUY ? 100L : held[0]));
                    orders.add(o);
                    held[0] = side == OrderSide.BUY ? held[0] + 100 : 0;
                    out.println("crossover: " + side + " -> order " + o.getOrderId() + " " + o.getStatus());
                } catch (OpenTradeException e) {
                    out.println("order refused: " + e.getMessage());
                }
            }
        };
        try (StreamClient stream = ot.marketStream("trades:" + symbol).listener(strategy).start()) {
            boolean enough = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            out.println((enough ? "watched " : "timed out after ") + seen[0] + " trades; " + orders.size() + " orders");
        }
        return new Result(seen[0], orders);
    }

    static BigDecimal average(Deque<BigDecimal> window, int n) {
        BigDecimal sum = BigDecimal.ZERO;
        int i = 0;
        for (var it = window.descendingIterator(); it.hasNext() && i < n; i++) {
            sum = sum.add(it.next());
        }
        return sum.divide(BigDecimal.valueOf(i), 6, java.math.RoundingMode.HALF_EVEN);
    }

    public static void main(String[] args) throws InterruptedException {
        OpenTrade ot = OpenTrade.builder().baseUrl(System.getenv().getOrDefault("OPENTRADE_URL", "http://localhost:8080"))
                .credentials(Credentials.secretKey(System.getenv("OPENTRADE_KEY_ID"), System.getenv("OPENTRADE_SECRET")))
                .build();
        run(ot, args.length > 0 ? args[0] : "600000.SH", 5, 20, 60, 4, Duration.ofMinutes(5), System.out); // ~0.5 trades/s: about 2 min
    }
}
