package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** FIX decimals ↔ hundredths and shares, exactly, with REST's rules. */
class FixPricesTest {
    @Test
    void pricesConvertExactlyWhateverTheirTrailingZeros() {
        assertEquals(1001, FixPrices.hundredths("10.01", "p"));
        assertEquals(1001, FixPrices.hundredths("10.010", "p"));
        assertEquals(1000, FixPrices.hundredths("10", "p"));
        assertEquals(1000, FixPrices.hundredths("10.", "p"));
        assertEquals(50, FixPrices.hundredths(".5", "p"));
        assertEquals(1_000_000_000, FixPrices.hundredths("10000000.00", "p"));
    }

    @Test
    void randomPricesRoundTripThroughTheirDecimalText() {
        Random r = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            long h = 1 + (long) (r.nextDouble() * 999_999_999L);
            String text = FixPrices.decimal(h);
            assertEquals(new BigDecimal(h).movePointLeft(2).setScale(2).toPlainString(), text);
            assertEquals(h, FixPrices.hundredths(text, "p"));
        }
    }

    @Test
    void pricesWithMoreThanTwoDecimalsOrOutOfRangeOrNotNumbersAreRefusedWithRestsRule() {
        for (String bad : new String[] {"10.001", "0", "-1.00", "0.00", "10000000.01", "1e3", "abc", "", "1,00", "NaN"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FixPrices.hundredths(bad, "Price(44)"), bad);
            assertEquals("Price(44) must be a positive decimal with at most 2 places, such as 10.01", e.getMessage());
        }
    }

    @Test
    void quantitiesAreWholeShares() {
        assertEquals(300, FixPrices.shares("300", "q"));
        assertEquals(300, FixPrices.shares("300.00", "q"));
        assertEquals(1_000_000_000, FixPrices.shares("1000000000", "q")); // REST's bound too
        for (String bad : new String[] {"300.5", "0", "-100", "1000000001", "1e2", "x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FixPrices.shares(bad, "q"), bad);
            assertEquals("q must be a whole number from 1 to 1000000000", e.getMessage()); // REST's text
        }
    }
}
