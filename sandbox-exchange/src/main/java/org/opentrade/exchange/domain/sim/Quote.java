package org.opentrade.exchange.domain.sim;

import java.util.SplittableRandom;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.model.Side;

/**
 * The price grid of one instrument for one step: the fair value, the price step, the makers'
 * target ladder and the daily band, with every price on the tick and clamped inside the band, so
 * nothing the simulator derives from it can be refused for its price.
 */
final class Quote {
    private final Instrument instrument;
    private final long lower;
    private final long upper;
    private final long step;
    private final long bestBid;
    private final long bestAsk;
    private final int levels;
    private final long levelLots;

    Quote(Instrument instrument, long reference, double fair, SimulatorOptions o) {
        this.instrument = instrument;
        long tick = instrument.tickSize();
        if (instrument.bandPercent() > 0) {
            this.lower = Instrument.lowerLimit(reference, instrument.bandPercent(), tick);
            this.upper = Instrument.upperLimit(reference, instrument.bandPercent(), tick);
        } else {
            this.lower = tick;
            this.upper = Long.MAX_VALUE / 4;
        }
        // The step follows the day's reference, not the fair value, so the grid stays put all day.
        this.step = Math.max(tick, Math.round(reference * o.stepBps() / 10_000.0 / tick) * tick);
        long spread = o.spreadSteps() * step;
        long bid = (long) Math.floor((fair - spread / 2.0) / step) * step;
        this.bestBid = clamp(Math.max(bid, tick));
        this.bestAsk = clamp(Math.max(bid + spread, bestBid + tick));
        this.levels = o.levels();
        long lotValue = Math.max(1, Math.round(fair)) * instrument.boardLot(); // hundredths per lot
        this.levelLots = Math.max(1, o.levelNotional() * 100 / lotValue);
    }

    /** Band limits are on the tick and so is every grid price, so clamping keeps prices on the tick. */
    private long clamp(long price) {
        return Math.max(lower, Math.min(upper, price));
    }

    long[] ladder(Side side) {
        long[] prices = new long[levels];
        for (int i = 0; i < levels; i++) {
            prices[i] = side == Side.BUY ? clamp(bestBid - i * step) : clamp(bestAsk + i * step);
        }
        return prices;
    }

    /** Level sizes, growing away from the touch (deeper books further out), in shares. */
    long[] sizes(SplittableRandom random) {
        long[] sizes = new long[levels];
        for (int i = 0; i < levels; i++) {
            double f = (1.0 + 0.5 * i) * (0.75 + 0.5 * random.nextDouble());
            long lots = Math.min(Math.max(1, Math.round(levelLots * f)), maxLots());
            sizes[i] = lots * instrument.boardLot();
        }
        return sizes;
    }

    /** A marketable price: {@code steps} beyond the far side's best quote. */
    long through(Side side, int steps) {
        return side == Side.BUY ? clamp(bestAsk + (steps - 1) * step) : clamp(bestBid - (steps - 1) * step);
    }

    /** A passive price: {@code steps} behind the near side's best quote. */
    long behind(Side side, int steps) {
        return side == Side.BUY ? clamp(bestBid - steps * step) : clamp(bestAsk + steps * step);
    }

    /** A noise order's size in lots: exponential with a mean of a third of a maker's level. */
    long noiseLots(SplittableRandom random) {
        double mean = Math.max(1.0, levelLots / 3.0);
        long lots = 1 + (long) (-Math.log(1.0 - random.nextDouble()) * mean);
        return Math.min(lots, maxLots());
    }

    private long maxLots() {
        return Math.max(1, instrument.maxOrderQty() / instrument.boardLot());
    }

    long boardLot() {
        return instrument.boardLot();
    }

    int levels() {
        return levels;
    }

    long bestBid() {
        return bestBid;
    }
}
