package org.opentrade.trade.domain.desk;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What replaces ask beyond what their orders hold, from the request until the exchange's answer is in the
 * ledger. The ledger moves an order's reservation when the feed brings the exchange's REPLACED event; a
 * new order reserves at once. Without these holds, a replace checked against the buying power and a new
 * order sent beside it were each checked against the same money (or the same shares for sells), and both
 * passed. Per order: the largest extra any of its pending replaces asked and how many are pending; the
 * hold goes when the last is answered (a REPLACED event, or the exchange's rejection) or the order closes,
 * and at the latest {@link #MAX_HOLD_MS} after the order's last replace: a replace whose answer was lost (the
 * command timed out) must not hold the cash until a long-lived order closes, nor keep a later replace's extra
 * held once the ledger reserves it. In memory only: a restart rebuilds the ledger from the feed, which
 * carries the answers. The trade context only.
 */
final class ReplaceHolds {
    /** Well past the exchange's answer time (seconds) and the feed's lag: only a lost answer is held this long. */
    static final long MAX_HOLD_MS = 30_000;

    private static final class Hold {
        final String account;
        final String symbol;
        final boolean buy;
        long amount;
        int pending;
        long until;
        /** The quantity and price the latest pending replace asked for. */
        long qty;
        long price;

        Hold(String account, String symbol, boolean buy) {
            this.account = account;
            this.symbol = symbol;
            this.buy = buy;
        }
    }

    private final Map<Long, Hold> byOrder = new HashMap<>();
    /** Per account, the cash held; per account and symbol, the shares held. No zero entries. */
    private final Map<String, Long> cash = new HashMap<>();
    private final Map<String, Long> shares = new HashMap<>();

    /**
     * A replace of order {@code exchangeId} to {@code qty} at {@code price} was sent, asking {@code extra} (cash for
     * a buy, shares for a sell) more.
     */
    void hold(long exchangeId, String account, String symbol, boolean buy, long extra, long qty, long price, long nowMs) {
        expire(nowMs);
        Hold h = byOrder.computeIfAbsent(exchangeId, id -> new Hold(account, symbol, buy));
        h.pending++;
        h.until = nowMs + MAX_HOLD_MS;
        h.qty = qty;
        h.price = price;
        if (extra > h.amount) {
            add(h, extra - h.amount);
            h.amount = extra;
        }
    }

    /**
     * {quantity, price} the order's latest pending replace asked for, or null when none is pending: what a replace
     * sent meanwhile starts from for the fields it leaves out (the ledger still has the order before it).
     */
    long[] pendingTarget(long exchangeId, long nowMs) {
        expire(nowMs);
        Hold h = byOrder.get(exchangeId);
        return h == null ? null : new long[] {h.qty, h.price};
    }

    /** One replace of the order was answered (its REPLACED event applied, or the exchange refused it). */
    void answered(long exchangeId) {
        Hold h = byOrder.get(exchangeId);
        if (h != null && --h.pending <= 0) {
            release(exchangeId, h);
        }
    }

    /** The order closed (filled, canceled, expired): nothing of it is held any more. */
    void closed(long exchangeId) {
        Hold h = byOrder.get(exchangeId);
        if (h != null) {
            release(exchangeId, h);
        }
    }

    /** The account was reset: its orders are gone. */
    void dropAccount(String account) {
        for (Iterator<Map.Entry<Long, Hold>> it = byOrder.entrySet().iterator(); it.hasNext(); ) {
            Hold h = it.next().getValue();
            if (h.account.equals(account)) {
                add(h, -h.amount);
                it.remove();
            }
        }
    }

    long cash(String account, long nowMs) {
        expire(nowMs);
        return cash.getOrDefault(account, 0L);
    }

    long shares(String account, String symbol, long nowMs) {
        expire(nowMs);
        return shares.getOrDefault(account + "\u0000" + symbol, 0L);
    }

    /** Drops holds past {@link #MAX_HOLD_MS}; cheap when there are none (the usual case). */
    private void expire(long nowMs) {
        if (byOrder.isEmpty()) {
            return;
        }
        for (Iterator<Map.Entry<Long, Hold>> it = byOrder.entrySet().iterator(); it.hasNext(); ) {
            Hold h = it.next().getValue();
            if (h.until <= nowMs) {
                add(h, -h.amount);
                it.remove();
            }
        }
    }

    int size() {
        return byOrder.size();
    }

    private void release(long exchangeId, Hold h) {
        add(h, -h.amount);
        byOrder.remove(exchangeId);
    }

    private void add(Hold h, long delta) {
        if (delta == 0) {
            return;
        }
        if (h.buy) {
            cash.merge(h.account, delta, (a, b) -> a + b == 0 ? null : a + b);
        } else {
            shares.merge(h.account + "\u0000" + h.symbol, delta, (a, b) -> a + b == 0 ? null : a + b);
        }
    }
}
