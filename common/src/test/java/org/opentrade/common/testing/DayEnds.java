package org.opentrade.common.testing;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * An end of the trading day far from now, for suites that run the sandbox exchange on its 24x7 calendar.
 * With the shipped 15:00 Asia/Shanghai, a suite running across 07:00 UTC saw the exchange expire a resting
 * DAY order between two steps of a test (FixThrottleTest, CI of 2026-12-07): what the suite checks must not
 * depend on the hour it runs at. The shipped 15:00 or 03:00, whichever is farther from now: six hours away at
 * least, so the day cannot end within any one run of the suite; on the hour, so 5- to 60-minute K-lines keep the
 * boundaries they have by default; and never inside market-api's synthetic sessions (09:30-15:00 local). A day
 * end eleven to twelve hours away, as this chose before, was 10:00-14:00 for runs from 14:00 to 19:00 UTC: each
 * synthetic day then straddled two trading days, and the backfill's five days came back as six 1d bars
 * (MarketApiServiceTest, a clean-clone run at 14:14 UTC).
 *
 * <p>market-api's harness took it last: its tests had 15:00 written in, and under 03:00 they showed the backfill
 * filling today's trading day (HistoryBackfillDayTest).
 */
public final class DayEnds {
    /** The environment variable the exchange reads for {@code calendar.day_end}. */
    public static final String ENV = "OPENTRADE_EXCHANGE_DAY_END";
    private static final ZoneId EXCHANGE_ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    /** The exchange's shipped day end. */
    static final LocalTime SHIPPED = LocalTime.of(15, 0);
    /** Twelve hours from it, and like it outside the synthetic sessions. */
    static final LocalTime OPPOSITE = LocalTime.of(3, 0);

    private DayEnds() {
    }

    /** {@code 15:00} or {@code 03:00} (the exchange's default zone), whichever is farther from now. */
    public static String awayFromNow() {
        return awayFrom(LocalTime.now(EXCHANGE_ZONE)).format(HH_MM);
    }

    /** Of {@link #SHIPPED} and {@link #OPPOSITE}, the one farther from {@code now} (15:00 at six hours each way). */
    static LocalTime awayFrom(LocalTime now) {
        return minutesApart(now, SHIPPED) >= minutesApart(now, OPPOSITE) ? SHIPPED : OPPOSITE;
    }

    private static long minutesApart(LocalTime a, LocalTime b) {
        long d = Math.abs(java.time.Duration.between(a, b).toMinutes());
        return Math.min(d, 24 * 60 - d);
    }

    /** {@code env} with {@link #ENV} set to {@link #awayFromNow()} unless it names one already. */
    public static Map<String, String> awayFromNow(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent(ENV, awayFromNow());
        return all;
    }
}
