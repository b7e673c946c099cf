package org.opentrade.exchange.domain.sim;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * Noise traders on one instrument: Poisson arrivals of market orders, marketable limit orders
 * (priced a few steps through the far side of the spread) and passive limit orders (resting a few
 * steps behind the near side); resting ones are canceled after their lifetime. Sizes are board
 * lots, roughly exponential around a fraction of a maker's level.
 */
final class NoiseFlow {
    /** Largest number of arrivals in one step, so a stalled timer does not release a burst. */
    private static final int MAX_ARRIVALS_PER_STEP = 20;
    private static final double SHARE_MARKET = 0.3;
    private static final double SHARE_MARKETABLE = 0.35;

    private final String symbol;
    private final String[] accounts;
    private final Deque<SimOrder> resting = new ArrayDeque<>();

    NoiseFlow(String symbol, String[] accounts) {
        this.symbol = symbol;
        this.accounts = accounts;
    }

    /** Sends this step's noise orders. */
    void step(OrderEntry entry, Quote q, double expectedArrivals, long now, long lifetimeMillis,
              SplittableRandom random) {
        expireResting(entry, now, lifetimeMillis);
        int n = poisson(expectedArrivals, random);
        for (int i = 0; i < n; i++) {
            String account = accounts[random.nextInt(accounts.length)];
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long qty = q.noiseLots(random) * q.boardLot();
            double kind = random.nextDouble();
            if (kind < SHARE_MARKET) {
                entry.market(account, symbol, side, qty);
            } else if (kind < SHARE_MARKET + SHARE_MARKETABLE) {
                long price = q.through(side, 1 + random.nextInt(3));
                remember(entry.limit(account, symbol, side, TimeInForce.DAY, price, qty));
            } else {
                long price = q.behind(side, random.nextInt(q.levels() + 1));
                remember(entry.limit(account, symbol, side, TimeInForce.DAY, price, qty));
            }
        }
    }

    private void remember(SimOrder o) {
        resting.addLast(o);
    }

    private void expireResting(OrderEntry entry, long now, long lifetimeMillis) {
        resting.removeIf(SimOrder::isDone);
        for (SimOrder o : resting) {
            if (now - o.createdAt < lifetimeMillis) {
                break; // oldest first
            }
            if (o.isLive()) {
                entry.cancel(o);
            }
        }
    }

    void withdraw(OrderEntry entry) {
        resting.removeIf(SimOrder::isDone);
        for (SimOrder o : resting) {
            if (o.isLive()) {
                entry.cancel(o);
            }
        }
    }

    /** Knuth's method: fine for the small means of one step. */
    static int poisson(double mean, SplittableRandom random) {
        if (mean <= 0) {
            return 0;
        }
        double limit = Math.exp(-mean);
        double p = random.nextDouble();
        int k = 0;
        while (p > limit && k < MAX_ARRIVALS_PER_STEP) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }
}
