package org.opentrade.exchange.domain.sim;

import java.util.SplittableRandom;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;

/**
 * The simulated market of one instrument: its fair value, its makers, its noise flow, and the
 * band reference it mirrors from the engine (previous close, rolled to the last trade price at
 * each trading-day end, exactly as the engine does).
 */
final class SymbolSim {
    final Instrument instrument;
    private final FairValue fair;
    private final MarketMaker[] makers;
    private final NoiseFlow noise;
    private long reference;
    private long lastTrade = Price.NONE;
    private double quotedFair;
    private boolean enabled = true;

    SymbolSim(Instrument instrument, SimulatorOptions o, String[] makerAccounts, String[] noiseAccounts) {
        this.instrument = instrument;
        this.reference = instrument.prevClose();
        this.fair = new FairValue(reference, instrument.bandPercent(), o.volatilityPerHour(), o.fairValueRange());
        this.makers = new MarketMaker[makerAccounts.length];
        for (int i = 0; i < makers.length; i++) {
            makers[i] = new MarketMaker(makerAccounts[i]);
        }
        this.noise = new NoiseFlow(instrument.symbol(), noiseAccounts);
        this.quotedFair = fair.value();
    }

    void onTrade(long price) {
        lastTrade = price;
    }

    /** A trading day ended: the engine now bands around the last trade price. */
    void rollDay() {
        if (lastTrade != Price.NONE) {
            reference = lastTrade;
            fair.reanchor(reference, instrument.bandPercent());
        }
    }

    void walk(long dtMillis, SplittableRandom random) {
        fair.step(dtMillis, random);
    }

    /** Re-quotes the makers and sends noise orders for one step. */
    void trade(OrderEntry entry, SimulatorOptions o, long dtMillis, long now, SplittableRandom random) {
        double f = fair.value();
        Quote q = new Quote(instrument, reference, f, o);
        long[] sizes = q.sizes(random);
        Side receding = f >= quotedFair ? Side.SELL : Side.BUY;
        for (MarketMaker m : makers) {
            m.quote(entry, instrument.symbol(), receding, q.ladder(receding), sizes);
        }
        for (MarketMaker m : makers) {
            m.quote(entry, instrument.symbol(), receding.opposite(), q.ladder(receding.opposite()), sizes);
        }
        quotedFair = f;
        noise.step(entry, q, o.ordersPerSecond() * dtMillis / 1000.0, now, o.noiseOrderLifetimeMillis(), random);
    }

    void withdraw(OrderEntry entry) {
        for (MarketMaker m : makers) {
            m.withdraw(entry);
        }
        noise.withdraw(entry);
    }

    boolean isEnabled() {
        return enabled;
    }

    void setEnabled(boolean on) {
        enabled = on;
    }

    double fairValue() {
        return fair.value();
    }

    long reference() {
        return reference;
    }
}
