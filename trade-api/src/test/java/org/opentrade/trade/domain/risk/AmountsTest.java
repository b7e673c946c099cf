package org.opentrade.trade.domain.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AmountsTest {
    @Test
    void moneyIsWrittenWithTwoDecimalsAndSpacedThousands() {
        assertEquals("1 234.56", Amounts.money(123_456));
        assertEquals("0.05", Amounts.money(5));
        assertEquals("0.00", Amounts.money(0));
        assertEquals("-1.00", Amounts.money(-100));
        assertEquals("50 000 000.00", Amounts.money(5_000_000_000L));
        assertEquals("-92 233 720 368 547 758.08", Amounts.money(Long.MIN_VALUE));
    }

    @Test
    void quantitiesAreWrittenWithSpacedThousands() {
        assertEquals("1 000 000", Amounts.qty(1_000_000));
        assertEquals("100", Amounts.qty(100));
        assertEquals("-1 000", Amounts.qty(-1_000));
    }
}
