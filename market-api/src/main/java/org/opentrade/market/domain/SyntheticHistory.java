package org.opentrade.market.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic history for a fresh install (the backfill), so K-lines are not empty on day
 * one. The price model is the exchange simulator's fair value: a geometric random walk with
 * Gaussian steps (Box–Muller on {@link SplittableRandom}, σ per √ms = volatilityPerHour / √3 600 000),
 * reflected so that each day stays inside its price band. The walk is generated backwards from the
 * instrument's previous close (a reversed Brownian motion is one too), so the very last bar closes
 * exactly at {@code prevClose} and live trading continues seamlessly.
 *
 * <p>Each minute holds {@value #TRADES_PER_MINUTE} trades 10 s apart; a bar's open/high/low/close
 * come from them, volume is their sum (whole board lots of 100, more near the open and the close),
 * turnover the exact Σ price × qty, and an uptick counts as an active buy. Pure function; any
 * thread; about 2 µs per bar.
 */
public final class SyntheticHistory {
    /** Trades per generated minute: enough for a plausible high/low, cheap to generate. */
    public static final int TRADES_PER_MINUTE = 6;
    private static final int MINUTES_PER_DAY = 240;
    private static final int POINTS_PER_DAY = MINUTES_PER_DAY * TRADES_PER_MINUTE;
    private static final long STEP_MS = 60_000L / TRADES_PER_MINUTE;
    /** The overnight gap moves the price like this much continuous trading. */
    private static final long OVERNIGHT_MS = 30 * 60_000L;
    /**
     * Each day's prices and the previous close stay within ±(this share of the band) of the day's
     * close, so every price is inside the band around the previous close for bands up to 125 %.
     */
    private static final double RANGE_SHARE_OF_BAND = 0.4;
    /** The end of a generated day's last minute (14:59 starts it), local time, as on the A-share calendar. */
    public static final LocalTime SESSIONS_END = LocalTime.of(15, 0);
    /** From the morning session's start to the afternoon's end: 09:30-11:30 and 13:00-15:00. */
    private static final long SESSIONS_SPAN_MINUTES = 5 * 60 + 30;
    /** From the morning session's start to the afternoon's (the lunch break included). */
    private static final long AFTERNOON_AFTER_MINUTES = 3 * 60 + 30;
    private static final long LOT = 100;

    private SyntheticHistory() {
    }

    /**
     * When a generated day's sessions end on {@code calendar}: 15:00 (09:30-11:30 and 13:00-15:00), unless its
     * trading day ends inside those hours (the 24×7 calendar's {@code day_end} after 09:30 and before 15:00);
     * then at the day end, the same 5½ hours moved earlier. Sessions across the day end put each generated day
     * into two trading days' 1d bars (a day end of 12:00 made 30 minutes of one day and 210 of the next).
     */
    public static LocalTime sessionsEnd(MarketCalendar calendar) {
        LocalTime dayEnd = calendar.dayEnd();
        boolean inside = calendar.kind() == MarketCalendar.Kind.CONTINUOUS
                && dayEnd.isAfter(SESSIONS_END.minusMinutes(SESSIONS_SPAN_MINUTES)) && dayEnd.isBefore(SESSIONS_END);
        return inside ? dayEnd : SESSIONS_END;
    }

    /**
     * A-share session 1m bars (09:30–11:29 and 13:00–14:59 local starts, 240 per day) of the
     * {@code tradingDays} weekdays ending with {@code lastDay} (or the weekday before it, when it is
     * a weekend day), oldest first, leaving out the days {@code holiday} names. Same inputs, same bars.
     *
     * @param volatilityPerHour standard deviation of the log price over one hour of trading, e.g.
     *                          0.01; 0 gives a flat line at prevClose
     * @throws IllegalArgumentException for tradingDays &lt; 1, a negative volatility or an instrument
     *                                  without a positive previous close
     */
    public static List<Bar> minuteBars(Instrument instrument, LocalDate lastDay, int tradingDays, long seed,
                                       double volatilityPerHour, ZoneId zone) {
        return minuteBars(instrument, lastDay, tradingDays, seed, volatilityPerHour, zone, d -> false, SESSIONS_END);
    }

    /**
     * As above, leaving out the {@code holiday} days, with the sessions ending at {@code sessionsEnd} (local time,
     * {@link #sessionsEnd}) instead of 15:00: the same bars, moved by the difference.
     */
    public static List<Bar> minuteBars(Instrument instrument, LocalDate lastDay, int tradingDays, long seed,
                                       double volatilityPerHour, ZoneId zone,
                                       java.util.function.Predicate<LocalDate> holiday, LocalTime sessionsEnd) {
        if (sessionsEnd.isBefore(LocalTime.MIN.plusMinutes(SESSIONS_SPAN_MINUTES))) {
            throw new IllegalArgumentException("sessions must end at " + LocalTime.MIN.plusMinutes(SESSIONS_SPAN_MINUTES)
                    + " or later (they last 5.5 h within one date), got " + sessionsEnd);
        }
        if (tradingDays < 1) {
            throw new IllegalArgumentException("tradingDays must be >= 1, got " + tradingDays);
        }
        if (!(volatilityPerHour >= 0)) {
            throw new IllegalArgumentException("volatilityPerHour must be >= 0, got " + volatilityPerHour);
        }
        if (instrument.prevClose() <= 0) {
            throw new IllegalArgumentException(instrument.symbol() + " has no previous close");
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + instrument.symbol().hashCode());
        List<LocalDate> days = weekdaysEndingWith(lastDay, tradingDays, holiday);
        double[] logs = backwardWalk(days.size(), random, volatilityPerHour, instrument.bandPercent());
        long[] prices = toPrices(logs, instrument);
        LocalTime morning = sessionsEnd.minusMinutes(SESSIONS_SPAN_MINUTES);
        return bars(instrument, days, prices, random.split(), zone, morning, morning.plusMinutes(AFTERNOON_AFTER_MINUTES));
    }

    private static List<LocalDate> weekdaysEndingWith(LocalDate lastDay, int n,
                                                      java.util.function.Predicate<LocalDate> holiday) {
        List<LocalDate> days = new ArrayList<>(n);
        for (LocalDate d = lastDay; days.size() < n; d = d.minusDays(1)) {
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY && !holiday.test(d)) {
                days.add(0, d);
            }
        }
        return days;
    }

    /**
     * ln(price / prevClose) at every trade point, plus one leading point: the close of the day
     * before the first (the first day's band reference). Index 0 is that point; day d's points are
     * {@code 1 + d × POINTS_PER_DAY …}.
     */
    private static double[] backwardWalk(int dayCount, SplittableRandom random, double volatilityPerHour,
                                         int bandPercent) {
        double sigmaPerSqrtMilli = volatilityPerHour / Math.sqrt(3_600_000.0);
        double step = sigmaPerSqrtMilli * Math.sqrt(STEP_MS);
        double overnight = sigmaPerSqrtMilli * Math.sqrt(OVERNIGHT_MS);
        double band = bandPercent == 0 ? 0.1 : bandPercent / 100.0;
        double bound = Math.log1p(band * RANGE_SHARE_OF_BAND);
        double[] x = new double[1 + dayCount * POINTS_PER_DAY];
        x[x.length - 1] = 0;
        for (int d = dayCount - 1; d >= 0; d--) {
            int first = 1 + d * POINTS_PER_DAY;
            int lastPoint = first + POINTS_PER_DAY - 1;
            double anchor = x[lastPoint];
            for (int i = lastPoint; i > first; i--) {
                x[i - 1] = reflect(x[i] + step * gaussian(random), anchor, bound);
            }
            x[first - 1] = reflect(x[first] + overnight * gaussian(random), anchor, bound);
        }
        return x;
    }

    /** Keeps {@code v} within {@code anchor ± bound} by reflection, as the simulator's fair value does. */
    private static double reflect(double v, double anchor, double bound) {
        double off = v - anchor;
        if (off > bound) {
            off = 2 * bound - off;
        }
        if (off < -bound) {
            off = -2 * bound - off;
        }
        return anchor + Math.max(-bound, Math.min(bound, off));
    }

    /** Rounds to ticks, keeps each day inside the band of the previous day's close; the last is prevClose. */
    private static long[] toPrices(double[] logs, Instrument instrument) {
        long tick = Math.max(1, instrument.tickSize());
        long prevClose = instrument.prevClose();
        long[] p = new long[logs.length];
        for (int i = 0; i < logs.length; i++) {
            p[i] = Math.max(tick, Math.round(prevClose * Math.exp(logs[i]) / tick) * tick);
        }
        p[p.length - 1] = prevClose;
        if (instrument.bandPercent() > 0) {
            for (int first = 1; first < p.length; first += POINTS_PER_DAY) {
                long reference = p[first - 1];
                long upper = upperLimit(reference, instrument.bandPercent(), tick);
                long lower = lowerLimit(reference, instrument.bandPercent(), tick);
                int end = first + POINTS_PER_DAY - (first + POINTS_PER_DAY == p.length ? 1 : 0);
                for (int i = first; i < end; i++) {
                    p[i] = Math.max(lower, Math.min(upper, p[i]));
                }
            }
        }
        return p;
    }

    /** The exchange's band limits (sandbox-exchange Instrument): rounded half up, then to the tick. */
    static long upperLimit(long reference, int bandPercent, long tick) {
        long raw = (reference * (100 + bandPercent) + 50) / 100;
        return raw / tick * tick;
    }

    static long lowerLimit(long reference, int bandPercent, long tick) {
        long raw = (reference * (100 - bandPercent) + 50) / 100;
        return (raw + tick - 1) / tick * tick;
    }

    private static List<Bar> bars(Instrument instrument, List<LocalDate> days, long[] p, SplittableRandom random,
                                  ZoneId zone, LocalTime morningStart, LocalTime afternoonStart) {
        double meanLots = instrument.floatShares() > 0
                ? Math.max(1.0, instrument.floatShares() * 0.01 / (POINTS_PER_DAY * (double) LOT))
                : 10.0;
        List<Bar> out = new ArrayList<>(days.size() * MINUTES_PER_DAY);
        for (int d = 0; d < days.size(); d++) {
            long morning = days.get(d).atTime(morningStart).atZone(zone).toInstant().toEpochMilli();
            long afternoon = days.get(d).atTime(afternoonStart).atZone(zone).toInstant().toEpochMilli();
            for (int m = 0; m < MINUTES_PER_DAY; m++) {
                long time = m < MINUTES_PER_DAY / 2 ? morning + m * 60_000L
                        : afternoon + (m - MINUTES_PER_DAY / 2) * 60_000L;
                // More volume near the open and the close (the intraday U).
                double shape = 1 + 1.5 * Math.exp(-m / 20.0) + 0.8 * Math.exp(-(MINUTES_PER_DAY - 1 - m) / 20.0);
                BarBuilder b = new BarBuilder(time);
                int first = 1 + d * POINTS_PER_DAY + m * TRADES_PER_MINUTE;
                for (int i = first; i < first + TRADES_PER_MINUTE; i++) {
                    long lots = 1 + (long) (-Math.log(1.0 - random.nextDouble()) * meanLots * shape);
                    boolean buy = p[i] > p[i - 1] || (p[i] == p[i - 1] && random.nextBoolean());
                    b.addTrade(p[i], lots * LOT, buy);
                }
                out.add(b.build(instrument.symbol(), Interval.M1));
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller, as the simulator's FairValue: SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
