package org.opentrade.market.domain;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Set;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.SessionPhase;
import org.opentrade.exchange.model.TradingCalendar;

/**
 * Which trading day a moment belongs to, and where bars start, on the exchange's local clock
 * (Asia/Shanghai by default). Mirrors the exchange's calendar: with {@link Kind#CONTINUOUS} (24×7)
 * a trading day ends at {@code dayEnd} local time, so a trade at 15:00:00 or later belongs to the
 * next day; with {@link Kind#A_SHARE} the trading day is the local date of the session (a weekend or
 * holiday belongs to the trading day before it: its figures stay on show).
 *
 * <p>Bar starts: 1m bars are whole minutes of the local clock. The other intraday intervals are
 * counted from the trading day's start on the 24×7 calendar (with the default dayEnd 15:00 the local clock's
 * 5m at :00, :05 …, 60m at the full hour; with 15:30, 60m at 15:30, 16:30 …, so no bar straddles two days) and
 * counted from each session's open on the A-share one, as A-share charts count them: 60m bars start at
 * 09:30, 10:30, 13:00 and 14:00 (not 09:00 … 14:00, which made a half-hour 09:00 bar and an 11:00 bar
 * of 30 minutes); a trade outside the sessions belongs to the session bar nearest it in its half of the
 * day, so the 09:25 opening auction is in the first bar of the morning (its 1m bar stays 09:25). Such a
 * bar's period ({@link #barSpanStart} to {@link #nextBarStart}) can then start before its time. 1d is the
 * trading day's local midnight; 1w the Monday of the trading day's week; 1M the first of its month.
 * Immutable and thread-safe.
 */
public final class MarketCalendar {
    /** The exchange calendar types of exchange.yaml. */
    public enum Kind { CONTINUOUS, A_SHARE }

    private static final long MINUTE = 60_000L;
    /** A-share continuous sessions: 09:30–11:30 and 13:00–15:00, 120 minutes each. */
    private static final int A_SHARE_SESSION_MINUTES = 240;
    private static final LocalTime MORNING_OPEN = LocalTime.of(9, 30);
    private static final LocalTime AFTERNOON_OPEN = LocalTime.of(13, 0);

    private final Kind kind;
    private final ZoneId zone;
    private final LocalTime dayEnd;
    private final TradingCalendar sessions;
    private final Set<LocalDate> holidays;

    /**
     * Fails fast on a missing argument or a {@code dayEnd} that is not a whole minute: minute bars
     * must never straddle two trading days.
     */
    public MarketCalendar(Kind kind, ZoneId zone, LocalTime dayEnd) {
        this(kind, zone, dayEnd, Set.of());
    }

    /** @param holidays the A-share calendar's exchange holidays (no sessions on them) */
    public MarketCalendar(Kind kind, ZoneId zone, LocalTime dayEnd, Set<LocalDate> holidays) {
        if (kind == null || zone == null || dayEnd == null) {
            throw new IllegalArgumentException("calendar kind, zone and dayEnd are required");
        }
        if (dayEnd.getSecond() != 0 || dayEnd.getNano() != 0) {
            throw new IllegalArgumentException("calendar dayEnd must be a whole minute, got " + dayEnd);
        }
        this.kind = kind;
        this.zone = zone;
        this.dayEnd = dayEnd;
        this.sessions = kind == Kind.A_SHARE ? new AShareCalendar(holidays) : new ContinuousCalendar(zone, dayEnd);
        this.holidays = kind == Kind.A_SHARE ? Set.copyOf(holidays) : Set.of();
    }

    /** The all-in-one's default: 24×7, days ending at 15:00 Asia/Shanghai. */
    public static MarketCalendar shanghaiContinuous() {
        return new MarketCalendar(Kind.CONTINUOUS, ZoneId.of("Asia/Shanghai"), LocalTime.of(15, 0));
    }

    /**
     * Whether the exchange matches orders as they come at {@code epochMs}: always on the 24×7 calendar; on
     * the A-share one outside the call auction and pre-open (and the break and the night).
     */
    public boolean matchesAt(long epochMs) {
        return sessions.phaseAt(epochMs).matches();
    }

    /**
     * Whether a bar of {@code interval} ({@link Interval#M1} or {@link Interval#D1}) starting at {@code barStart}
     * can hold trades: a 1d bar a trading day's (not a weekend's or holiday's on the A-share calendar); a 1m bar a
     * minute of continuous matching or the minute the opening auction uncrosses in (09:25 on the A-share calendar,
     * whose trades start that minute's bar). Always true on the 24×7 calendar.
     */
    public boolean hasTrading(Interval interval, long barStart) {
        return switch (interval) {
            case D1 -> tradingDay(barStart).equals(localDay(barStart));
            case M1 -> sessions.phaseAt(barStart).matches()
                    || sessions.phaseAt(barStart - 1) == SessionPhase.CALL_AUCTION
                    && sessions.phaseAt(barStart) != SessionPhase.CALL_AUCTION;
            default -> throw new IllegalArgumentException("only 1m and 1d bars are asked, not " + interval.code());
        };
    }

    /** Whether {@code day} is one of the A-share calendar's exchange holidays (never on the 24×7 calendar). */
    public boolean isHoliday(LocalDate day) {
        return holidays.contains(day);
    }

    /** The exchange's session schedule (the engine's own calendar, with its holidays). */
    public TradingCalendar sessions() {
        return sessions;
    }

    public Kind kind() {
        return kind;
    }

    public ZoneId zone() {
        return zone;
    }

    public LocalTime dayEnd() {
        return dayEnd;
    }

    /**
     * The trading day of the moment {@code epochMs}: the day whose statistics it shows. On the A-share calendar a
     * weekend or holiday shows the trading day before it, as A-share terminals do until the next one starts.
     */
    public LocalDate tradingDay(long epochMs) {
        LocalDate date = localDay(epochMs);
        if (kind == Kind.A_SHARE) {
            AShareCalendar days = (AShareCalendar) sessions;
            for (int back = 0; back < MAX_DAYS_WITHOUT_TRADING && !days.isTradingDay(date); back++) {
                date = date.minusDays(1);
            }
        }
        return date;
    }

    /** Longest run of days without trading {@link #tradingDay} looks back over (the Spring Festival is 9 with weekends). */
    private static final int MAX_DAYS_WITHOUT_TRADING = 31;

    /**
     * The calendar date of the moment {@code epochMs}: the exchange's local date, and on the 24×7 calendar, from
     * the day end on, the next one (its trading day). A weekend day or a holiday is itself.
     */
    public LocalDate localDay(long epochMs) {
        ZonedDateTime local = Instant.ofEpochMilli(epochMs).atZone(zone);
        LocalDate date = local.toLocalDate();
        if (kind == Kind.CONTINUOUS && !local.toLocalTime().isBefore(dayEnd)) {
            return date.plusDays(1);
        }
        return date;
    }

    /** The first moment (epoch ms) that belongs to {@code day}. */
    public long tradingDayStart(LocalDate day) {
        if (kind == Kind.CONTINUOUS) {
            return day.minusDays(1).atTime(dayEnd).atZone(zone).toInstant().toEpochMilli();
        }
        return day.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** The start (epoch ms) of the bar of {@code interval} that contains {@code epochMs}: its time. */
    public long barStart(Interval interval, long epochMs) {
        if (sessionCounted(interval)) {
            return aShareBar(interval, epochMs)[0];
        }
        if (interval.isIntraday()) {
            // Counted from the trading day's start (the day before's dayEnd), so no bar holds minutes of two trading
            // days and a day's bars add up to its 1d bar: the local clock's :00, :05 … when dayEnd is on the hour (the
            // default 15:00); by the clock, a dayEnd of 15:30 made the 15:00 60m bar half one day, half the next.
            // A day's length is a whole number of hours, so its last bar ends at the next day's start.
            long dayStart = tradingDayStart(localDay(epochMs));
            long size = interval.minutes() * MINUTE;
            return dayStart + Math.floorDiv(epochMs - dayStart, size) * size;
        }
        return dayBarStart(interval, localDay(epochMs));
    }

    /** The start of the daily-or-longer bar of {@code interval} that contains trading day {@code day}. */
    public long dayBarStart(Interval interval, LocalDate day) {
        LocalDate first = switch (interval) {
            case D1 -> day;
            case W1 -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MN1 -> day.withDayOfMonth(1);
            default -> throw new IllegalArgumentException(interval + " is intraday");
        };
        return first.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /**
     * The starts (epoch ms, ascending) of the minutes of {@code day}'s trading session, the minutes
     * of the intraday minute line (分时): with {@link Kind#A_SHARE} 09:30–11:29 and 13:00–14:59 local
     * (240 minutes, lunch break skipped; the 09:15–09:25 call auction has no minute of its own), with
     * {@link Kind#CONTINUOUS} every minute from {@link #tradingDayStart} to the next day's start.
     */
    public long[] sessionMinuteStarts(LocalDate day) {
        if (kind == Kind.A_SHARE) {
            long[] out = new long[A_SHARE_SESSION_MINUTES];
            long morning = day.atTime(MORNING_OPEN).atZone(zone).toInstant().toEpochMilli();
            long afternoon = day.atTime(AFTERNOON_OPEN).atZone(zone).toInstant().toEpochMilli();
            for (int i = 0; i < A_SHARE_SESSION_MINUTES / 2; i++) {
                out[i] = morning + i * MINUTE;
                out[i + A_SHARE_SESSION_MINUTES / 2] = afternoon + i * MINUTE;
            }
            return out;
        }
        long start = tradingDayStart(day);
        int n = (int) ((tradingDayStart(day.plusDays(1)) - start) / MINUTE);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = start + i * MINUTE;
        }
        return out;
    }

    /**
     * The first moment of the period of the bar of {@code interval} that contains {@code epochMs}: its
     * {@link #barStart}, except for an A-share session's first bar, whose period also holds the time before
     * the session's open (the 09:25 auction: from midnight for the morning, 13:00 for the afternoon).
     */
    public long barSpanStart(Interval interval, long epochMs) {
        return sessionCounted(interval) ? aShareBar(interval, epochMs)[1] : barStart(interval, epochMs);
    }

    /**
     * The end of the period of the bar starting at {@code barStart} (exclusive), where the next bar's period
     * starts: on the A-share calendar the last bar of the morning runs to 13:00, of the afternoon to midnight.
     */
    public long nextBarStart(Interval interval, long barStart) {
        if (sessionCounted(interval)) {
            return aShareBar(interval, barStart)[2];
        }
        if (interval.isIntraday()) {
            return barStart + interval.minutes() * MINUTE;
        }
        LocalDate d = Instant.ofEpochMilli(barStart).atZone(zone).toLocalDate();
        LocalDate next = switch (interval) {
            case D1 -> d.plusDays(1);
            case W1 -> d.plusWeeks(1);
            case MN1 -> d.plusMonths(1);
            default -> throw new IllegalStateException();
        };
        return next.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /**
     * When the bar starting at {@code barStart} has had all its trading minutes: {@code barStart} plus the
     * interval for intraday bars (11:30 for the A-share 10:30 bar, whose period runs to 13:00), else
     * {@link #nextBarStart}.
     */
    public long barTradingEnd(Interval interval, long barStart) {
        return interval.isIntraday() ? barStart + interval.minutes() * MINUTE : nextBarStart(interval, barStart);
    }

    private boolean sessionCounted(Interval interval) {
        return kind == Kind.A_SHARE && interval.isIntraday() && interval != Interval.M1;
    }

    /**
     * The A-share bar of {@code interval} (5m–60m) containing {@code epochMs}: {start, period start,
     * period end}. Times before 13:00 belong to the morning session, later ones to the afternoon; each
     * session holds 120 / minutes bars from its open, the first taking what comes before the open and the
     * last what comes after the close.
     */
    private long[] aShareBar(Interval interval, long epochMs) {
        ZonedDateTime local = Instant.ofEpochMilli(epochMs).atZone(zone);
        LocalDate day = local.toLocalDate();
        boolean morning = local.toLocalTime().isBefore(AFTERNOON_OPEN);
        LocalTime open = morning ? MORNING_OPEN : AFTERNOON_OPEN;
        int minutes = interval.minutes();
        int bars = A_SHARE_SESSION_MINUTES / 2 / minutes;
        long sinceOpen = Math.max(0, Duration.between(open, local.toLocalTime()).toMinutes());
        int index = (int) Math.min(sinceOpen / minutes, bars - 1);
        long start = day.atTime(open.plusMinutes((long) index * minutes)).atZone(zone).toInstant().toEpochMilli();
        long from = index > 0 ? start
                : morning ? day.atStartOfDay(zone).toInstant().toEpochMilli()
                : day.atTime(AFTERNOON_OPEN).atZone(zone).toInstant().toEpochMilli();
        long to = index < bars - 1 ? start + minutes * MINUTE
                : morning ? day.atTime(AFTERNOON_OPEN).atZone(zone).toInstant().toEpochMilli()
                : day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        return new long[] {start, from, to};
    }
}
