package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class MarketCalendarTest {

    @Test
    void sessionMinutesAreTheAShareSessionsOrTheWholeContinuousDay() {
        LocalDate day = LocalDate.of(2026, 2, 2);
        MarketCalendar aShare = new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH, LocalTime.of(15, 0));
        assertArrayEquals(Reference.sessionMinutes(day, false).stream().mapToLong(Long::longValue).toArray(),
                aShare.sessionMinuteStarts(day));
        assertArrayEquals(Reference.sessionMinutes(day, true).stream().mapToLong(Long::longValue).toArray(),
                MarketCalendar.shanghaiContinuous().sessionMinuteStarts(day));
    }

    @Test
    void aDayEndThatIsNotAWholeMinuteIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new MarketCalendar(MarketCalendar.Kind.CONTINUOUS, Reference.SH, LocalTime.of(15, 0, 30)));
        assertThrows(IllegalArgumentException.class,
                () -> new MarketCalendar(null, Reference.SH, LocalTime.of(15, 0)));
    }
}
