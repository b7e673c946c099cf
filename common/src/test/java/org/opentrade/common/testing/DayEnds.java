package org.opentrade.common.testing;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * An end of the trading day far from now, for suites that run the sandbox exchange on its 24x7 calendar.
 * With the shipped 15:00 Asia/Shanghai, a suite running across 07:00 UTC saw the exchange expire a resting
 * DAY order between two steps of a test (FixThrottleTest, CI of 2026-12-07): what the suite checks must not
 * depend on the hour it runs at. Eleven to twelve hours away, the day cannot end within any one run of the
 * suite; on the hour, as 15:00 is, so 5- to 60-minute K-lines keep the boundaries they have by default.
 *
 * <p>market-api's harness took it last: its tests had 15:00 written in, and under 03:00 they showed the backfill
 * filling today's trading day (HistoryBackfillDayTest).
 */
public final class DayEnds {
    /** The environment variable the exchange reads for {@code calendar.day_end}. */
    public static final String ENV = "OPENTRADE_EXCHANGE_DAY_END";
    private static final ZoneId EXCHANGE_ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private DayEnds() {
    }

    /** {@code HH:00} in the exchange's default zone, eleven to twelve hours from now. */
    public static String awayFromNow() {
        return LocalTime.now(EXCHANGE_ZONE).plusHours(12).truncatedTo(ChronoUnit.HOURS).format(HH_MM);
    }

    /** {@code env} with {@link #ENV} set to {@link #awayFromNow()} unless it names one already. */
    public static Map<String, String> awayFromNow(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent(ENV, awayFromNow());
        return all;
    }
}
