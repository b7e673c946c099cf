package org.opentrade.exchange.domain.sim;

import java.util.Set;

/**
 * How the liquidity simulator behaves. Validated on construction: a bad value fails fast with a
 * message naming the field and the allowed range.
 *
 * @param enabled                  master switch; off sends nothing (and cancels what it has resting)
 * @param seed                     random seed: the same seed, start time and event feed give the same
 *                                 commands
 * @param ordersPerSecond          noise-trader orders per instrument per second (Poisson arrivals). Higher:
 *                                 more trades and more engine load; 32 instruments at 0.5 is ~16 orders/s
 * @param makers                   market makers per instrument (accounts {@code sim-mm-1..n})
 * @param levels                   price levels each maker quotes per side
 * @param spreadSteps              inside spread, in price steps (a step is {@code stepBps} of the fair
 *                                 value, at least one tick: on a 10-yuan stock a step is one tick)
 * @param stepBps                  price step in basis points of the fair value; also the level spacing
 * @param levelNotional            yuan each maker shows per level (rounded to board lots, at least one):
 *                                 larger means deeper books that noise orders rarely sweep
 * @param volatilityPerHour        standard deviation of the fair value's log return over one hour
 * @param fairValueRange           how far the fair value may wander from the band's reference price, as
 *                                 a share of the band (0.4 of ±10% = ±4%); keeps every quote well inside
 *                                 the daily band
 * @param noiseTraders             noise-trader accounts ({@code sim-noise-1..n}) shared by all instruments
 * @param noiseOrderLifetimeMillis a resting noise order is canceled after this long
 * @param disabledSymbols          instruments the simulator leaves alone
 */
public record SimulatorOptions(boolean enabled, long seed, double ordersPerSecond, int makers, int levels,
                               int spreadSteps, int stepBps, long levelNotional, double volatilityPerHour,
                               double fairValueRange, int noiseTraders, long noiseOrderLifetimeMillis,
                               Set<String> disabledSymbols) {
    public static final boolean DEFAULT_ENABLED = true;
    public static final long DEFAULT_SEED = 20260101L;
    public static final double DEFAULT_ORDERS_PER_SECOND = 0.5;
    public static final int DEFAULT_MAKERS = 2;
    public static final int DEFAULT_LEVELS = 5;
    public static final int DEFAULT_SPREAD_STEPS = 2;
    public static final int DEFAULT_STEP_BPS = 5;
    public static final long DEFAULT_LEVEL_NOTIONAL = 300_000;
    public static final double DEFAULT_VOLATILITY_PER_HOUR = 0.01;
    public static final double DEFAULT_FAIR_VALUE_RANGE = 0.4;
    public static final int DEFAULT_NOISE_TRADERS = 8;
    public static final long DEFAULT_NOISE_ORDER_LIFETIME_MILLIS = 60_000;

    public SimulatorOptions {
        check(ordersPerSecond >= 0 && ordersPerSecond <= 1_000, "ordersPerSecond", "0..1000", ordersPerSecond);
        check(makers >= 1 && makers <= 10, "makers", "1..10", makers);
        check(levels >= 1 && levels <= 20, "levels", "1..20", levels);
        check(spreadSteps >= 1 && spreadSteps <= 50, "spreadSteps", "1..50", spreadSteps);
        check(stepBps >= 1 && stepBps <= 100, "stepBps", "1..100", stepBps);
        check(levelNotional >= 1 && levelNotional <= 1_000_000_000L, "levelNotional", "1..1000000000",
                levelNotional);
        check(volatilityPerHour >= 0 && volatilityPerHour <= 0.5, "volatilityPerHour", "0..0.5", volatilityPerHour);
        check(fairValueRange >= 0 && fairValueRange <= 0.8, "fairValueRange", "0..0.8", fairValueRange);
        check(noiseTraders >= 1 && noiseTraders <= 1_000, "noiseTraders", "1..1000", noiseTraders);
        check(noiseOrderLifetimeMillis >= 1_000, "noiseOrderLifetimeMillis", ">= 1000", noiseOrderLifetimeMillis);
        disabledSymbols = disabledSymbols == null ? Set.of() : Set.copyOf(disabledSymbols);
    }

    private static void check(boolean ok, String field, String allowed, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("simulator " + field + " must be in " + allowed + ", got " + value);
        }
    }

    /** Every field at its DEFAULT_* value. */
    public static SimulatorOptions defaults() {
        return new SimulatorOptions(DEFAULT_ENABLED, DEFAULT_SEED, DEFAULT_ORDERS_PER_SECOND, DEFAULT_MAKERS,
                DEFAULT_LEVELS, DEFAULT_SPREAD_STEPS, DEFAULT_STEP_BPS, DEFAULT_LEVEL_NOTIONAL,
                DEFAULT_VOLATILITY_PER_HOUR, DEFAULT_FAIR_VALUE_RANGE, DEFAULT_NOISE_TRADERS,
                DEFAULT_NOISE_ORDER_LIFETIME_MILLIS, Set.of());
    }

    public SimulatorOptions withEnabled(boolean on) {
        return new SimulatorOptions(on, seed, ordersPerSecond, makers, levels, spreadSteps, stepBps, levelNotional,
                volatilityPerHour, fairValueRange, noiseTraders, noiseOrderLifetimeMillis, disabledSymbols);
    }

    public SimulatorOptions withSeed(long s) {
        return new SimulatorOptions(enabled, s, ordersPerSecond, makers, levels, spreadSteps, stepBps, levelNotional,
                volatilityPerHour, fairValueRange, noiseTraders, noiseOrderLifetimeMillis, disabledSymbols);
    }

    public SimulatorOptions withOrdersPerSecond(double rate) {
        return new SimulatorOptions(enabled, seed, rate, makers, levels, spreadSteps, stepBps, levelNotional,
                volatilityPerHour, fairValueRange, noiseTraders, noiseOrderLifetimeMillis, disabledSymbols);
    }

    public SimulatorOptions withDisabledSymbols(Set<String> symbols) {
        return new SimulatorOptions(enabled, seed, ordersPerSecond, makers, levels, spreadSteps, stepBps,
                levelNotional, volatilityPerHour, fairValueRange, noiseTraders, noiseOrderLifetimeMillis, symbols);
    }
}
