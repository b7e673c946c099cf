package org.opentrade.trade.domain.ledger;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.Side;
import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.OrderStatus;

/**
 * The paper accounts of trade-api — orders, fills, holdings, cash — as an event-sourced projection
 * of two inputs: trade-api's own <b>intents</b> (open/reset an account, a new order, a send that
 * failed before reaching the exchange), recorded before the command leaves, and the exchange's
 * <b>feed</b> ({@link #apply}), every event of every shard in order.
 *
 * <p>Deterministic: the same intents and events, applied in the same interleaving, give the same
 * state and {@link #stateHash()}. Time only comes in with the inputs; reads that depend on the day
 * (T+1) take {@code now}. A rebuild must therefore replay intents at the feed position where they
 * were applied (an account reset between two fills changes the books).
 *
 * <p>Single-threaded: trade-api's one event-loop context owns it; no locks. Buying power and sellable
 * quantity are O(1) (reservations kept incrementally, {@code settleReservation}); account and
 * position reads are O(holdings); order and fill lists scan the account's history, which is bounded:
 * the open orders and {@link LedgerOptions#historyKept()} closed orders and fills.
 *
 * <p>Accounting (exact integers, hundredths): buys pay {@code price × qty + fee}, sells receive
 * {@code price × qty − fee}. Cost basis excludes fees; realized P&L is {@code proceeds − basis taken}
 * (before fees); fees are counted apart in {@code feesPaid}. Hence, per account, always
 * {@code cash + Σ basis + feesPaid − realizedPnl == startingCash}.
 */
public final class Ledger {
    private final LedgerOptions options;
    private final TreeMap<String, AccountBook> accounts = new TreeMap<>();
    private final Map<Long, OrderEntry> byExchangeId = new HashMap<>();
    /** Last feed seq applied per shard: duplicates are dropped, a gap fails fast. */
    private final TreeMap<Integer, Long> feedPositions = new TreeMap<>();
    /** Told (account, client order id) of every order dropped from the history. */
    private BiConsumer<String, String> droppedListener = (account, clientOrderId) -> { };
    /** Orders and fills kept over all accounts, and those dropped by this process: for metrics (any thread reads). */
    private volatile long ordersKept;
    private volatile long fillsKept;
    private volatile long ordersDropped;
    private volatile long fillsDropped;

    public Ledger(LedgerOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        this.options = options;
    }

    public LedgerOptions options() {
        return options;
    }

    // ------------------------------------------------------------------------------ accounts

    public boolean hasAccount(String account) {
        return accounts.containsKey(account);
    }

    /** Account ids in order. */
    public List<String> accountIds() {
        return List.copyOf(accounts.keySet());
    }

    /** Opens the account with {@code startingCash} (hundredths) unless it exists; true when it was created. */
    public boolean openAccount(String account, long startingCash, long time) {
        requireAccountId(account);
        requireCash(startingCash);
        if (accounts.containsKey(account)) {
            return false;
        }
        AccountBook a = new AccountBook(account);
        a.startingCash = startingCash;
        a.cash = startingCash;
        a.openedAt = time;
        a.resetAt = time;
        accounts.put(account, a);
        return true;
    }

    /** {@link #openAccount(String, long, long)} with the default starting cash. */
    public boolean openAccount(String account, long time) {
        return openAccount(account, options.defaultStartingCash(), time);
    }

    /**
     * Starts the account over with {@code startingCash}: cash, holdings, realized P&L and fees. Orders
     * and fills stay as history; open orders keep their reservation until the caller's cancels come
     * back as CANCELED events. A fill of such an order that races its cancel is recorded on the order and
     * in the fills, but moves nothing on the new slate: booked there, a sell of shares the reset wiped
     * opened a short no endpoint would show or close, and a buy spent the new balance. The
     * order-stream seq continues. Opens the account if it does not exist.
     */
    /** When the account was last reset (or opened), epoch ms; 0 for an unknown account. */
    public long resetAt(String account) {
        AccountBook a = accounts.get(account);
        return a == null ? 0 : a.resetAt;
    }

    public void resetAccount(String account, long startingCash, long time) {
        requireAccountId(account);
        requireCash(startingCash);
        if (openAccount(account, startingCash, time)) {
            return;
        }
        AccountBook a = accounts.get(account);
        a.startingCash = startingCash;
        a.cash = startingCash;
        a.realized = 0;
        a.feesPaid = 0;
        a.holdings.clear();
        a.resetAt = time;
        a.resetOrderIndex = a.nextOrderIndex;
    }

    /**
     * Whether order {@code orderId} was placed before the account's last reset: by the order's number in the
     * account, so two in one millisecond, or a clock that stepped back, do not confuse them (by time only for a
     * state restored from a snapshot that predates the numbers). False for an unknown order.
     */
    public boolean placedBeforeReset(String account, String orderId) {
        AccountBook a = accounts.get(account);
        OrderEntry e = a == null ? null : a.byOrderId.get(orderId);
        return e != null && placedBeforeReset(a, e);
    }

    private static boolean placedBeforeReset(AccountBook a, OrderEntry e) {
        return a.resetOrderIndex >= 0 ? e.index < a.resetOrderIndex : e.createdAt < a.resetAt;
    }

    // ------------------------------------------------------------------------------ intents

    /**
     * Records a new order before its command is sent: status pending_new, {@code orderId} the
     * exchange id in decimal. A buy reserves {@code leaves × reservePrice} plus the fees it would pay
     * there; {@code reservePrice} is ignored for orders with a limit price (the limit is used) and
     * required ({@code > 0}) for market and stop buys: the caller's bound on what they may pay (the
     * upper price band, say); a fill above it can push buying power below zero.
     *
     * @return the account's update (the pending_new order)
     * @throws IllegalArgumentException unknown account, used exchange id or client order id, bad request
     */
    public Update recordNewOrder(String account, long exchangeId, OrderRequest req, long reservePrice, long time) {
        AccountBook a = book(account);
        if (req == null || req.symbol() == null || req.side() == null || req.type() == null
                || req.timeInForce() == null || req.clientOrderId() == null) {
            throw new IllegalArgumentException("order request needs symbol, side, type, time in force and client id");
        }
        if (req.qty() <= 0) {
            throw new IllegalArgumentException("qty must be positive: " + req.qty());
        }
        if (byExchangeId.containsKey(exchangeId)) {
            throw new IllegalArgumentException("exchange order id already used: " + exchangeId);
        }
        if (a.byClientId.containsKey(req.clientOrderId())) {
            throw new IllegalArgumentException("client order id already used: " + req.clientOrderId());
        }
        long rp = req.type().hasLimitPrice() ? req.price() : reservePrice;
        if (req.side() == Side.BUY && rp <= 0) {
            throw new IllegalArgumentException("a buy needs a positive limit or reserve price");
        }
        OrderEntry e = new OrderEntry(Long.toString(exchangeId), exchangeId, account, req.clientOrderId(),
                req.symbol(), req.side(), req.type(), req.timeInForce(), req.type().isStop() ? req.stopPrice() : 0,
                time, a.nextOrderIndex);
        e.qty = req.qty();
        e.price = req.type().hasLimitPrice() ? req.price() : 0;
        e.leavesQty = req.qty();
        e.status = OrderStatus.PENDING_NEW;
        e.updatedAt = time;
        e.reservePrice = req.side() == Side.BUY ? rp : 0;
        a.add(e);
        ordersKept++;
        byExchangeId.put(exchangeId, e);
        return emit(a, e);
    }

    /**
     * Records that a pending_new order never reached the exchange (the send failed with a known
     * outcome, such as an overloaded shard): it becomes rejected. Logged like any intent.
     *
     * @return the update, or null when the order is unknown or no longer pending_new
     */
    public Update recordSendFailure(String account, String orderId, int code, String reason, long time) {
        AccountBook a = accounts.get(account);
        OrderEntry e = a == null ? null : a.byOrderId.get(orderId);
        if (e == null || e.status != OrderStatus.PENDING_NEW) {
            return null;
        }
        reject(e, code, reason, time);
        return emit(a, e);
    }

    // ------------------------------------------------------------------------------ feed

    /**
     * Applies one feed event. Events about orders the ledger did not record are ignored (other
     * accounts, the liquidity simulator); a TRADE is booked for each side that is ours (taker by
     * {@code orderId/account}, maker by {@code counterOrderId/counterAccount}; both for a self-trade).
     * A seq at or below the shard's position is a redelivery and is ignored.
     *
     * @return the account-visible changes in order (for a fill: the fill, then the order)
     * @throws IllegalStateException when the event skips seqs of a shard already followed
     */
    public List<Update> apply(ExchangeEvent e) {
        Long last = feedPositions.get(e.shard());
        if (last != null && e.seq() <= last) {
            return List.of();
        }
        if (last != null && e.seq() != last + 1) {
            throw new IllegalStateException("feed gap on shard " + e.shard() + ": after " + last + " came " + e.seq());
        }
        feedPositions.put(e.shard(), e.seq());
        if (e.type() == EventType.TRADE) {
            return trade(e);
        }
        OrderEntry o = ours(e.orderId(), e.account());
        if (o == null) {
            return List.of();
        }
        switch (e.type()) {
            case ACCEPTED -> {
                if (o.status != OrderStatus.PENDING_NEW) {
                    return List.of();
                }
                o.status = OrderStatus.NEW;
            }
            case TRIGGERED -> o.triggered = true; // status stays new: the stop now works as market/limit
            case CANCELED, EXPIRED -> {
                o.status = e.type() == EventType.CANCELED ? OrderStatus.CANCELED : OrderStatus.EXPIRED;
                o.leavesQty = 0;
            }
            case REJECTED -> {
                // Only a new order's rejection (it names a side); a refused cancel/replace changes nothing.
                if (o.status != OrderStatus.PENDING_NEW || e.side() == null) {
                    return List.of();
                }
                reject(o, e.resultCode().code(), e.resultCode().message(), e.timestamp());
            }
            case REPLACED -> replaced(o, e);
            default -> {
                return List.of();
            }
        }
        o.updatedAt = e.timestamp();
        return List.of(emit(accounts.get(o.account), o));
    }

    /** Last applied feed seq per shard (a copy). */
    public Map<Integer, Long> feedPositions() {
        return new TreeMap<>(feedPositions);
    }

    /** Last applied feed seq of {@code shard}, 0 before any. */
    public long feedPosition(int shard) {
        return feedPositions.getOrDefault(shard, 0L);
    }

    private OrderEntry ours(long exchangeId, String account) {
        OrderEntry o = byExchangeId.get(exchangeId);
        return o != null && o.account.equals(account) ? o : null;
    }

    private static void reject(OrderEntry o, int code, String reason, long time) {
        o.status = OrderStatus.REJECTED;
        o.leavesQty = 0;
        o.rejectCode = code;
        o.rejectReason = reason;
        o.updatedAt = time;
    }

    /** Replace is modelled in place: same id, new price/total qty; status new or partially_filled. */
    private static void replaced(OrderEntry o, ExchangeEvent e) {
        o.qty = e.qty();
        o.leavesQty = e.leavesQty();
        if (o.type.hasLimitPrice()) {
            o.price = e.price();
            if (o.side == Side.BUY) {
                o.reservePrice = e.price();
            }
        }
        o.status = o.filledQty > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW;
    }

    private List<Update> trade(ExchangeEvent e) {
        OrderEntry taker = ours(e.orderId(), e.account());
        OrderEntry maker = ours(e.counterOrderId(), e.counterAccount());
        if (taker == null && maker == null) {
            return List.of();
        }
        List<Update> out = new ArrayList<>(4);
        if (taker != null) {
            fill(taker, e, false, e.leavesQty(), out);
        }
        if (maker != null) {
            fill(maker, e, true, e.counterLeavesQty(), out);
        }
        return out;
    }

    private void fill(OrderEntry o, ExchangeEvent e, boolean maker, long leaves, List<Update> out) {
        AccountBook a = accounts.get(o.account);
        long px = e.price();
        long q = e.qty();
        long value = Math.multiplyExact(px, q);
        o.filledQty += q;
        o.filledValue = Math.addExact(o.filledValue, value);
        o.leavesQty = leaves;
        long fee = options.feeBilling() == FeeBilling.PER_ORDER
                ? options.fees().fee(o.side, o.filledValue, 1) - o.feesBilled
                : options.fees().fee(o.side, px, q);
        o.feesBilled += fee;
        o.status = leaves == 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
        o.updatedAt = e.timestamp();

        if (!placedBeforeReset(a, o)) {
            String day = options.tPlusOne() ? options.tradingDayOf().apply(e.timestamp()) : null;
            Holding h = a.holding(o.symbol);
            a.realized = Math.addExact(a.realized, h.trade(o.side, px, q, day));
            if (h.qty == 0) {
                a.holdings.remove(o.symbol); // flat: the basis is exactly 0 too
            }
            a.cash = o.side == Side.BUY ? Math.subtractExact(a.cash, Math.addExact(value, fee))
                    : Math.addExact(a.cash, value - fee);
            a.feesPaid += fee;
        }

        Fill f = new Fill(e.shard() + "-" + e.seq() + (maker ? "-m" : "-t"), o.orderId, o.clientOrderId, o.account,
                o.symbol, o.side, px, q, fee, maker, e.timestamp(), e.shard(), e.seq());
        a.addFill(f);
        fillsKept++;
        out.add(new Update(a.account, ++a.updateSeq, null, f));
        out.add(emit(a, o));
    }

    /**
     * Every change of an order ends here: open set, reservations, the account's update, and the history bound
     * (the order closed last is the newest closed one, so it is never the one dropped).
     */
    private Update emit(AccountBook a, OrderEntry o) {
        a.closed.remove(o); // ordered by its update seq, which changes now (a no-op unless it had closed before)
        o.updateSeq = ++a.updateSeq;
        if (o.isOpen()) {
            a.open.put(o.orderId, o);
        } else {
            a.open.remove(o.orderId);
            a.closed.add(o);
        }
        settleReservation(a, o);
        Update u = new Update(a.account, o.updateSeq, o.view(), null);
        prune(a);
        return u;
    }

    private void prune(AccountBook a) {
        long firstFill = a.firstFillIndex;
        a.prune(options.historyKept(), this::forget);
        long dropped = a.firstFillIndex - firstFill;
        if (dropped > 0) { // most changes drop nothing: no volatile writes for them
            fillsKept -= dropped;
            fillsDropped += dropped;
        }
    }

    /**
     * Drops the closed order holding {@code clientOrderId} from the account's history, as the bound drops one
     * (counted, the {@link #onDropped} listener told), so that a new order may take the id. For a replay under a
     * higher {@code history_kept} than the log was written under: that process had dropped the order, freeing its
     * id, before the log's next order took it; this one, keeping more, still holds it. Ledger thread.
     *
     * @return false, nothing changed, when no closed order of the account holds the id
     */
    public boolean dropClosed(String account, String clientOrderId) {
        AccountBook a = accounts.get(account);
        OrderEntry e = a == null || clientOrderId == null ? null : a.byClientId.get(clientOrderId);
        if (e == null || e.isOpen()) {
            return false;
        }
        a.forget(e, this::forget);
        return true;
    }

    private void forget(OrderEntry dropped) {
        ordersKept--;
        ordersDropped++;
        byExchangeId.remove(dropped.exchangeId, dropped);
        droppedListener.accept(dropped.account, dropped.clientOrderId);
    }

    /**
     * Who is told (account, client order id) of each order dropped from the history from now on: the owner of
     * anything kept per order beside the ledger (the desk's request hashes and idempotency keys). Ledger thread.
     */
    public void onDropped(BiConsumer<String, String> listener) {
        this.droppedListener = listener == null ? (account, clientOrderId) -> { } : listener;
    }

    /** Orders and fills kept over all accounts, and those dropped from the history by this process; any thread. */
    public HistoryStats historyStats() {
        return new HistoryStats(ordersKept, fillsKept, ordersDropped, fillsDropped);
    }

    /** See {@link #historyStats()}. */
    public record HistoryStats(long ordersKept, long fillsKept, long ordersDropped, long fillsDropped) {
    }

    /**
     * Brings the account's reserved cash and held shares in step with {@code o} after a change: adds
     * the difference between what the order reserves now and what it counted so far. O(1); the sums
     * equal a full pass over the open orders (tested on random flows).
     */
    private void settleReservation(AccountBook a, OrderEntry o) {
        long cash = reservation(o);
        if (cash != o.reservedCash) {
            a.reserved = Math.addExact(a.reserved, cash - o.reservedCash);
            o.reservedCash = cash;
        }
        long shares = o.isOpen() && o.side == Side.SELL ? o.leavesQty : 0;
        if (shares != o.heldShares) {
            a.addHeldForSells(o.symbol, shares - o.heldShares);
            o.heldShares = shares;
        }
    }

    // ------------------------------------------------------------------------------ money reads

    /**
     * What a new buy of {@code qty} at {@code price} reserves: {@code price × qty} plus its fee there.
     * Pre-trade risk compares it with {@link #buyingPower}.
     */
    public long reservationFor(long price, long qty) {
        return Math.addExact(Math.multiplyExact(price, qty), options.fees().fee(Side.BUY, price, qty));
    }

    /** What order {@code orderId} holds back now (0 for sells and closed orders). */
    public long reservationOf(String account, String orderId) {
        AccountBook a = accounts.get(account);
        OrderEntry e = a == null ? null : a.byOrderId.get(orderId);
        return e == null ? 0 : reservation(e);
    }

    /**
     * What open buy {@code orderId} would hold back after a replace to {@code newPrice} and total
     * {@code newQty} (0 for sells, closed or unknown orders, or a qty not above the filled qty).
     * Risk allows the replace when the increase over {@link #reservationOf} fits the buying power.
     */
    public long reservationAfterReplace(String account, String orderId, long newPrice, long newQty) {
        AccountBook a = accounts.get(account);
        OrderEntry e = a == null ? null : a.byOrderId.get(orderId);
        if (e == null || !e.isOpen() || newQty <= e.filledQty) {
            return 0;
        }
        long rp = e.type.hasLimitPrice() ? newPrice : e.reservePrice;
        return reservation(e, newQty - e.filledQty, rp);
    }

    private long reservation(OrderEntry e) {
        return e.isOpen() ? reservation(e, e.leavesQty, e.reservePrice) : 0;
    }

    private long reservation(OrderEntry e, long leaves, long reservePrice) {
        if (e.side != Side.BUY || leaves <= 0) {
            return 0;
        }
        long leavesValue = Math.multiplyExact(leaves, reservePrice);
        long fee = options.feeBilling() == FeeBilling.PER_ORDER
                ? Math.max(0, options.fees().fee(Side.BUY, Math.addExact(e.filledValue, leavesValue), 1) - e.feesBilled)
                : options.fees().fee(Side.BUY, reservePrice, leaves);
        return Math.addExact(leavesValue, fee);
    }

    /** Cash less what open buys reserve; 0 for an unknown account. O(1): reservations are kept incrementally. */
    public long buyingPower(String account) {
        AccountBook a = accounts.get(account);
        return a == null ? 0 : a.cash - a.reserved;
    }

    /**
     * The account marked to {@code lastPrice} (hundredths per symbol; 0 or less = no price: the
     * holding is marked at cost). Null for an unknown account.
     */
    public AccountView account(String account, ToLongFunction<String> lastPrice) {
        AccountBook a = accounts.get(account);
        if (a == null) {
            return null;
        }
        long mv = 0;
        long basis = 0;
        for (Holding h : a.holdings.values()) {
            mv = Math.addExact(mv, marketValue(h, lastPrice));
            basis = Math.addExact(basis, h.basis);
        }
        long reserved = a.reserved;
        return new AccountView(a.account, a.cash, a.cash - reserved, reserved, a.cash + mv, mv, a.realized,
                mv - basis, a.feesPaid, a.startingCash, a.open.size());
    }

    /** Holdings by symbol, marked as in {@link #account}; {@code now} decides T+1. Empty when unknown. */
    public List<PositionView> positions(String account, ToLongFunction<String> lastPrice, long now) {
        AccountBook a = accounts.get(account);
        if (a == null) {
            return List.of();
        }
        String today = today(now);
        List<PositionView> out = new ArrayList<>(a.holdings.size());
        for (Holding h : a.holdings.values()) {
            long last = lastPrice.applyAsLong(h.symbol);
            long mv = marketValue(h, lastPrice);
            long sellable = Math.max(0, h.sellableShares(today) - a.heldForSells(h.symbol));
            out.add(new PositionView(h.symbol, h.qty, sellable, h.avgCost(), last > 0 ? last : h.avgCost(), mv,
                    mv - h.basis, h.basis));
        }
        return out;
    }

    /** One holding, or null when flat. */
    public PositionView position(String account, String symbol, ToLongFunction<String> lastPrice, long now) {
        for (PositionView p : positions(account, lastPrice, now)) {
            if (p.symbol().equals(symbol)) {
                return p;
            }
        }
        return null;
    }

    /** Shares a new sell of {@code symbol} may take at {@code now}: held, not bought today under T+1, not on open sells. */
    public long sellable(String account, String symbol, long now) {
        AccountBook a = accounts.get(account);
        Holding h = a == null ? null : a.holdings.get(symbol);
        return h == null ? 0 : Math.max(0, h.sellableShares(today(now)) - a.heldForSells(symbol));
    }

    private String today(long now) {
        return options.tPlusOne() ? options.tradingDayOf().apply(now) : null;
    }

    private static long marketValue(Holding h, ToLongFunction<String> lastPrice) {
        long last = lastPrice.applyAsLong(h.symbol);
        return last > 0 ? Math.multiplyExact(h.qty, last) : h.basis;
    }

    // ------------------------------------------------------------------------------ order reads

    public Order order(String account, String orderId) {
        AccountBook a = accounts.get(account);
        OrderEntry e = a == null || orderId == null ? null : a.byOrderId.get(orderId);
        return e == null ? null : e.view();
    }

    public Order orderByClientId(String account, String clientOrderId) {
        AccountBook a = accounts.get(account);
        OrderEntry e = a == null || clientOrderId == null ? null : a.byClientId.get(clientOrderId);
        return e == null ? null : e.view();
    }

    public long openOrderCount(String account) {
        AccountBook a = accounts.get(account);
        return a == null ? 0 : a.open.size();
    }

    /** Open orders oldest first, of one symbol or (null) all: what cancel-all and the kill switch cancel. */
    public List<Order> openOrders(String account, String symbol) {
        AccountBook a = accounts.get(account);
        if (a == null) {
            return List.of();
        }
        List<Order> out = new ArrayList<>();
        for (OrderEntry e : a.open.values()) {
            if (symbol == null || symbol.equals(e.symbol)) {
                out.add(e.view());
            }
        }
        return out;
    }

    /**
     * Orders newest first (by creation), filtered; scans the orders kept from the cursor (an order number: a
     * page starting at an order since dropped starts at the next older one kept).
     *
     * @throws IllegalArgumentException for a cursor this ledger did not hand out
     */
    public Page<Order> orders(String account, OrderQuery q) {
        AccountBook a = accounts.get(account);
        if (a == null) {
            return new Page<>(List.of(), null);
        }
        List<Order> items = new ArrayList<>();
        long from = startIndex(q.cursor(), a.nextOrderIndex);
        Iterable<OrderEntry> scan = a.orders.headMap(from, true).descendingMap().values();
        if (q.status() == OrderQuery.StatusFilter.OPEN) { // their own set (at most max_open_orders), not the history
            List<OrderEntry> open = new ArrayList<>(a.open.values()); // creation order
            Collections.reverse(open);
            open.removeIf(e -> e.index > from);
            scan = open;
        }
        for (OrderEntry e : scan) {
            if (matches(e, q)) {
                if (items.size() == q.limit()) {
                    return new Page<>(items, Long.toString(e.index));
                }
                items.add(e.view());
            }
        }
        return new Page<>(items, null);
    }

    private static boolean matches(OrderEntry e, OrderQuery q) {
        boolean statusOk = switch (q.status()) {
            case OPEN -> e.isOpen();
            case CLOSED -> !e.isOpen();
            case ALL -> true;
        };
        return statusOk && (q.symbol() == null || q.symbol().equals(e.symbol))
                && e.createdAt >= q.start() && e.createdAt < q.end();
    }

    /** Fills newest first. @throws IllegalArgumentException for a bad cursor or limit */
    public Page<Fill> fills(String account, String cursor, int limit) {
        if (limit < 1 || limit > OrderQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + OrderQuery.MAX_LIMIT + ": " + limit);
        }
        AccountBook a = accounts.get(account);
        if (a == null) {
            return new Page<>(List.of(), null);
        }
        long from = startIndex(cursor, a.firstFillIndex + a.fillCount());
        long to = Math.max(a.firstFillIndex - 1, from - limit); // fills before the first kept were dropped
        List<Fill> items = new ArrayList<>((int) Math.max(0, from - to));
        for (long i = from; i > to; i--) {
            items.add(a.fill(i));
        }
        return new Page<>(Collections.unmodifiableList(items), to >= a.firstFillIndex ? Long.toString(to) : null);
    }

    /** Every fill of the account kept, oldest first (tests, rebuild checks). */
    public List<Fill> allFills(String account) {
        AccountBook a = accounts.get(account);
        return a == null ? List.of() : List.copyOf(a.fills());
    }

    /** The account's last order-stream seq (0 before any update). */
    public long lastUpdateSeq(String account) {
        AccountBook a = accounts.get(account);
        return a == null ? 0 : a.updateSeq;
    }

    /**
     * Sets the account's order-stream seq to what the stream last sent. After a restart the stream owns the
     * numbering: a replayed update it had sent before is not sent again, and one that differs from what was
     * sent (another interleaving of the shards' events) goes out after everything sent; the ledger's next
     * update must follow on from there. No-op for an unknown account.
     */
    public void setUpdateSeq(String account, long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative, was " + seq);
        }
        AccountBook a = accounts.get(account);
        if (a != null) {
            a.updateSeq = seq;
        }
    }

    /** Where a page starts: the cursor's number, or the newest ({@code end - 1}) without one. */
    private static long startIndex(String cursor, long end) {
        if (cursor == null) {
            return end - 1;
        }
        try {
            long i = Long.parseLong(cursor);
            if (i < 0 || i >= end) {
                throw new IllegalArgumentException("unknown cursor: " + cursor);
            }
            return i;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("unknown cursor: " + cursor);
        }
    }

    // ------------------------------------------------------------------------------ snapshots

    /** Writes the whole state (binary, versioned; deterministic: equal states give equal bytes). */
    public void writeSnapshot(DataOutput out) throws IOException {
        LedgerSnapshot.write(out, feedPositions, accounts);
    }

    /** A ledger equal to the one that wrote the snapshot (same {@link #stateHash()}). */
    public static Ledger readSnapshot(DataInput in, LedgerOptions options) throws IOException {
        Ledger l = new Ledger(options);
        LedgerSnapshot.read(in, l.feedPositions, l.accounts);
        for (AccountBook a : l.accounts.values()) {
            for (OrderEntry e : a.orders.values()) {
                l.byExchangeId.put(e.exchangeId, e);
            }
            for (OrderEntry e : a.open.values()) {
                l.settleReservation(a, e);
            }
            l.ordersKept += a.orders.size();
            l.fillsKept += a.fillCount();
            l.prune(a); // a no-op unless history_kept was lowered since
        }
        return l;
    }

    /**
     * A deterministic 64-bit hash of all state (feed positions, every account's money, holdings,
     * orders, fills and stream seq): the first 8 bytes of SHA-256 over the snapshot bytes. Equal after
     * snapshot + replay and after a clean rebuild from the same inputs. Cost: a full snapshot.
     */
    public long stateHash() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 missing from the JDK", ex);
        }
        MessageDigest digest = sha;
        try (DataOutputStream out = new DataOutputStream(new OutputStream() {
            @Override
            public void write(int b) {
                digest.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                digest.update(b, off, len);
            }
        })) {
            writeSnapshot(out);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        byte[] h = digest.digest();
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    // ------------------------------------------------------------------------------ helpers

    /** The account's books (this package's tests read them); throws for an unknown account. */
    AccountBook book(String account) {
        AccountBook a = accounts.get(account);
        if (a == null) {
            throw new IllegalArgumentException("unknown account: " + account);
        }
        return a;
    }

    private static void requireAccountId(String account) {
        if (account == null || account.isEmpty()) {
            throw new IllegalArgumentException("account id must not be empty");
        }
    }

    private static void requireCash(long cash) {
        if (cash < 0) {
            throw new IllegalArgumentException("starting cash must not be negative: " + cash);
        }
    }
}
