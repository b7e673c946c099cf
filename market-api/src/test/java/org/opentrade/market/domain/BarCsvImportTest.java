package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BarCsvImportTest {
    private static final String H = BarCsvImport.HEADER + "\n";
    private static final Set<String> KNOWN = Set.of("600000.SH", "000001.SZ");
    private static final MarketCalendar A_SHARE = new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH,
            LocalTime.of(15, 0));
    /** 2026-02-02 09:30 Shanghai. */
    private static final long T930 = Reference.ms(LocalDateTime.of(2026, 2, 2, 9, 30));
    /** The clock of the imports: 2026-02-02 15:00 Shanghai, after every bar of these tests. */
    private static final long NOW = Reference.ms(LocalDateTime.of(2026, 2, 2, 15, 0));

    private static BarCsvImport importer(Interval iv) {
        return new BarCsvImport(iv, A_SHARE, KNOWN::contains, BarCsvImport.Options.DEFAULT, NOW);
    }

    private static List<String> errors(String csv) {
        BarCsvImport.Result r = importer(Interval.M1).parse(csv);
        assertFalse(r.ok());
        assertEquals(Map.of(), r.bars(), "no bar when any row is bad");
        return r.errors();
    }

    @Test
    void validRowsComeBackGroupedBySymbolOldestFirst() {
        String csv = "\uFEFF" + H
                + "600000.SH,2026-02-02T01:31:00Z,10.01,10.05,9.99,10.02,1200,12024.5\r\n"
                + "000001.SZ," + T930 + ",8,8.1,7.9,8.05,100,805\r\n"
                + "\n"
                + "600000.SH,2026-02-02T09:30:00+08:00,10,10.02,10,10.01,300,3001.00\n";
        BarCsvImport.Result r = importer(Interval.M1).parse(csv);
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(3, r.rows());
        assertEquals(List.of(
                new Bar("600000.SH", Interval.M1, T930, 1000, 1002, 1000, 1001, 300, 300_100, 0, 0),
                new Bar("600000.SH", Interval.M1, T930 + 60_000, 1001, 1005, 999, 1002, 1200, 1_202_450, 0, 0)),
                r.bars().get("600000.SH"));
        assertEquals(List.of(new Bar("000001.SZ", Interval.M1, T930, 800, 810, 790, 805, 100, 80_500, 0, 0)),
                r.bars().get("000001.SZ"));
    }

    @Test
    void dailyBarsStartAtTheTradingDaysMidnight() {
        long midnight = Reference.ms(LocalDateTime.of(2026, 2, 2, 0, 0));
        BarCsvImport.Result ok = importer(Interval.D1).parse(H + "600000.SH,2026-02-01T16:00:00Z,10,11,9,10.5,1,10.5\n");
        assertEquals(midnight, ok.bars().get("600000.SH").get(0).time());
        BarCsvImport.Result bad = importer(Interval.D1).parse(H + "600000.SH," + T930 + ",10,11,9,10.5,1,10.5\n");
        assertEquals(1, bad.errorCount());
        assertTrue(bad.errors().get(0).startsWith("line 2: time 2026-02-02T01:30:00Z is not the start of a 1d bar"),
                bad.errors().get(0));
    }

    @Test
    void eachKindOfBadRowIsReportedWithItsLineNumber() {
        String csv = H
                + "600000.SH,2026-02-02T01:30:00Z,10,10,10,10,100,1000\n"   // 2 ok
                + "999999.SH,2026-02-02T01:31:00Z,10,10,10,10,100,1000\n"   // 3 unknown symbol
                + "600000.SH,yesterday,10,10,10,10,100,1000\n"              // 4 bad time
                + "600000.SH,2026-02-02T01:32:00Z,10.001,10,10,10,100,1000\n" // 5 three decimals
                + "600000.SH,2026-02-02T01:33:00Z,10,9,10,10,100,1000\n"    // 6 high < low
                + "600000.SH,2026-02-02T01:34:00Z,11,12,10,12.5,100,1000\n" // 7 close above high
                + "600000.SH,2026-02-02T01:35:30Z,10,10,10,10,100,1000\n"   // 8 not a minute start
                + "600000.SH,2026-02-02T01:30:00Z,10,10,10,10,100,1000\n"   // 9 duplicate of line 2
                + "600000.SH,2026-02-02T01:36:00Z,10,10,10,10,-5,1000\n"    // 10 negative volume
                + "600000.SH,2026-02-02T01:37:00Z,10,10,10,10,100,1e3\n"    // 11 turnover not a decimal
                + "600000.SH,2026-02-02T01:38:00Z,10,10,10,10,100\n"        // 12 seven columns
                + "600000.SH,2026-02-02T01:39:00Z,0,10,0,10,100,1000\n"     // 13 zero price
                + "600000.SH,+999999999-12-31T23:59:00Z,10,10,10,10,100,1000\n"; // 14 a year whose ms overflow
        List<String> e = errors(csv);
        assertEquals(13, e.size(), e.toString());
        assertTrue(e.get(12).startsWith("line 14: time must be RFC 3339"), e.get(12));
        assertEquals("line 3: unknown symbol '999999.SH'", e.get(0));
        assertTrue(e.get(1).startsWith("line 4: time must be RFC 3339"), e.get(1));
        assertTrue(e.get(2).startsWith("line 5: open must be a positive decimal"), e.get(2));
        assertEquals("line 6: high 9.00 is below low 10.00", e.get(3));
        assertEquals("line 7: open and close must lie within [low, high]", e.get(4));
        assertTrue(e.get(5).startsWith("line 8: time 2026-02-02T01:35:30Z is not the start of a 1m bar"), e.get(5));
        assertEquals("line 9: duplicate bar of 600000.SH at 2026-02-02T01:30:00Z (first on line 2)", e.get(6));
        assertTrue(e.get(7).startsWith("line 10: volume must be a whole number"), e.get(7));
        assertTrue(e.get(8).startsWith("line 11: turnover must be a decimal"), e.get(8));
        assertEquals("line 12: expected 8 columns, got 7", e.get(9));
        assertTrue(e.get(10).startsWith("line 13: open must be a positive decimal"), e.get(10));
        assertTrue(e.get(11).startsWith("line 13: low must be a positive decimal"), e.get(11));
    }

    @Test
    void aTurnoverVolumeAndPricesCannotAddUpToIsRefused() {
        List<String> e = errors(H
                + "600000.SH,2026-02-02T01:30:00Z,10,10.50,9.50,10,100,1000\n"    // 2 ok: 10.00 on average
                + "600000.SH,2026-02-02T01:31:00Z,10,10.50,9.50,10,100,949\n"     // 3 ok: 1.00 under 100 × 9.50
                + "600000.SH,2026-02-02T01:32:00Z,10,10.50,9.50,10,100,1051\n"    // 4 ok: 1.00 over 100 × 10.50
                + "600000.SH,2026-02-02T01:33:00Z,10,10.50,9.50,10,100,948.99\n"  // 5 below
                + "600000.SH,2026-02-02T01:34:00Z,10,10.50,9.50,10,100,1051.01\n" // 6 above
                + "600000.SH,2026-02-02T01:35:00Z,10,10.50,9.50,10,1,1000\n"      // 7 volume in lots
                + "600000.SH,2026-02-02T01:36:00Z,10,10,10,10,0,0\n"              // 8 ok: nothing traded
                + "600000.SH,2026-02-02T01:37:00Z,10,10,10,10,0,0.01\n");          // 9 turnover without volume
        assertEquals(4, e.size(), e.toString());
        assertEquals("line 5: turnover 948.99 does not fit 100 shares traded within [9.50, 10.50]: it must lie between"
                + " volume × low and volume × high (1.00 either way for rounding), and be 0 with no volume; a volume in"
                + " lots of 100 (手) or a turnover in thousands does not", e.get(0));
        assertTrue(e.get(1).startsWith("line 6: turnover 1051.01 does not fit"), e.get(1));
        assertTrue(e.get(2).startsWith("line 7: turnover 1000.00 does not fit 1 shares"), e.get(2));
        assertTrue(e.get(3).startsWith("line 9: turnover 0.01 does not fit 0 shares"), e.get(3));
    }

    @Test
    void theTurnoverCheckHoldsAtTheLargestNumbersARowCanCarry() {
        long volume = 999_999_999_999_999L; // 15 digits
        long price = 148_800; // 1488.00
        long wrapped = volume * price; // past a long: multiplied as longs it wraps round to 1.2e18
        assertTrue(wrapped > 0);
        assertFalse(BarCsvImport.turnoverFits(volume, wrapped, price, price), "the product never wraps round to fit");
        assertFalse(BarCsvImport.turnoverFits(volume, Long.MAX_VALUE, price, price));
        assertTrue(BarCsvImport.turnoverFits(1_000_000_000_000L, 10_000_000_000_000_000L, 10_000, 10_000));
        assertTrue(BarCsvImport.turnoverFits(1, Long.MAX_VALUE - 50, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void oneBadRowAmongGoodOnesYieldsNoBars() {
        StringBuilder csv = new StringBuilder(H);
        for (int m = 0; m < 50; m++) {
            csv.append("600000.SH,").append(T930 + m * 60_000L).append(",10,10,10,10,100,1000\n");
        }
        csv.append("600000.SH,").append(T930 + 50 * 60_000L).append(",10,10,10,10,100,x\n");
        assertEquals(List.of("line 52: turnover must be a decimal >= 0 with at most 2 places, got 'x'"),
                errors(csv.toString()));
    }

    @Test
    void aMissingOrWrongHeaderIsAnError() {
        assertEquals(List.of("line 1: empty file: the header " + BarCsvImport.HEADER + " is required"), errors(""));
        assertEquals("line 1: the header must be " + BarCsvImport.HEADER,
                errors("symbol,time,open,high,low,close,volume\n").get(0));
        assertEquals(List.of("line 1: the header must be " + BarCsvImport.HEADER),
                errors("600000.SH," + T930 + ",10,10,10,10,100,1000\n"));
    }

    @Test
    void tooManyRowsAndTooLongLinesAreErrorsAndErrorsAreBounded() {
        BarCsvImport small = new BarCsvImport(Interval.M1, A_SHARE, KNOWN::contains, new BarCsvImport.Options(2, 60, 3), NOW);
        String row = "600000.SH," + T930 + ",10,10,10,10,100,1000\n";
        String row2 = "600000.SH," + (T930 + 60_000) + ",10,10,10,10,100,1000\n";
        String row3 = "600000.SH," + (T930 + 120_000) + ",10,10,10,10,100,1000\n";
        BarCsvImport.Result many = small.parse(H + row + row2 + row3);
        assertEquals(List.of("line 4: too many rows: at most 2"), many.errors());
        assertEquals(Map.of(), many.bars());
        BarCsvImport roomy = new BarCsvImport(Interval.M1, A_SHARE, KNOWN::contains, new BarCsvImport.Options(5, 60, 3), NOW);
        BarCsvImport.Result longLine = roomy.parse(H + row + "600000.SH," + "9".repeat(100) + "\n" + row2);
        assertEquals(List.of("line 3: line longer than 60 characters"), longLine.errors());
        BarCsvImport.Result bounded = roomy.parse(H + "x\ny\nz\nw\n");
        assertEquals(4, bounded.errorCount());
        assertEquals(3, bounded.errors().size());
        assertEquals("line 4: expected 8 columns, got 1", bounded.errors().get(2));
        assertThrows(IllegalArgumentException.class, () -> new BarCsvImport(Interval.M5, A_SHARE, KNOWN::contains,
                BarCsvImport.Options.DEFAULT, NOW));
    }

    /**
     * A bar after the current one of its interval is refused, naming its line: such a bar sorted after the live bar
     * in K-lines, and one past 2262 passed here and then failed in InfluxDB's nanoseconds as a 500.
     */
    @Test
    void aBarAfterTheCurrentBarOfItsIntervalIsRefused() {
        long now = Reference.ms(LocalDateTime.of(2026, 2, 2, 10, 0, 30));
        BarCsvImport minutes = new BarCsvImport(Interval.M1, A_SHARE, KNOWN::contains, BarCsvImport.Options.DEFAULT, now);
        BarCsvImport.Result r = minutes.parse(H
                + "600000.SH,2026-02-02T10:00:00+08:00,10,10,10,10,0,0\n"  // 2 ok: the current bar
                + "600000.SH,2026-02-02T10:01:00+08:00,10,10,10,10,0,0\n"  // 3 the next minute
                + "600000.SH,999999999960000,10,10,10,10,0,0\n"            // 4 year 33658
                + "600000.SH,2300-01-02T01:30:00Z,10,10,10,10,0,0\n"       // 5 past InfluxDB's 2262
                + "600000.SH,9999-12-31T23:59:00Z,10,10,10,10,0,0\n");     // 6
        assertEquals(4, r.errorCount(), r.errors().toString());
        assertEquals("line 3: time 2026-02-02T02:01:00Z is in the future: after the current 1m bar"
                + " (2026-02-02T02:00:00Z)", r.errors().get(0));
        assertTrue(r.errors().get(1).startsWith("line 4: time +33658-"), r.errors().get(1));
        assertTrue(r.errors().get(2).startsWith("line 5: time 2300-01-02T01:30:00Z is in the future"), r.errors().get(2));
        assertTrue(r.errors().get(3).startsWith("line 6: time 9999-12-31T23:59:00Z is in the future"), r.errors().get(3));

        BarCsvImport days = new BarCsvImport(Interval.D1, A_SHARE, KNOWN::contains, BarCsvImport.Options.DEFAULT, now);
        assertTrue(days.parse(H + "600000.SH,2026-02-02T00:00:00+08:00,10,10,10,10,0,0\n").ok(), "today's bar");
        assertTrue(days.parse(H + "600000.SH,2026-02-03T00:00:00+08:00,10,10,10,10,0,0\n").errors().get(0)
                .startsWith("line 2: time 2026-02-02T16:00:00Z is in the future: after the current 1d bar"));
    }

    /** On the A-share calendar a bar must lie in trading: a trading day's 1d bar, a 1m bar of a session or 09:25. */
    @Test
    void aBarOutsideTradingOnItsCalendarIsRefused() {
        MarketCalendar withHoliday = new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH, LocalTime.of(15, 0),
                Set.of(java.time.LocalDate.of(2026, 1, 30)));
        BarCsvImport days = new BarCsvImport(Interval.D1, withHoliday, KNOWN::contains, BarCsvImport.Options.DEFAULT, NOW);
        BarCsvImport.Result d = days.parse(H
                + "600000.SH,2026-02-02T00:00:00+08:00,10,10,10,10,0,0\n"  // 2 ok: Monday
                + "600000.SH,2026-01-31T00:00:00+08:00,10,10,10,10,0,0\n"  // 3 Saturday
                + "600000.SH,2026-01-30T00:00:00+08:00,10,10,10,10,0,0\n"); // 4 a holiday
        assertEquals(List.of("line 3: time 2026-01-30T16:00:00Z is outside trading: not a trading day on the A_SHARE"
                + " calendar", "line 4: time 2026-01-29T16:00:00Z is outside trading: not a trading day on the A_SHARE"
                + " calendar"), d.errors());

        StringBuilder csv = new StringBuilder(H);
        // Lines 2-6 in trading (09:25 is the opening auction's minute), 7-11 not: Sunday night, the auction,
        // the pre-open, the lunch break.
        for (String t : List.of("2026-02-02T09:25", "2026-02-02T09:30", "2026-02-02T11:29", "2026-02-02T13:00",
                "2026-02-02T14:59", "2026-02-01T03:00", "2026-02-02T09:24", "2026-02-02T09:26", "2026-02-02T11:30",
                "2026-02-02T12:59")) {
            csv.append("600000.SH,").append(t).append(":00+08:00,10,10,10,10,0,0\n");
        }
        List<String> e = importer(Interval.M1).parse(csv.toString()).errors();
        assertEquals(5, e.size(), e.toString());
        for (int i = 0; i < 5; i++) {
            assertTrue(e.get(i).startsWith("line " + (7 + i) + ": time "), e.get(i));
            assertTrue(e.get(i).endsWith(" is outside trading: not a minute of continuous trading or the opening auction"
                    + " on the A_SHARE calendar"), e.get(i));
        }
    }
}
