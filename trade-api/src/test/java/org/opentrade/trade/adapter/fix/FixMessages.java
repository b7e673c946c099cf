package org.opentrade.trade.adapter.fix;

import quickfix.Group;
import quickfix.Message;
import quickfix.fix44.MarketDataRequest;
import quickfix.fix44.SecurityListRequest;
import quickfix.fix44.NewOrderSingle;
import quickfix.fix44.OrderCancelReplaceRequest;
import quickfix.fix44.OrderCancelRequest;
import quickfix.fix44.OrderStatusRequest;

/** FIX 4.4 requests as an initiator sends them (decimal fields as exact strings). */
final class FixMessages {
    private FixMessages() {
    }

    static final String NOW = "20260101-00:00:00.000";

    /** @param ordType 1 market, 2 limit, 3 stop, 4 stop limit; tif 0 day, 1 gtc, 3 ioc, 4 fok; price null for none */
    static Message order(String clOrdId, String symbol, char side, char ordType, char tif, String qty, String price) {
        NewOrderSingle m = new NewOrderSingle();
        m.setString(11, clOrdId);
        m.setString(55, symbol);
        m.setChar(54, side);
        m.setChar(40, ordType);
        m.setChar(59, tif);
        m.setString(38, qty);
        if (price != null) {
            m.setString(44, price);
        }
        m.setString(60, NOW);
        return m;
    }

    static Message limitBuy(String clOrdId, String symbol, long qty, String price) {
        return order(clOrdId, symbol, '1', '2', '0', Long.toString(qty), price);
    }

    static Message limitSell(String clOrdId, String symbol, long qty, String price) {
        return order(clOrdId, symbol, '2', '2', '0', Long.toString(qty), price);
    }

    static Message cancel(String clOrdId, String origClOrdId, String symbol, char side) {
        OrderCancelRequest m = new OrderCancelRequest();
        m.setString(11, clOrdId);
        m.setString(41, origClOrdId);
        m.setString(55, symbol);
        m.setChar(54, side);
        m.setString(60, NOW);
        return m;
    }

    static Message replace(String clOrdId, String origClOrdId, String symbol, char side, long qty, String price) {
        OrderCancelReplaceRequest m = new OrderCancelReplaceRequest();
        m.setString(11, clOrdId);
        m.setString(41, origClOrdId);
        m.setString(55, symbol);
        m.setChar(54, side);
        m.setChar(40, '2');
        m.setString(38, Long.toString(qty));
        m.setString(44, price);
        m.setString(60, NOW);
        return m;
    }

    /** An OrderMassCancelRequest (q): {@code type} 7 all orders, 1 one symbol; symbol and side null for none. */
    static Message massCancel(String clOrdId, char type, String symbol, Character side) {
        quickfix.fix44.OrderMassCancelRequest m = new quickfix.fix44.OrderMassCancelRequest();
        m.setString(11, clOrdId);
        m.setChar(530, type);
        if (symbol != null) {
            m.setString(55, symbol);
        }
        if (side != null) {
            m.setChar(54, side);
        }
        m.setString(60, NOW);
        return m;
    }

    static Message status(String clOrdId, String symbol, char side) {
        OrderStatusRequest m = new OrderStatusRequest();
        m.setString(11, clOrdId);
        m.setString(55, symbol);
        m.setChar(54, side);
        return m;
    }

    /**
     * A MarketDataRequest (V).
     *
     * @param subscription 0 snapshot, 1 snapshot + updates, 2 unsubscribe
     * @param types        MDEntryTypes: "01" bids and offers, "012" with trades
     */
    static Message marketData(String reqId, char subscription, int depth, String types, String... symbols) {
        MarketDataRequest m = new MarketDataRequest();
        m.setString(262, reqId);
        m.setChar(263, subscription);
        m.setInt(264, depth);
        if (subscription == '1') {
            m.setInt(265, 1);
        }
        for (char t : types.toCharArray()) {
            Group g = new MarketDataRequest.NoMDEntryTypes();
            g.setChar(269, t);
            m.addGroup(g);
        }
        for (String symbol : symbols) {
            Group g = new MarketDataRequest.NoRelatedSym();
            g.setString(55, symbol);
            m.addGroup(g);
        }
        return m;
    }

    /** A SecurityListRequest (x): type 4 all (symbol null), 0 one symbol. */
    static Message securityList(String reqId, int type, String symbol) {
        SecurityListRequest m = new SecurityListRequest();
        m.setString(320, reqId);
        m.setInt(559, type);
        if (symbol != null) {
            m.setString(55, symbol);
        }
        return m;
    }
}
