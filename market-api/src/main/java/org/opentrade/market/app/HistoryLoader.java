package org.opentrade.market.app;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Instrument;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.KlineRollup;
import org.opentrade.market.domain.MarketBoard;
import org.opentrade.market.domain.MarketCalendar;
import org.opentrade.market.domain.SyntheticHistory;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.port.TimeSeriesStore;

/**
 * Start-up reads of history, on a worker thread: the one-time synthetic backfill, the bars the
 * K-line caches start with, and what the live state is restored from. The live state is restored
 * from the stored <em>trades</em> up to the store's checkpoint (not from stored bars, which may run
 * ahead of the checkpoint after a crash), so the feed continues from the checkpoint with no event
 * counted twice and none missing.
 */
final class HistoryLoader {
    private static final Logger LOG = Logger.getLogger(HistoryLoader.class.getName());
    /** Most trades of one symbol's last trading day replayed at start. */
    static final int MAX_RESTORE_TRADES = 2_000_000;
    private static final int WRITE_CHUNK = 50_000;

    /** What was read, applied to the board on the market context. */
    record Loaded(Map<Integer, Long> checkpoints, Map<String, List<Bar>> dayBars, Map<String, List<Bar>> minuteBars,
                  Map<String, Bar> previousDay, Map<String, List<Trade>> lastDayTrades) {

        /** On the market context: fills the caches and replays the restored trades into the live state. */
        void applyTo(MarketBoard board) {
            for (MarketBoard.SymbolState st : board.all()) {
                String s = st.instrument().symbol();
                dayBars.getOrDefault(s, List.of()).forEach(st.dayBars()::add);
                minuteBars.getOrDefault(s, List.of()).forEach(st.minuteBars()::add);
                board.restore(s, previousDay.get(s), lastDayTrades.getOrDefault(s, List.of()));
            }
        }
    }

    private HistoryLoader() {
    }

    /** The local date of the newest synthetic session day: see {@link #backfill}. */
    static LocalDate lastBackfilledDay(MarketCalendar calendar, long now) {
        long todayStarts = calendar.tradingDayStart(calendar.localDay(now));
        LocalDate lastDay = calendar.localDay(now).minusDays(1);
        LocalTime sessionsEnd = SyntheticHistory.sessionsEnd(calendar);
        while (lastDay.getDayOfWeek() == DayOfWeek.SATURDAY || lastDay.getDayOfWeek() == DayOfWeek.SUNDAY
                || calendar.isHoliday(lastDay)
                || lastDay.atTime(sessionsEnd).atZone(calendar.zone()).toInstant().toEpochMilli() > todayStarts) {
            lastDay = lastDay.minusDays(1);
        }
        return lastDay;
    }

    static Loaded load(TimeSeriesStore store, MarketBoard board, List<Instrument> instruments, MarketCalendar calendar,
                       MarketApiConfig config, long now) {
        if (config.backfill()) {
            backfill(store, instruments, calendar, config, now);
        }
        Map<Integer, Long> checkpoints = store.checkpoints();
        Map<String, List<Bar>> days = new HashMap<>();
        Map<String, List<Bar>> minutes = new HashMap<>();
        Map<String, Bar> previous = new HashMap<>();
        Map<String, List<Trade>> trades = new HashMap<>();
        for (Instrument i : instruments) {
            String s = i.symbol();
            days.put(s, store.bars(s, Interval.D1, 0, Long.MAX_VALUE, MarketBoard.DAY_BARS_KEPT));
            minutes.put(s, store.bars(s, Interval.M1, 0, Long.MAX_VALUE, config.recentMinuteBars()));
            List<Trade> newest = store.trades(s, 0, Long.MAX_VALUE, Long.MAX_VALUE, 1);
            long dayStart = Long.MAX_VALUE;
            if (!newest.isEmpty()) {
                long cp = checkpoints.getOrDefault(newest.get(0).shard(), 0L);
                List<Trade> lastKept = store.trades(s, 0, Long.MAX_VALUE, cp + 1, 1);
                if (!lastKept.isEmpty()) {
                    LocalDate day = calendar.tradingDay(lastKept.get(0).time());
                    dayStart = calendar.tradingDayStart(day);
                    List<Trade> list = new ArrayList<>(store.trades(s, dayStart, Long.MAX_VALUE, cp + 1, MAX_RESTORE_TRADES));
                    Collections.reverse(list);
                    trades.put(s, list);
                }
            }
            long before = dayStart == Long.MAX_VALUE ? calendar.dayBarStart(Interval.D1, calendar.localDay(now))
                    : calendar.dayBarStart(Interval.D1, calendar.tradingDay(dayStart));
            List<Bar> prev = store.bars(s, Interval.D1, 0, before, 1);
            if (!prev.isEmpty()) {
                previous.put(s, prev.get(0));
            }
        }
        return new Loaded(checkpoints, days, minutes, previous, trades);
    }

    /**
     * Synthetic history for every symbol without daily bars, its last session day the newest weekday (not a holiday)
     * whose sessions (09:30-15:00 local, or the 5½ hours up to a 24×7 day end inside those hours:
     * {@link SyntheticHistory#sessionsEnd}) end before today's trading day starts. On the 24×7 calendar with a day end
     * before 15:00 that is not yesterday's date: with 03:00, the trading day of the 8th runs from 03:00 on the 7th, so
     * the 7th's sessions would fall in it (a fresh install showed a full day of synthetic trading in today's 1d bar,
     * and a quote whose last was the day before's close while its volume said no trade yet).
     */
    static void backfill(TimeSeriesStore store, List<Instrument> instruments, MarketCalendar calendar,
                         MarketApiConfig config, long now) {
        LocalDate lastDay = lastBackfilledDay(calendar, now);
        int filled = 0;
        long t0 = System.nanoTime();
        for (Instrument i : instruments) {
            if (store.hasBars(i.symbol(), Interval.D1)) {
                continue;
            }
            List<Bar> minutes = SyntheticHistory.minuteBars(i, lastDay, config.backfillDays(),
                    config.seed() * 31 + i.symbol().hashCode(), config.volatilityPerHour(), calendar.zone(),
                    calendar::isHoliday, SyntheticHistory.sessionsEnd(calendar));
            for (int from = 0; from < minutes.size(); from += WRITE_CHUNK) {
                store.writeBars(Interval.M1, minutes.subList(from, Math.min(minutes.size(), from + WRITE_CHUNK)));
            }
            // Daily bars last: their presence marks the symbol as backfilled.
            store.writeBars(Interval.D1, KlineRollup.rollup(Interval.D1, minutes, calendar));
            filled++;
        }
        if (filled > 0) {
            LOG.info(String.format("backfilled %d trading days of synthetic 1m bars for %d symbol(s) in %d ms",
                    config.backfillDays(), filled, (System.nanoTime() - t0) / 1_000_000));
        }
    }
}
