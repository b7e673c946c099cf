package org.opentrade.market.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.market.domain.MarketError;

/** The quotes {@code symbols} parameter: distinct codes count, not characters; empty items are -1002. */
class ParamsTest {
    private static final int MAX = MarketRoutes.MAX_QUOTE_SYMBOLS;
    private static final int CHARS = MarketRoutes.MAX_SYMBOLS_CHARS;

    private static MarketError error(String raw) {
        return assertThrows(Params.BadParam.class, () -> Params.symbols(raw, MAX, CHARS)).error;
    }

    private static String codes(int n, int from) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format("%06d.SH", from + i));
        }
        return sb.toString();
    }

    @Test
    void aSymbolListedManyTimesCountsOnce() {
        String repeated = String.join(",", java.util.Collections.nCopies(800, "600000.SH"));
        assertEquals(List.of("600000.SH"), List.copyOf(Params.symbols(repeated, MAX, CHARS)));
        String hundred = codes(MAX, 1);
        assertEquals(MAX, Params.symbols(hundred + "," + hundred + "," + hundred, MAX, CHARS).size());
    }

    @Test
    void codesComeStrippedInTheOrderFirstListed() {
        assertEquals(List.of("000001.SZ", "600000.SH"),
                List.copyOf(Params.symbols(" 000001.SZ ,600000.SH, 000001.SZ", MAX, CHARS)));
    }

    @Test
    void moreThanTheMaximumOfDistinctCodesIsTooManySymbols() {
        assertEquals(MarketError.TOO_MANY_SYMBOLS, error(codes(MAX + 1, 1)));
        assertEquals(MarketError.TOO_MANY_SYMBOLS, error(codes(MAX + 1, 1) + ",,"));
        assertEquals(MarketError.TOO_MANY_SYMBOLS, error(",," + codes(MAX + 1, 1)));
    }

    @Test
    void emptyItemsAreInvalidHoweverManyCommas() {
        assertEquals(MarketError.INVALID_PARAMETER, error(",".repeat(7_000)));
        assertEquals(MarketError.INVALID_PARAMETER, error("600000.SH,"));
        assertEquals(MarketError.INVALID_PARAMETER, error("600000.SH,,000001.SZ"));
        assertEquals(MarketError.INVALID_PARAMETER, error("600000.SH, ,000001.SZ"));
        assertEquals(MarketError.INVALID_PARAMETER, error(codes(MAX, 1) + ",".repeat(5_000)));
        assertEquals(MarketError.INVALID_PARAMETER, error(null));
        assertEquals(MarketError.INVALID_PARAMETER, error("  "));
    }

    @Test
    void aValueLongerThanARequestLineIsRefusedBeforeParsing() {
        String atLimit = ("600000.SH,".repeat(CHARS / 10 + 1)).substring(0, CHARS - 1) + "H";
        assertEquals(CHARS, atLimit.length());
        assertEquals(MarketError.INVALID_PARAMETER, error(atLimit + ","));
        assertEquals(MarketError.INVALID_PARAMETER, error("600000.SH,".repeat(100_000)));
    }

    @Test
    void timesOutsideTheYears1970To9999AreABadRangeNotAFailure() {
        // OffsetDateTime reads these; their milliseconds overflow a long (was a 500 with a stack trace).
        for (String t : new String[] {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z"}) {
            assertEquals(MarketError.BAD_RANGE,
                    assertThrows(Params.BadParam.class, () -> Params.time("from", t, 0)).error, t);
        }
        assertEquals(1_767_576_600_000L, Params.time("from", "2026-01-05T01:30:00Z", 0));
        assertEquals(1_767_576_600_000L, Params.time("from", "2026-01-05T09:30:00+08:00", 0));
    }
}
