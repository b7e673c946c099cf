package org.opentrade.common.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import org.junit.jupiter.api.Test;

class IsoTimesParseTest {
    @Test
    void rfc3339TimesWithAnyOffsetAndFractionAreRead() {
        assertEquals(0, IsoTimes.parse("1970-01-01T00:00:00Z"));
        assertEquals(1_767_576_600_500L, IsoTimes.parse("2026-01-05T09:30:00.5+08:00"));
        assertEquals(IsoTimes.YEAR_10000_MS - 1, IsoTimes.parse("9999-12-31T23:59:59.999Z"));
    }

    @Test
    void yearsWhoseMillisecondsOverflowOrThatCannotBeWrittenBackAreRefusedAsTimes() {
        // OffsetDateTime takes these; toEpochMilli() of the first two throws ArithmeticException.
        for (String t : new String[] {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
                "+300000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z"}) {
            assertThrows(DateTimeException.class, () -> IsoTimes.parse(t), t);
        }
        assertThrows(DateTimeException.class, () -> IsoTimes.parse("2026-01-05"));
        assertThrows(DateTimeException.class, () -> IsoTimes.parse("2026-01-05T09:30:00"));
    }
}
