package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import quickfix.Message;

/**
 * OrderMassCancelRequest (q) through a QuickFIX/J initiator against trade-api and the real exchange: an
 * OrderMassCancelReport (r) at once, then each affected order's own cancel; refusals say why.
 */
class FixMassCancelTest extends FixHarnessTest {

    @Test
    void aMassCancelOfAllOrdersCancelsEveryOpenOrderOfTheAccountAndCountsThem() throws Exception {
        try (FixClient c = h.client("dev_mass_all")) {
            c.send(FixMessages.limitBuy("ma-1", "600519.SH", 100, "1450.00"));
            c.expectReport('0', '0', 0, 100);
            c.send(FixMessages.limitBuy("ma-2", "601318.SH", 200, "51.00"));
            c.expectReport('0', '0', 0, 200);

            c.send(FixMessages.massCancel("ma-x", '7', null, null));

            Message r = c.next("r");
            assertEquals("ma-x", r.getString(11));
            assertEquals('7', r.getChar(531), "MassCancelResponse: all orders");
            assertEquals(2, r.getInt(533), "TotalAffectedOrders");
            assertFalse(r.isSetField(532));
            Set<String> canceled = new HashSet<>();
            canceled.add(c.expectReport('4', '4', 0, 0).getString(11));
            canceled.add(c.expectReport('4', '4', 0, 0).getString(11));
            assertEquals(Set.of("ma-1", "ma-2"), canceled);
        }
    }

    @Test
    void aMassCancelOfOneSymbolLeavesTheOtherSymbolsOrdersOpen() throws Exception {
        try (FixClient c = h.client("dev_mass_one")) {
            c.send(FixMessages.limitBuy("mo-1", "688981.SH", 100, "85.00"));
            c.expectReport('0', '0', 0, 100);
            c.send(FixMessages.limitBuy("mo-2", "300750.SZ", 100, "240.00"));
            c.expectReport('0', '0', 0, 100);

            c.send(FixMessages.massCancel("mo-x", '1', "688981.SH", null));

            Message r = c.next("r");
            assertEquals('1', r.getChar(531));
            assertEquals(1, r.getInt(533));
            assertEquals("mo-1", c.expectReport('4', '4', 0, 0).getString(11));
            c.send(FixMessages.status("mo-2", "300750.SZ", '1'));
            c.expectReport('I', '0', 0, 100);
        }
    }

    @Test
    void aMassCancelOfOneSideLeavesTheOtherSidesOrdersOpen() throws Exception {
        h.counter("601288.SH", "SELL", "5.20", 100);
        try (FixClient c = h.client("dev_mass_side")) {
            c.send(FixMessages.limitBuy("ms-0", "601288.SH", 100, "5.20"));
            c.expectReport('0', '0', 0, 100);
            c.expectReport('F', '2', 100, 0); // bought: shares to rest a sell with
            c.send(FixMessages.limitBuy("ms-1", "601288.SH", 100, "4.90"));
            c.expectReport('0', '0', 0, 100);
            c.send(FixMessages.limitSell("ms-2", "601288.SH", 100, "5.60"));
            c.expectReport('0', '0', 0, 100);

            c.send(FixMessages.massCancel("ms-x", '7', null, '1')); // the buys

            Message r = c.next("r");
            assertEquals('7', r.getChar(531));
            assertEquals(1, r.getInt(533), "one open buy");
            assertEquals("ms-1", c.expectReport('4', '4', 0, 0).getString(11));
            c.send(FixMessages.status("ms-2", "601288.SH", '2'));
            c.expectReport('I', '0', 0, 100);
        }
    }

    @Test
    void anUnsupportedMassCancelIsRefusedWithItsReasonAndCancelsNothing() throws Exception {
        try (FixClient c = h.client("dev_mass_refused")) {
            c.send(FixMessages.limitBuy("mr-1", "002594.SZ", 100, "260.00"));
            c.expectReport('0', '0', 0, 100);

            c.send(FixMessages.massCancel("mr-x", '3', null, null)); // by product
            Message byProduct = c.next("r");
            assertEquals('0', byProduct.getChar(531), "rejected");
            assertEquals('0', byProduct.getChar(532), "mass cancel (of this type) not supported");
            c.send(FixMessages.massCancel("mr-y", '1', null, null));
            assertEquals('1', c.next("r").getChar(532), "no Symbol to cancel");
            c.send(FixMessages.massCancel("mr-z", '7', null, '5')); // sell short
            Message bySide = c.next("r");
            assertEquals('0', bySide.getChar(532));
            assertTrue(bySide.getString(58).contains("Side(54)"), bySide.toString());

            c.send(FixMessages.status("mr-1", "002594.SZ", '1'));
            c.expectReport('I', '0', 0, 100);
        }
    }
}
