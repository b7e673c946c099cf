package org.opentrade.market.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.opentrade.exchange.model.Side;

/**
 * The independent computation the domain tests compare with: seeded trade streams, and bars, day
 * statistics and minute lines computed by brute force — grouping raw trades by keys computed with
 * java.time directly, never through {@link MarketCalendar}, {@link LiveSymbol} or {@link KlineRollup}.
 */
final class Reference {
    static final ZoneId SH = ZoneId.of("Asia/Shanghai");
    static final String SYMBOL = "600000.SH";
    /** History that keeps nothing (tests of the live side). */
    static final org.opentrade.market.port.HistorySink NO_HISTORY = org.opentrade.market.port.NoHistory.INSTANCE;

    /** One input event: a trade, or (trade == null) a clock tick. */
    record Event(long time, Trade trade) {
        static Event tick(long time) {
            return new Event(time, null);
        }
    }

    private Reference() {
    }

    static Instrument instrument(long prevClose) {
        return new Instrument(SYMBOL, "Test", "SH_MAIN", prevClose, 1, 100, 1_000_000, 10, 2_000_000, 45);
    }

    static long ms(LocalDateTime local) {
        return local.atZone(SH).toInstant().toEpochMilli();
    }

    /**
     * A 24×7 stream from {@code from} to {@code to} (local): mostly seconds apart, sometimes minutes
     * or hours (empty minutes, empty days), trades stamped a few ms behind the clock (late trades),
     * ticks, snaps to minute starts, and trades at 14:59:59.999 and 15:00:00.000 of every day.
     */
    static List<Event> continuousStream(long seed, LocalDateTime from, LocalDateTime to, boolean lateTrades) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Event> out = new ArrayList<>();
        long clock = ms(from);
        long end = ms(to);
        long price = 1000;
        long seq = 0;
        while (clock < end) {
            int kind = r.nextInt(1000);
            long gap = kind < 700 ? (long) (-Math.log(1 - r.nextDouble()) * 20_000)
                    : kind < 997 ? 60_000 + r.nextLong(240_000) : 3_600_000 + r.nextLong(7 * 3_600_000L);
            long next = clock + gap;
            LocalDateTime lt = Instant.ofEpochMilli(clock).atZone(SH).toLocalDateTime();
            long dayEnd = ms(lt.toLocalDate().atTime(15, 0));
            if (clock < dayEnd - 1 && next >= dayEnd - 1) {
                // Both sides of the 15:00 trading-day boundary, to the millisecond.
                price = walk(r, price);
                out.add(new Event(dayEnd - 1, trade(++seq, dayEnd - 1, price, r)));
                price = walk(r, price);
                out.add(new Event(dayEnd, trade(++seq, dayEnd, price, r)));
                clock = dayEnd;
                continue;
            }
            clock = next;
            if (r.nextInt(20) == 0) {
                clock = (clock / 60_000 + 1) * 60_000; // a minute start (Shanghai has whole-hour offset)
            }
            if (r.nextInt(5) == 0) {
                out.add(Event.tick(clock));
                continue;
            }
            price = walk(r, price);
            long stamp = lateTrades && r.nextInt(4) == 0 ? clock - r.nextInt(6) : clock;
            out.add(new Event(stamp, trade(++seq, stamp, price, r)));
        }
        return out;
    }

    /**
     * An A-share stream over {@code days}: an auction trade at 09:25, continuous trades in the
     * sessions (with empty minutes), ticks at the lunch break and after the close.
     */
    static List<Event> aShareStream(long seed, List<LocalDate> days) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Event> out = new ArrayList<>();
        long price = 1000;
        long seq = 0;
        for (LocalDate d : days) {
            long auction = ms(d.atTime(9, 25));
            price = walk(r, price);
            out.add(new Event(auction, trade(++seq, auction, price, r)));
            for (LocalTime[] session : new LocalTime[][] {{LocalTime.of(9, 30), LocalTime.of(11, 30)},
                    {LocalTime.of(13, 0), LocalTime.of(15, 0)}}) {
                long t = ms(d.atTime(session[0]));
                long sessionEnd = ms(d.atTime(session[1]));
                while (true) {
                    t += r.nextInt(10) == 0 ? 60_000 + r.nextLong(300_000) : r.nextLong(40_000);
                    if (t >= sessionEnd) {
                        break;
                    }
                    price = walk(r, price);
                    out.add(new Event(t, trade(++seq, t, price, r)));
                }
                out.add(Event.tick(sessionEnd + 1));
            }
        }
        return out;
    }

    private static long walk(SplittableRandom r, long price) {
        return Math.max(900, Math.min(1100, price + r.nextInt(7) - 3));
    }

    private static Trade trade(long seq, long time, long price, SplittableRandom r) {
        return new Trade(0, seq, SYMBOL, time, price, 100L * (1 + r.nextInt(50)), r.nextBoolean() ? Side.BUY : Side.SELL);
    }

    /** The trades with their effective time: the latest time seen so far (trades and ticks). */
    static List<Trade> effective(List<Event> events) {
        List<Trade> out = new ArrayList<>();
        long clock = Long.MIN_VALUE;
        for (Event e : events) {
            clock = Math.max(clock, e.time());
            if (e.trade() != null) {
                Trade t = e.trade();
                out.add(new Trade(t.shard(), t.seq(), t.symbol(), clock, t.price(), t.qty(), t.aggressor()));
            }
        }
        return out;
    }

    static LocalDate tradingDay(long ms, boolean continuous) {
        ZonedDateTime z = Instant.ofEpochMilli(ms).atZone(SH);
        return continuous && z.getHour() >= 15 ? z.toLocalDate().plusDays(1) : z.toLocalDate();
    }

    static long key(Interval iv, long ms, boolean continuous) {
        ZonedDateTime z = Instant.ofEpochMilli(ms).atZone(SH);
        LocalDate day = tradingDay(ms, continuous);
        ZonedDateTime k = switch (iv) {
            case M1 -> z.truncatedTo(ChronoUnit.MINUTES);
            case M5, M15, M30, M60 -> continuous ? z.truncatedTo(ChronoUnit.HOURS)
                    .plusMinutes(z.getMinute() / iv.minutes() * iv.minutes()) : aShareBar(z, iv.minutes());
            case D1 -> day.atStartOfDay(SH);
            case W1 -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(SH);
            case MN1 -> day.withDayOfMonth(1).atStartOfDay(SH);
        };
        return k.toInstant().toEpochMilli();
    }

    /**
     * The A-share bar of {@code minutes} holding local time {@code z}: the bars of a session start at its open
     * (09:30 or 13:00) every {@code minutes}; a time before 13:00 is in the morning's, a later one in the
     * afternoon's; it belongs to the last bar starting at or before it, or the session's first bar if none does.
     */
    static ZonedDateTime aShareBar(ZonedDateTime z, int minutes) {
        boolean morning = z.getHour() < 13;
        ZonedDateTime open = z.toLocalDate().atTime(morning ? 9 : 13, morning ? 30 : 0).atZone(SH);
        ZonedDateTime found = open;
        for (ZonedDateTime s = open; s.isBefore(open.plusHours(2)); s = s.plusMinutes(minutes)) {
            if (!s.isAfter(z)) {
                found = s;
            }
        }
        return found;
    }

    /** Bars of {@code iv} from trades (effective times), oldest first. */
    static List<Bar> bars(Interval iv, List<Trade> trades, boolean continuous) {
        Map<Long, List<Trade>> groups = new TreeMap<>();
        for (Trade t : trades) {
            groups.computeIfAbsent(key(iv, t.time(), continuous), k -> new ArrayList<>()).add(t);
        }
        List<Bar> out = new ArrayList<>();
        groups.forEach((time, ts) -> out.add(bar(iv, time, ts)));
        return out;
    }

    static Bar bar(Interval iv, long time, List<Trade> ts) {
        long high = ts.stream().mapToLong(Trade::price).max().orElseThrow();
        long low = ts.stream().mapToLong(Trade::price).min().orElseThrow();
        long volume = ts.stream().mapToLong(Trade::qty).sum();
        long turnover = ts.stream().mapToLong(t -> t.price() * t.qty()).sum();
        long buy = ts.stream().filter(t -> t.aggressor() == Side.BUY).mapToLong(Trade::qty).sum();
        return new Bar(SYMBOL, iv, time, ts.get(0).price(), high, low, ts.get(ts.size() - 1).price(), volume,
                turnover, ts.size(), buy);
    }

    /** Basis points of a percent, half away from zero, by BigDecimal. */
    static long bp(long numerator, long denominator) {
        if (denominator == 0) {
            return 0;
        }
        return BigDecimal.valueOf(numerator).multiply(BigDecimal.valueOf(10_000))
                .divide(BigDecimal.valueOf(denominator), 0, RoundingMode.HALF_UP).longValueExact();
    }

    static long divHalfUp(long numerator, long denominator) {
        return BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    /** Session minute starts of {@code day}, by java.time loops. */
    static List<Long> sessionMinutes(LocalDate day, boolean continuous) {
        List<Long> out = new ArrayList<>();
        if (continuous) {
            for (LocalDateTime t = day.minusDays(1).atTime(15, 0); t.isBefore(day.atTime(15, 0)); t = t.plusMinutes(1)) {
                out.add(ms(t));
            }
        } else {
            for (LocalTime t = LocalTime.of(9, 30); t.isBefore(LocalTime.of(11, 30)); t = t.plusMinutes(1)) {
                out.add(ms(day.atTime(t)));
            }
            for (LocalTime t = LocalTime.of(13, 0); t.isBefore(LocalTime.of(15, 0)); t = t.plusMinutes(1)) {
                out.add(ms(day.atTime(t)));
            }
        }
        return out;
    }

    /**
     * The minute line of {@code day} at {@code now}: each trade of the day goes to the first session
     * minute at or after its own minute (the last one when none), points up to {@code now}.
     */
    static List<MinutePoint> minuteLine(List<Trade> trades, LocalDate day, boolean continuous, long prevClose,
                                        long now) {
        List<Long> minutes = sessionMinutes(day, continuous);
        long[] vol = new long[minutes.size()];
        long[] tv = new long[minutes.size()];
        Long[] close = new Long[minutes.size()];
        for (Trade t : trades) {
            if (!tradingDay(t.time(), continuous).equals(day)) {
                continue;
            }
            long m = key(Interval.M1, t.time(), continuous);
            int i = 0;
            while (i < minutes.size() - 1 && minutes.get(i) < m) {
                i++;
            }
            vol[i] += t.qty();
            tv[i] += t.price() * t.qty();
            close[i] = t.price();
        }
        List<MinutePoint> out = new ArrayList<>();
        long price = prevClose;
        long cv = 0;
        long ct = 0;
        for (int i = 0; i < minutes.size() && minutes.get(i) <= now; i++) {
            if (close[i] != null) {
                price = close[i];
            }
            cv += vol[i];
            ct += tv[i];
            out.add(new MinutePoint(minutes.get(i), price, vol[i], tv[i], cv == 0 ? price : divHalfUp(ct, cv)));
        }
        return out;
    }
}
