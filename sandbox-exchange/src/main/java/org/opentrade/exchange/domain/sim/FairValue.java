package org.opentrade.exchange.domain.sim;

import java.util.SplittableRandom;

/**
 * An instrument's fair value: a geometric random walk around an anchor (the band's reference
 * price), reflected at ±{@code range} so it never drifts near the band limits. Prices in
 * hundredths, held as a double between steps and rounded to ticks by whoever quotes around it.
 */
final class FairValue {
    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    private final double sigmaPerSqrtMilli;
    private final double rangeShareOfBand;
    private double anchor;
    private double bound;
    /** ln(fair / anchor), kept inside [-bound, bound]. */
    private double offset;

    FairValue(long anchor, int bandPercent, double volatilityPerHour, double rangeShareOfBand) {
        this.sigmaPerSqrtMilli = volatilityPerHour / Math.sqrt(MILLIS_PER_HOUR);
        this.rangeShareOfBand = rangeShareOfBand;
        reanchor(anchor, bandPercent);
    }

    /** Advances the walk by {@code dtMillis}. */
    void step(long dtMillis, SplittableRandom random) {
        if (dtMillis <= 0 || bound == 0) {
            return;
        }
        offset += sigmaPerSqrtMilli * Math.sqrt(dtMillis) * gaussian(random);
        if (offset > bound) {
            offset = 2 * bound - offset;
        }
        if (offset < -bound) {
            offset = -2 * bound - offset;
        }
        offset = Math.max(-bound, Math.min(bound, offset));
    }

    /** Moves the anchor (a new trading day's reference price), keeping the fair value where it is if it fits. */
    void reanchor(long newAnchor, int bandPercent) {
        double fair = anchor == 0 ? newAnchor : value();
        anchor = newAnchor;
        double share = bandPercent == 0 ? 0.1 : bandPercent / 100.0;
        bound = Math.log1p(share * rangeShareOfBand);
        offset = Math.max(-bound, Math.min(bound, Math.log(fair / anchor)));
    }

    double value() {
        return anchor * Math.exp(offset);
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
