package org.opentrade.bench.fix;

import java.util.List;
import org.opentrade.bench.trade.BenchSymbol;
import quickfix.Message;
import quickfix.fix44.NewOrderSingle;

/**
 * The orders of a FIX load run: order <i>i</i> goes out on session {@code i mod sessions} as a limit buy
 * of one lot of symbol {@code (i / sessions) mod symbols} at {@link BenchSymbol#restingBuy} (91.2-92 % of
 * the reference: below every simulator quote, inside the band, on the tick), TimeInForce {@code tif}
 * (IOC: the exchange accepts and cancels it at once, so open orders and reserved cash do not pile up;
 * day: it rests), with ClOrdID {@code <prefix><i>}. The same orders, byte for byte, go to trade-api's
 * acceptor and to the bare one. Immutable; {@link #newOrder} builds a fresh message per call (any thread).
 */
public final class FixOrderPlan {
    /** TimeInForce(59) values the plan sends. */
    public static final char DAY = '0';
    public static final char IOC = '3';
    /** ClOrdIDs of the probe orders are {@code <prefix>probe<session>}. */
    static final String PROBE = "probe";
    /** A fixed TransactTime(60): the acceptors do not check it, and formatting the clock per order costs. */
    static final String TRANSACT_TIME = "20260101-00:00:00.000";

    private final int sessions;
    private final List<BenchSymbol> symbols;
    private final String prefix;
    private final char tif;

    /**
     * @param prefix ClOrdID prefix, unique per run and account (a repeated ClOrdID is a duplicate: rejected)
     */
    public FixOrderPlan(int sessions, List<BenchSymbol> symbols, String prefix, char tif) {
        if (sessions < 1 || symbols.isEmpty()) {
            throw new IllegalArgumentException("need at least one session and one symbol");
        }
        if (!prefix.matches("[A-Za-z0-9._:-]{1,28}") || Character.isDigit(prefix.charAt(prefix.length() - 1))) {
            throw new IllegalArgumentException("ClOrdID prefix must be 1-28 characters of [A-Za-z0-9._:-], not ending"
                    + " in a digit: " + prefix);
        }
        if (tif != DAY && tif != IOC) {
            throw new IllegalArgumentException("TimeInForce must be day (0) or IOC (3): " + tif);
        }
        this.sessions = sessions;
        this.symbols = List.copyOf(symbols);
        this.prefix = prefix;
        this.tif = tif;
    }

    public int sessions() {
        return sessions;
    }

    /** The session (0-based) order {@code index} is sent on. */
    public int session(long index) {
        return (int) (index % sessions);
    }

    public BenchSymbol symbol(long index) {
        return symbols.get((int) ((index / sessions) % symbols.size()));
    }

    /** Price of order {@code index} in hundredths: one of five resting levels, stepping once per full round. */
    public long price(long index) {
        return symbol(index).restingBuy(index / ((long) sessions * symbols.size()));
    }

    public String clOrdId(long index) {
        return prefix + index;
    }

    /** The order index named by a ClOrdID of this plan; -1 for any other ClOrdID (a probe's, another run's). */
    public long index(String clOrdId) {
        if (clOrdId == null || !clOrdId.startsWith(prefix) || clOrdId.length() == prefix.length()
                || clOrdId.length() - prefix.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = prefix.length(); i < clOrdId.length(); i++) {
            char c = clOrdId.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public String probeClOrdId(int session) {
        return prefix + PROBE + session;
    }

    public boolean isProbe(String clOrdId) {
        return clOrdId != null && clOrdId.startsWith(prefix + PROBE);
    }

    /** The NewOrderSingle of order {@code index}. */
    public Message newOrder(long index) {
        return order(clOrdId(index), symbol(index), price(index));
    }

    /** The probe order of {@code session}: like its first order, under the probe ClOrdID. */
    public Message probe(int session) {
        return order(probeClOrdId(session), symbol(session), price(session));
    }

    private Message order(String clOrdId, BenchSymbol s, long price) {
        NewOrderSingle m = new NewOrderSingle();
        m.setString(11, clOrdId);
        m.setString(55, s.symbol());
        m.setChar(54, '1'); // buy
        m.setChar(40, '2'); // limit
        m.setChar(59, tif);
        m.setInt(38, s.lot());
        m.setString(44, BenchSymbol.decimal(price));
        m.setString(60, TRANSACT_TIME);
        return m;
    }
}
