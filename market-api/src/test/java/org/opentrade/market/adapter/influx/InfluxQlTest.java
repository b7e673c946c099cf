package org.opentrade.market.adapter.influx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.opentrade.market.domain.Instrument;
import org.opentrade.market.domain.Interval;

class InfluxQlTest {

    @Test
    void stringLiteralEscapesQuoteAndBackslash() {
        assertEquals("'600000.SH'", InfluxQl.string("600000.SH"));
        assertEquals("'a\\'b\\\\c'", InfluxQl.string("a'b\\c"));
    }

    @Test
    void identifierEscapesDoubleQuote() {
        assertEquals("\"my \\\"db\\\"\"", InfluxQl.identifier("my \"db\""));
    }

    @Test
    void onlyPlainSymbolsAreAccepted() {
        assertEquals("000001.SZ", InfluxQl.symbol("000001.SZ"));
        for (String bad : new String[] {null, "", "A'B", "A B", "A-B", "123456789012345678"}) {
            assertThrows(IllegalArgumentException.class, () -> InfluxQl.symbol(bad), String.valueOf(bad));
        }
    }

    @Test
    void everySymbolMarketApiServesIsAccepted() {
        for (String symbol : new String[] {"600000.SH", "BTC.X", "123456789012.ABCD", "abcdefghijkl.WXYZ"}) {
            assertTrue(Instrument.SYMBOL.matcher(symbol).matches(), symbol);
            assertEquals(symbol, InfluxQl.symbol(symbol));
        }
    }

    @Test
    void millisecondsBecomeNanosecondsSaturatedToInfluxRange() {
        assertEquals(1_767_576_600_000_000_000L, InfluxQl.nanos(1_767_576_600_000L));
        assertEquals(0L, InfluxQl.nanos(0));
        assertEquals(InfluxQl.MAX_NS, InfluxQl.nanos(Long.MAX_VALUE));
        assertEquals(InfluxQl.MIN_NS, InfluxQl.nanos(Long.MIN_VALUE));
    }

    @Test
    void leftoverRunsNeverSpanANewTime() {
        // old 1..9; new at 3, 5 and 6 (6 is not old): runs [1,2], [4,4], [7,9]
        List<long[]> runs = InfluxTimeSeriesStore.leftoverRuns(List.of(1L, 2L, 3L, 4L, 5L, 7L, 8L, 9L),
                new TreeSet<>(List.of(3L, 5L, 6L)));
        assertEquals(3, runs.size());
        assertArrayEquals(new long[] {1, 2}, runs.get(0));
        assertArrayEquals(new long[] {4, 4}, runs.get(1));
        assertArrayEquals(new long[] {7, 9}, runs.get(2));
    }

    @Test
    void leftoverRunsAreBrokenByANewTimeBetweenTwoOldOnes() {
        List<long[]> runs = InfluxTimeSeriesStore.leftoverRuns(List.of(10L, 20L), new TreeSet<>(List.of(15L)));
        assertEquals(2, runs.size());
    }

    @Test
    void onlyMinuteAndDayBarsHaveAMeasurement() {
        assertEquals("bars_1m", InfluxTimeSeriesStore.barMeasurement(Interval.M1));
        assertEquals("bars_1d", InfluxTimeSeriesStore.barMeasurement(Interval.D1));
        assertThrows(IllegalArgumentException.class, () -> InfluxTimeSeriesStore.barMeasurement(Interval.M5));
    }
}
