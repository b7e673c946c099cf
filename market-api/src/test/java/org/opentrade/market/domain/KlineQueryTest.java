package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * K-line pages as {@code MarketRoutes} asks for them ({@link KlineQuery#plan} on the cache, the rest read from
 * a simulated store, {@link KlineQuery#finish}) against the newest {@code limit} bars of a roll-up of all
 * source bars in the asked range.
 */
class KlineQueryTest {
    private static final String S = Reference.SYMBOL;
    private static final long MINUTE = 60_000L;
    private static final MarketCalendar CAL = new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH,
            LocalTime.of(15, 0));

    private static Bar bar(Interval iv, long time, long close) {
        return new Bar(S, iv, time, close - 1, close + 2, close - 3, close, 100, close * 100, 3, 40);
    }

    /** Every session minute of the weekdays {@code from} to {@code to}, less those {@code skip} picks. */
    private static List<Bar> sessionMinutes(LocalDate from, LocalDate to, SplittableRandom skip, double skipRate) {
        List<Bar> out = new ArrayList<>();
        long close = 1000;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
                continue;
            }
            if (skip == null || skip.nextDouble() >= 0.5) { // the opening call auction's minute, on half the days
                out.add(bar(Interval.M1, Reference.ms(d.atTime(9, 25)), ++close));
            }
            for (long t : CAL.sessionMinuteStarts(d)) {
                close++;
                if (skip == null || skip.nextDouble() >= skipRate) {
                    out.add(bar(Interval.M1, t, close));
                }
            }
        }
        return out;
    }

    /** The page MarketRoutes answers: the newest {@code cached} bars in memory, older ones from the "store". */
    private static KlineQuery.Page page(List<Bar> all, int cached, Interval interval, long start, long end, int limit) {
        BarCache cache = new BarCache(Math.max(1, cached));
        all.subList(all.size() - cached, all.size()).forEach(cache::add);
        KlineQuery.Plan plan = KlineQuery.plan(cache, null, interval, start, end, limit, CAL);
        List<Bar> stored = List.of();
        if (plan.needStore()) {
            List<Bar> inRange = all.stream().filter(b -> b.time() >= plan.sourceStart() && b.time() < plan.storeEnd())
                    .toList();
            stored = inRange.subList(Math.max(0, inRange.size() - plan.storeLimit()), inRange.size());
        }
        return KlineQuery.finish(plan, stored, CAL);
    }

    /**
     * The newest {@code limit} bars starting in {@code [start, end)}, each whole: rolled up from every source bar of
     * its period before {@code end} (an A-share morning's first bar takes in its auction minute before 09:30). A bar
     * starting at or after {@code end} is not one of them, even when a source bar before {@code end} rolls up into
     * it (the 09:25 auction minute into the 09:30 bar).
     */
    private static List<Bar> expected(List<Bar> all, Interval interval, long start, long end, int limit) {
        List<Bar> rolled = KlineRollup.rollup(interval, all.stream().filter(b -> b.time() < end).toList(), CAL)
                .stream().filter(b -> b.time() >= start && b.time() < end).toList();
        return rolled.subList(Math.max(0, rolled.size() - limit), rolled.size());
    }

    private static List<LocalDateTime> times(List<Bar> bars) {
        return bars.stream().map(b -> java.time.Instant.ofEpochMilli(b.time()).atZone(Reference.SH).toLocalDateTime())
                .toList();
    }

    @Test
    void aCursorOnAnIntervalBoundaryStillGivesAFullPage() {
        List<Bar> minutes = sessionMinutes(LocalDate.of(2026, 12, 3), LocalDate.of(2026, 12, 4), null, 0);
        long cursor = Reference.ms(LocalDateTime.of(2026, 12, 4, 14, 55)); // 1796367300000
        assertEquals(1_796_367_300_000L, cursor);
        for (int cached : new int[] {minutes.size(), 5}) { // all from memory; mostly from the store
            for (int limit : new int[] {3, 4, 10}) {
                KlineQuery.Page page = page(minutes, cached, Interval.M5, 0, cursor, limit);
                List<Bar> want = expected(minutes, Interval.M5, 0, cursor, limit);
                assertEquals(limit, want.size());
                assertEquals(times(want), times(page.bars()), "limit " + limit + ", cached " + cached);
                assertEquals(want, page.bars());
                assertEquals(want.get(0).time(), page.nextCursor());
            }
        }
        KlineQuery.Page three = page(minutes, minutes.size(), Interval.M5, 0, cursor, 3);
        assertEquals(List.of(LocalDateTime.of(2026, 12, 4, 14, 40), LocalDateTime.of(2026, 12, 4, 14, 45),
                LocalDateTime.of(2026, 12, 4, 14, 50)), times(three.bars()));
    }

    @Test
    void anOldestBarCutShortByTheSourceLimitIsLeftOutAndThePageIsStillFull() {
        List<Bar> minutes = sessionMinutes(LocalDate.of(2026, 12, 3), LocalDate.of(2026, 12, 4), null, 0);
        long end = Reference.ms(LocalDateTime.of(2026, 12, 4, 14, 57)); // 15 minutes back is 14:42, inside 14:40
        KlineQuery.Page page = page(minutes, minutes.size(), Interval.M5, 0, end, 3);
        assertEquals(List.of(LocalDateTime.of(2026, 12, 4, 14, 45), LocalDateTime.of(2026, 12, 4, 14, 50),
                LocalDateTime.of(2026, 12, 4, 14, 55)), times(page.bars()));
        assertEquals(expected(minutes, Interval.M5, 0, end, 3), page.bars());
    }

    @Test
    void aStartInsideABarLeavesThatBarOutRatherThanAnswerPartOfIt() {
        List<Bar> minutes = sessionMinutes(LocalDate.of(2026, 12, 4), LocalDate.of(2026, 12, 4), null, 0);
        long start = Reference.ms(LocalDateTime.of(2026, 12, 4, 10, 0));
        for (int cached : new int[] {minutes.size(), 5}) {
            KlineQuery.Page page = page(minutes, cached, Interval.M60, start, Long.MAX_VALUE, 10);
            assertEquals(List.of(LocalDateTime.of(2026, 12, 4, 10, 30), LocalDateTime.of(2026, 12, 4, 13, 0),
                    LocalDateTime.of(2026, 12, 4, 14, 0)), times(page.bars()), "cached " + cached);
            assertNull(page.nextCursor());
        }
        KlineQuery.Page fromAuction = page(minutes, minutes.size(), Interval.M60,
                Reference.ms(LocalDateTime.of(2026, 12, 4, 9, 25)), Long.MAX_VALUE, 10);
        assertEquals(expected(minutes, Interval.M60, 0, Long.MAX_VALUE, 10), fromAuction.bars(),
                "from the auction minute on: every bar of the day, the first with its auction minute");
    }

    /**
     * An end at (or just before) the open: the 09:25 auction minute lies before it but rolls up into the 09:30 bar,
     * which starts at the end, not before it. The page is the bars that start before 09:30 (the day before's last
     * three), as the contract's {@code [start, end)} says; it was the previous day's last two plus a 09:30 bar of
     * the auction minute alone, a bar outside the range and short of the 09:30 bar a later page answers.
     */
    @Test
    void anEndAtTheOpenLeavesOutTheBarThatStartsThereThoughItsAuctionMinuteIsBefore() {
        List<Bar> minutes = sessionMinutes(LocalDate.of(2026, 12, 3), LocalDate.of(2026, 12, 4), null, 0);
        for (LocalTime at : List.of(LocalTime.of(9, 30), LocalTime.of(9, 26))) {
            long end = Reference.ms(LocalDate.of(2026, 12, 4).atTime(at));
            for (int cached : new int[] {minutes.size(), 5}) {
                KlineQuery.Page m5 = page(minutes, cached, Interval.M5, 0, end, 3);
                String what = "end " + at + ", cached " + cached;
                assertEquals(List.of(LocalDateTime.of(2026, 12, 3, 14, 45), LocalDateTime.of(2026, 12, 3, 14, 50),
                        LocalDateTime.of(2026, 12, 3, 14, 55)), times(m5.bars()), what);
                for (Bar b : m5.bars()) {
                    assertEquals(5 * 100, b.volume(), "five whole minutes, " + what);
                }
                assertEquals(Reference.ms(LocalDateTime.of(2026, 12, 3, 14, 45)), m5.nextCursor(), what);
                KlineQuery.Page m60 = page(minutes, cached, Interval.M60, 0, end, 1);
                assertEquals(List.of(LocalDateTime.of(2026, 12, 3, 14, 0)), times(m60.bars()), what);
                assertEquals(60 * 100, m60.bars().get(0).volume(), what);
            }
        }
        // A range holding the auction minute alone holds no bar.
        KlineQuery.Page none = page(minutes, minutes.size(), Interval.M5,
                Reference.ms(LocalDateTime.of(2026, 12, 4, 9, 0)), Reference.ms(LocalDateTime.of(2026, 12, 4, 9, 30)), 10);
        assertEquals(List.of(), none.bars());
        assertNull(none.nextCursor());
    }

    @Test
    void aRangeWithFewerBarsThanTheLimitEndsPaging() {
        List<Bar> minutes = sessionMinutes(LocalDate.of(2026, 12, 4), LocalDate.of(2026, 12, 4), null, 0);
        long start = Reference.ms(LocalDateTime.of(2026, 12, 4, 14, 40));
        long end = Reference.ms(LocalDateTime.of(2026, 12, 4, 14, 55));
        KlineQuery.Page page = page(minutes, minutes.size(), Interval.M5, start, end, 4);
        assertEquals(3, page.bars().size());
        assertNull(page.nextCursor());
    }

    @Test
    void everyPageEqualsTheNewestBarsOfTheWholeRollupOnRandomMarkets() {
        SplittableRandom r = new SplittableRandom(7);
        List<Bar> minutes = sessionMinutes(LocalDate.of(2026, 11, 23), LocalDate.of(2026, 12, 4), r, 0.03);
        List<Bar> days = new ArrayList<>();
        for (LocalDate d = LocalDate.of(2025, 1, 1); d.isBefore(LocalDate.of(2026, 12, 5)); d = d.plusDays(1)) {
            if (d.getDayOfWeek().getValue() <= 5 && r.nextDouble() >= 0.03) {
                days.add(bar(Interval.D1, CAL.dayBarStart(Interval.D1, d), 1000 + days.size()));
            }
        }
        Interval[] intervals = {Interval.M5, Interval.M15, Interval.M30, Interval.M60, Interval.W1, Interval.MN1};
        for (int i = 0; i < 3_000; i++) {
            Interval iv = intervals[r.nextInt(intervals.length)];
            List<Bar> all = iv.isIntraday() ? minutes : days;
            long first = all.get(0).time();
            long last = all.get(all.size() - 1).time() + MINUTE;
            long end = first + r.nextLong(last - first);
            if (r.nextBoolean()) {
                end = r.nextBoolean() ? CAL.barSpanStart(iv, end) : CAL.barStart(iv, end); // cursors, bar times
            }
            long start = r.nextInt(4) == 0 ? first + r.nextLong(Math.max(1, end - first)) : 0;
            if (start >= end) {
                continue;
            }
            int limit = 1 + r.nextInt(r.nextBoolean() ? 5 : 40);
            int cached = r.nextInt(all.size() + 1);
            KlineQuery.Page page = page(all, cached, iv, start, end, limit);
            List<Bar> want = expected(all, iv, start, end, limit);
            String what = iv.code() + " start " + start + " end " + end + " limit " + limit + " cached " + cached;
            assertEquals(times(want), times(page.bars()), what);
            assertEquals(want, page.bars(), what);
            if (want.size() < limit) {
                assertNull(page.nextCursor(), what);
            } else if (CAL.barSpanStart(iv, want.get(0).time()) > start) {
                assertEquals(CAL.barSpanStart(iv, want.get(0).time()), page.nextCursor(), what);
            } else {
                assertNull(page.nextCursor(), what);
            }
        }
    }

    @Test
    void aShareHourBarsFollowTheSessionsAndPagingBackAnswersEachOnce() {
        List<Bar> minutes = sessionMinutes(LocalDate.of(2026, 12, 2), LocalDate.of(2026, 12, 4), null, 0);
        List<Bar> pages = new ArrayList<>();
        Long cursor = Long.MAX_VALUE;
        while (cursor != null) {
            KlineQuery.Page page = page(minutes, 100, Interval.M60, 0, cursor, 3);
            List<Bar> all = new ArrayList<>(page.bars());
            all.addAll(pages);
            pages = all;
            cursor = page.nextCursor();
        }
        assertEquals(KlineRollup.rollup(Interval.M60, minutes, CAL), pages);
        assertEquals(12, pages.size(), "four bars a day");
        List<Bar> dec4 = pages.subList(8, 12);
        assertEquals(List.of(LocalDateTime.of(2026, 12, 4, 9, 30), LocalDateTime.of(2026, 12, 4, 10, 30),
                LocalDateTime.of(2026, 12, 4, 13, 0), LocalDateTime.of(2026, 12, 4, 14, 0)), times(dec4));
        for (Bar b : dec4) {
            assertEquals(b.time() == dec4.get(0).time() ? 61 * 100 : 60 * 100, b.volume(), "the auction in the first");
        }
        // No start (0): the store is never asked for times before 1970 (0's A-share bar begins at local midnight).
        assertEquals(0, KlineQuery.plan(new BarCache(10), null, Interval.M60, 0, Long.MAX_VALUE, 10, CAL).sourceStart());
        // Asked from the session's open, the first bar still holds its auction minute.
        long open = Reference.ms(LocalDateTime.of(2026, 12, 4, 9, 30));
        assertEquals(dec4, page(minutes, 100, Interval.M60, open, Long.MAX_VALUE, 10).bars());
        assertNull(page(minutes, 100, Interval.M60, open, Long.MAX_VALUE, 4).nextCursor());
    }
}
