package org.opentrade.trade.domain.ledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.opentrade.trade.domain.Fill;

/**
 * Everything the ledger keeps for one account. Ledger thread only. Open orders are always kept; of the
 * history, the {@link LedgerOptions#historyKept()} orders closed last and the as many newest fills: memory is
 * bounded per account, whatever it trades ({@link #prune}).
 *
 * <p>Books balance exactly: {@code cash + Σ holding basis + feesPaid − realized == startingCash}.
 */
final class AccountBook {
    final String account;
    long startingCash;
    long cash;
    long realized;
    long feesPaid;
    /** Last order-stream seq handed out. */
    long updateSeq;
    long openedAt;
    long resetAt;
    /**
     * {@link #nextOrderIndex} when the account was last reset (or opened): its orders numbered below were placed
     * before it. -1 when unknown (restored from a snapshot of an older format): {@link #resetAt} tells then.
     */
    long resetOrderIndex;
    final TreeMap<String, Holding> holdings = new TreeMap<>();
    /** The orders kept, by {@link OrderEntry#index} (creation order): the open ones and the newest closed ones. */
    final TreeMap<Long, OrderEntry> orders = new TreeMap<>();
    /**
     * The closed ones among {@link #orders} in the order they closed (by their last update seq, which a closed
     * order keeps; then by index): the one closed first goes first when there are too many.
     */
    final TreeSet<OrderEntry> closed = new TreeSet<>(CLOSING_ORDER);
    /** The index the next order gets: how many orders the account ever had. */
    long nextOrderIndex;
    final Map<String, OrderEntry> byOrderId = new HashMap<>();
    final Map<String, OrderEntry> byClientId = new HashMap<>();
    /** Open orders in creation order: reservations, held shares and cancel-all read only these. */
    final LinkedHashMap<String, OrderEntry> open = new LinkedHashMap<>();
    /**
     * The fills kept, oldest first, are {@code fillSlots[fillsStart..]}; the slots before are dropped ones (null)
     * not yet compacted away (once they are as many as the kept ones: amortised O(1) per fill).
     */
    private final ArrayList<Fill> fillSlots = new ArrayList<>();
    private int fillsStart;
    /** The account's fill number of the oldest fill kept: how many were dropped before it. */
    long firstFillIndex;
    /**
     * Cash the open buys reserve: the sum of their {@link OrderEntry#reservedCash}, kept incrementally
     * by the ledger on every order change (accepted, filled, canceled, replaced, rejected, expired), so
     * a buying-power check is O(1) instead of a pass over the open orders. Derived: not in snapshots.
     */
    long reserved;
    /** Per symbol, shares open sells hold (sum of {@link OrderEntry#heldShares}); absent = 0. Derived. */
    final Map<String, long[]> heldForSells = new HashMap<>();

    private static final Comparator<OrderEntry> CLOSING_ORDER =
            Comparator.<OrderEntry>comparingLong(e -> e.updateSeq).thenComparingLong(e -> e.index);

    AccountBook(String account) {
        this.account = account;
    }

    void add(OrderEntry e) {
        orders.put(e.index, e);
        nextOrderIndex = Math.max(nextOrderIndex, e.index + 1);
        byOrderId.put(e.orderId, e);
        byClientId.put(e.clientOrderId, e);
        if (e.isOpen()) {
            open.put(e.orderId, e);
        } else {
            closed.add(e);
        }
    }

    /**
     * Drops the orders closed first beyond {@code kept} (each handed to {@code dropped}, for the ledger's own
     * index by exchange id) and the oldest fills beyond {@code kept}. A dropped order's ids are forgotten: its
     * {@code client_order_id} may be used again. Deterministic: what is kept depends on the state only.
     */
    void prune(int kept, Consumer<OrderEntry> dropped) {
        while (closed.size() > kept) {
            forget(closed.first(), dropped);
        }
        while (fillCount() > kept) {
            fillSlots.set(fillsStart++, null);
            firstFillIndex++;
        }
        if (fillsStart > 0 && fillsStart >= fillCount()) {
            fillSlots.subList(0, fillsStart).clear();
            fillsStart = 0;
        }
    }

    /** Drops closed order {@code e} from the history (handed to {@code dropped}); its ids are forgotten. */
    void forget(OrderEntry e, Consumer<OrderEntry> dropped) {
        closed.remove(e);
        orders.remove(e.index);
        byOrderId.remove(e.orderId, e);
        byClientId.remove(e.clientOrderId, e);
        dropped.accept(e);
    }

    void addFill(Fill f) {
        fillSlots.add(f);
    }

    /** How many fills are kept. */
    int fillCount() {
        return fillSlots.size() - fillsStart;
    }

    /** The account's fill number {@code n} (the first ever is 0), null when it was dropped or is not yet. */
    Fill fill(long n) {
        long i = n - firstFillIndex;
        return i < 0 || i >= fillCount() ? null : fillSlots.get(fillsStart + (int) i);
    }

    /** The fills kept, oldest first (a view). */
    List<Fill> fills() {
        return Collections.unmodifiableList(fillSlots.subList(fillsStart, fillSlots.size()));
    }

    Holding holding(String symbol) {
        return holdings.computeIfAbsent(symbol, Holding::new);
    }

    /** Shares of {@code symbol} that open sell orders may still take. O(1). */
    long heldForSells(String symbol) {
        long[] held = heldForSells.get(symbol);
        return held == null ? 0 : held[0];
    }

    /** Adds {@code delta} shares to what open sells of {@code symbol} hold (the ledger's bookkeeping). */
    void addHeldForSells(String symbol, long delta) {
        long[] held = heldForSells.computeIfAbsent(symbol, k -> new long[1]);
        held[0] = Math.addExact(held[0], delta);
        if (held[0] == 0) {
            heldForSells.remove(symbol);
        }
    }
}
