package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * {@link MatchingEngine#ordersOf}: an account's live orders (resting with their leaves quantity,
 * untriggered stops) across all symbols, by symbol then order id; finished orders drop out (pure
 * matching).
 */
class AccountOrdersTest extends ExchangeScenario {
    private static final String OTHER = "000001.SZ";

    private List<String> ordersOf(Trader t) {
        return engine().ordersOf(t.account()).stream()
                .map(o -> o.symbol() + " " + o.orderId() + " " + o.side() + " " + o.orderType() + " filled "
                        + o.filledQty() + " leaves " + o.leavesQty())
                .toList();
    }

    @Test
    void ordersOfListsRestingOrdersAndStopsAcrossSymbolsBySymbolThenId() {
        given(alice.buys(9, 100, "9.99"), alice.sells(3, 100, "10.10").on(OTHER), bob.buys(4, 100, "9.98"),
                alice.sellsStop(5, 200, "9.50"), alice.buys(1, 100, "9.97").on(OTHER));
        assertEquals(List.of("000001.SZ 1 BUY LIMIT filled 0 leaves 100", "000001.SZ 3 SELL LIMIT filled 0 leaves 100",
                "600000.SH 5 SELL STOP filled 0 leaves 200", "600000.SH 9 BUY LIMIT filled 0 leaves 100"),
                ordersOf(alice));
    }

    @Test
    void partiallyFilledOrderShowsItsLeavesQuantity() {
        given(alice.sells(1, 300, "10.00"));
        when(bob.buys(2, 120, "10.00"));
        assertEquals(List.of(new OrderView(1, "alice", SYMBOL, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 1000,
                Price.NONE, 300, 120, 180, epochMillis("2024-03-04T10:00"))), engine().ordersOf("alice"));
        assertEquals(List.of(), ordersOf(bob), "the taker filled completely");
    }

    @Test
    void filledAndCanceledOrdersDropOut() {
        given(alice.sells(1, 100, "10.00"), alice.sells(2, 100, "10.01"), alice.buys(3, 100, "9.90"),
                alice.buysStop(4, 100, "10.50"));
        when(bob.buys(5, 100, "10.00"));
        when(alice.cancels(3));
        when(alice.cancels(4));
        assertEquals(List.of("600000.SH 2 SELL LIMIT filled 0 leaves 100"), ordersOf(alice));
    }

    @Test
    void anAccountWithoutLiveOrdersHasNone() {
        given(alice.buys(1, 100, "9.99"));
        assertEquals(List.of(), ordersOf(carol));
        assertEquals(List.of(), engine().ordersOf(null));
    }
}
