package org.opentrade.exchange.domain;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.SessionPhase;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.exchange.model.TradingCalendar;

/**
 * The matching engine of one shard: validates commands, runs price-time matching on one
 * {@link OrderBook} per symbol, keeps untriggered stops, follows the {@link TradingCalendar}
 * (auction uncross, DAY expiry, daily band roll), keeps each symbol's day statistics and reports
 * every outcome to an {@link ExchangeListener}. Business outcomes are {@link ResultCode}s, never
 * exceptions.
 *
 * <p>Single-threaded: no locks; callers hand commands over through the shard's ring. Time comes
 * only from the commands, so the same command sequence always yields the same events and the same
 * {@link #stateHash()}.
 *
 * <p>Two modes: {@link #pure} is the replay contract's "pure matching" (any symbol, no market
 * rules, no self-trade prevention, no calendar); {@link #withRules} enforces the instrument rules,
 * the calendar and self-trade prevention (the taker's remainder is canceled when it would trade
 * with its own account).
 */
public final class MatchingEngine {
    /** Largest quantity accepted in pure mode (keeps every sum far from overflow). */
    public static final long PURE_MAX_QTY = 1_000_000_000_000L;
    /**
     * Longest account or symbol a new order may carry: both are stored with the order and written to
     * snapshots, whose string encoding cannot hold more than 65 535 bytes.
     */
    public static final int MAX_TEXT_LENGTH = 256;
    /** Snapshot format written; {@link #restoreSnapshot} reads this one and every older one. */
    private static final int SNAPSHOT_VERSION = 3;
    /** Day statistics but no all-time trade count. */
    private static final int SNAPSHOT_VERSION_2 = 2;
    /** The first format: enums by ordinal (equal to today's codes), no day statistics. */
    private static final int SNAPSHOT_VERSION_1 = 1;

    private final InstrumentCatalog catalog;
    private final TradingCalendar calendar;
    private final boolean preventSelfTrade;
    private final OrderBook.Factory bookFactory;
    private final OrderIndex index = new OrderIndex(1 << 14);
    private final OrderPool pool = new OrderPool(OrderPool.DEFAULT_CAPACITY);
    private final Map<String, SymbolMarket> markets = new HashMap<>();
    /** Same markets in symbol order: deterministic iteration for expiry, auctions, snapshots. */
    private final TreeMap<String, SymbolMarket> ordered = new TreeMap<>();
    /** Adds the trades of a match or an uncross to the symbol's day statistics. */
    private final DayStatsRecorder trades = new DayStatsRecorder();

    private long seq;
    private boolean clockStarted;
    private long clock;
    private SessionPhase phase = SessionPhase.CONTINUOUS;
    private long nextBoundary = Long.MAX_VALUE;

    private MatchingEngine(InstrumentCatalog catalog, TradingCalendar calendar, boolean preventSelfTrade,
                           OrderBook.Factory bookFactory) {
        this.catalog = catalog;
        this.calendar = calendar;
        this.preventSelfTrade = preventSelfTrade;
        this.bookFactory = bookFactory;
        this.index.recycleInto(pool);
        if (catalog != null) {
            for (Instrument i : catalog.all()) {
                market(i.symbol());
            }
        }
    }

    /** Pure matching for the replay tool: any symbol, no rules, no calendar, no self-trade prevention. */
    public static MatchingEngine pure(OrderBook.Factory bookFactory) {
        return new MatchingEngine(null, null, false, bookFactory);
    }

    public static MatchingEngine pure() {
        return pure(FastOrderBook::new);
    }

    /** The live sandbox: instrument rules, a session calendar, self-trade prevention. */
    public static MatchingEngine withRules(InstrumentCatalog catalog, TradingCalendar calendar,
                                           OrderBook.Factory bookFactory) {
        if (catalog == null || calendar == null) {
            throw new IllegalArgumentException("withRules needs an instrument catalog and a calendar");
        }
        return new MatchingEngine(catalog, calendar, true, bookFactory);
    }

    public static MatchingEngine withRules(InstrumentCatalog catalog, TradingCalendar calendar) {
        return withRules(catalog, calendar, FastOrderBook::new);
    }

    private boolean enforcesRules() {
        return catalog != null;
    }

    private SymbolMarket market(String symbol) {
        SymbolMarket m = markets.get(symbol);
        if (m == null) {
            Instrument instrument = catalog == null ? null : catalog.get(symbol);
            if (catalog != null && instrument == null) {
                return null;
            }
            m = new SymbolMarket(symbol, instrument, bookFactory.create(symbol, index));
            markets.put(symbol, m);
            ordered.put(symbol, m);
        }
        return m;
    }

    /**
     * Processes one command; every outcome goes to {@code listener} before this returns. Orders that
     * finished during the command are recycled only after it, so listeners never see a reused object.
     */
    public void process(Command c, ExchangeListener listener) {
        if (c == null || c.type() == null) {
            listener.onRejected(c, ResultCode.MALFORMED_COMMAND);
            return;
        }
        advanceClock(c.timestamp(), listener);
        switch (c.type()) {
            case NEW_ORDER -> newOrder(c, listener);
            case CANCEL -> cancel(c, listener);
            case REPLACE -> replace(c, listener);
            case TIME_TICK -> { }
            default -> listener.onRejected(c, ResultCode.MALFORMED_COMMAND);
        }
        pool.releaseRetired();
    }

    // ---------------------------------------------------------------- time and sessions

    private void advanceClock(long ts, ExchangeListener l) {
        if (!clockStarted) {
            clockStarted = true;
            clock = ts;
            if (calendar != null) {
                phase = calendar.phaseAt(ts);
                nextBoundary = calendar.nextBoundaryAfter(ts);
            }
            return;
        }
        if (ts <= clock) {
            return; // the engine clock never runs backwards
        }
        clock = ts;
        while (ts >= nextBoundary) {
            long b = nextBoundary;
            SessionPhase next = calendar.phaseAt(b);
            SessionPhase before = phase;
            phase = next;
            if (before == SessionPhase.CALL_AUCTION || (next == SessionPhase.CONTINUOUS && !before.matches())) {
                uncrossAll(l);
            }
            if (calendar.isTradingDayEnd(b)) {
                expireDayOrders(l);
                rollTradingDay();
            }
            nextBoundary = calendar.nextBoundaryAfter(b);
        }
    }

    private void uncrossAll(ExchangeListener l) {
        for (SymbolMarket m : ordered.values()) {
            long bid = m.book.bestPrice(Side.BUY);
            long ask = m.book.bestPrice(Side.SELL);
            if (bid != Price.NONE && ask != Price.NONE && bid >= ask) {
                long price = AuctionPrice.of(m.book, m.referencePrice);
                if (price != Price.NONE) {
                    m.book.uncross(price, trades.on(m.day, l));
                }
            }
            processTriggers(m, l);
        }
    }

    private void expireDayOrders(ExchangeListener l) {
        List<Order> expiring = new ArrayList<>();
        for (SymbolMarket m : ordered.values()) {
            expiring.clear();
            m.book.forEachOrder(Side.BUY, o -> collectDay(o, expiring));
            m.book.forEachOrder(Side.SELL, o -> collectDay(o, expiring));
            for (Order o : expiring) {
                m.book.remove(o);
                expire(o, l);
            }
            for (Order o : m.stops.all()) {
                if (o.tif == TimeInForce.DAY) {
                    m.stops.remove(o);
                    index.remove(o.id);
                    expire(o, l);
                }
            }
        }
    }

    private static void collectDay(Order o, List<Order> into) {
        if (o.tif == TimeInForce.DAY) {
            into.add(o);
        }
    }

    private void expire(Order o, ExchangeListener l) {
        long q = o.leaves;
        o.leaves = 0;
        l.onExpired(o, q);
        pool.retire(o);
    }

    private void cancelRemainder(Order o, ExchangeListener l) {
        long q = o.leaves;
        o.leaves = 0;
        l.onCanceled(o, q);
        pool.retire(o);
    }

    /** The band re-centres on the last price and the day statistics start over. */
    private void rollTradingDay() {
        for (SymbolMarket m : ordered.values()) {
            long last = m.book.lastTradePrice();
            if (last != Price.NONE && m.instrument != null) {
                m.referencePrice = last;
            }
            m.day.reset();
        }
    }

    // ---------------------------------------------------------------- new orders

    private void newOrder(Command c, ExchangeListener l) {
        if (c.symbol() == null || c.symbol().isEmpty() || c.side() == null || c.orderType() == null
                || c.tif() == null || c.symbol().length() > MAX_TEXT_LENGTH
                || (c.account() != null && c.account().length() > MAX_TEXT_LENGTH)) {
            l.onRejected(c, ResultCode.MALFORMED_COMMAND);
            return;
        }
        SymbolMarket m = market(c.symbol());
        if (m == null) {
            l.onRejected(c, ResultCode.UNKNOWN_SYMBOL);
            return;
        }
        ResultCode rc = validateNew(c, m);
        if (!rc.isOk()) {
            l.onRejected(c, rc);
            return;
        }
        OrderType type = c.orderType();
        TimeInForce tif = c.tif();
        if (type == OrderType.MARKET && tif.rests()) {
            tif = TimeInForce.IOC; // a market remainder never rests
        }
        long price = type.hasLimitPrice() ? c.price() : Price.NONE;
        long stop = type.isStop() ? c.stopPrice() : Price.NONE;
        Order o = pool.take(c.orderId(), c.account() == null ? "" : c.account(), m.symbol, c.side(), type, tif,
                price, stop, c.qty(), ++seq, c.timestamp(), c.traceParent());
        l.onAccepted(o);
        if (type.isStop()) {
            long last = m.book.lastTradePrice();
            if (!phase.matches() || last == Price.NONE || !StopBook.fires(o, last)) {
                m.stops.add(o);
                index.put(o);
                return;
            }
            trigger(o, l);
        }
        execute(m, o, l);
    }

    private ResultCode validateNew(Command c, SymbolMarket m) {
        long qty = c.qty();
        if (qty <= 0) {
            return ResultCode.QTY_NOT_POSITIVE;
        }
        Instrument ins = m.instrument;
        if (qty > (ins == null ? PURE_MAX_QTY : ins.maxOrderQty())) {
            return ResultCode.QTY_TOO_LARGE;
        }
        OrderType type = c.orderType();
        if (type.hasLimitPrice() && (c.price() <= 0 || c.price() > Price.MAX)) {
            return ResultCode.PRICE_INVALID;
        }
        if (type.isStop() && (c.stopPrice() <= 0 || c.stopPrice() > Price.MAX)) {
            return ResultCode.STOP_PRICE_INVALID;
        }
        if (index.contains(c.orderId())) {
            return ResultCode.DUPLICATE_ORDER_ID;
        }
        if (!phase.acceptsOrders()) {
            return ResultCode.MARKET_CLOSED;
        }
        if (!phase.matches() && (type == OrderType.MARKET || !c.tif().rests())) {
            return ResultCode.ORDER_TYPE_NOT_ALLOWED;
        }
        if (ins != null) {
            if (c.side() == Side.BUY && qty % ins.boardLot() != 0) {
                return ResultCode.QTY_NOT_BOARD_LOT;
            }
            if (type.hasLimitPrice()) {
                ResultCode p = checkPrice(c.price(), m);
                if (!p.isOk()) {
                    return p;
                }
            }
            if (type.isStop()) {
                ResultCode p = checkPrice(c.stopPrice(), m);
                if (!p.isOk()) {
                    return p;
                }
            }
        }
        return ResultCode.OK;
    }

    private static ResultCode checkPrice(long price, SymbolMarket m) {
        if (price % m.instrument.tickSize() != 0) {
            return ResultCode.PRICE_NOT_ON_TICK;
        }
        if (m.instrument.bandPercent() > 0 && (price > m.upperLimit() || price < m.lowerLimit())) {
            return ResultCode.PRICE_OUTSIDE_BAND;
        }
        return ResultCode.OK;
    }

    /**
     * Matches a fresh, triggered or re-priced order, then rests, cancels or expires what is left,
     * then fires any stops the trades reached.
     */
    private void execute(SymbolMarket m, Order o, ExchangeListener l) {
        matchOrRest(m, o, l);
        processTriggers(m, l);
    }

    private void matchOrRest(SymbolMarket m, Order o, ExchangeListener l) {
        if (!phase.matches()) {
            m.book.rest(o); // only resting limit orders are accepted outside continuous trading
            return;
        }
        if (o.tif == TimeInForce.FOK && m.book.available(o, o.leaves, preventSelfTrade) < o.leaves) {
            expire(o, l);
            return;
        }
        boolean selfTrade = m.book.match(o, preventSelfTrade, trades.on(m.day, l));
        if (o.leaves == 0) {
            pool.retire(o); // filled completely as the taker: it never rested
            return;
        }
        if (selfTrade || o.type == OrderType.MARKET || !o.tif.rests()) {
            cancelRemainder(o, l);
        } else {
            m.book.rest(o);
        }
    }

    private void processTriggers(SymbolMarket m, ExchangeListener l) {
        if (!phase.matches() || m.stops.size() == 0) {
            return;
        }
        long last;
        Order s;
        while ((last = m.book.lastTradePrice()) != Price.NONE && (s = m.stops.pollTriggered(last)) != null) {
            index.remove(s.id);
            trigger(s, l);
            matchOrRest(m, s, l);
        }
    }

    private void trigger(Order o, ExchangeListener l) {
        o.type = o.type == OrderType.STOP ? OrderType.MARKET : OrderType.LIMIT;
        o.seq = ++seq;
        l.onTriggered(o);
    }

    // ---------------------------------------------------------------- cancel and replace

    private Order liveOrder(Command c) {
        Order o = index.get(c.orderId());
        if (o == null) {
            return null;
        }
        if (c.symbol() != null && !c.symbol().isEmpty() && !c.symbol().equals(o.symbol)) {
            return null;
        }
        if (c.account() != null && !c.account().isEmpty() && !c.account().equals(o.account)) {
            return null;
        }
        return o;
    }

    private void cancel(Command c, ExchangeListener l) {
        Order o = liveOrder(c);
        if (o == null) {
            l.onRejected(c, ResultCode.UNKNOWN_ORDER);
            return;
        }
        SymbolMarket m = markets.get(o.symbol);
        if (o.type.isStop()) {
            m.stops.remove(o);
            index.remove(o.id);
        } else {
            m.book.remove(o);
        }
        cancelRemainder(o, l);
    }

    private void replace(Command c, ExchangeListener l) {
        Order o = liveOrder(c);
        if (o == null) {
            l.onRejected(c, ResultCode.UNKNOWN_ORDER);
            return;
        }
        if (o.type.isStop()) {
            l.onRejected(c, ResultCode.ORDER_NOT_REPLACEABLE);
            return;
        }
        SymbolMarket m = markets.get(o.symbol);
        ResultCode rc = validateReplace(c, o, m);
        if (!rc.isOk()) {
            l.onRejected(c, rc);
            return;
        }
        long newQty = c.qty();
        long newLeaves = newQty - o.filled;
        if (c.price() == o.price && newQty <= o.qty) {
            m.book.reduce(o, newLeaves);
            o.qty = newQty;
            l.onReplaced(o);
            return;
        }
        m.book.remove(o);
        o.price = c.price();
        o.qty = newQty;
        o.leaves = newLeaves;
        o.seq = ++seq;
        l.onReplaced(o);
        execute(m, o, l);
    }

    private ResultCode validateReplace(Command c, Order o, SymbolMarket m) {
        long qty = c.qty();
        if (qty <= 0) {
            return ResultCode.QTY_NOT_POSITIVE;
        }
        Instrument ins = m.instrument;
        if (qty > (ins == null ? PURE_MAX_QTY : ins.maxOrderQty())) {
            return ResultCode.QTY_TOO_LARGE;
        }
        if (c.price() <= 0 || c.price() > Price.MAX) {
            return ResultCode.PRICE_INVALID;
        }
        if (!phase.acceptsOrders()) {
            return ResultCode.MARKET_CLOSED;
        }
        if (ins != null) {
            if (o.side == Side.BUY && qty % ins.boardLot() != 0) {
                return ResultCode.QTY_NOT_BOARD_LOT;
            }
            ResultCode p = checkPrice(c.price(), m);
            if (!p.isOk()) {
                return p;
            }
        }
        if (qty <= o.filled) {
            return ResultCode.REPLACE_QTY_NOT_ABOVE_FILLED;
        }
        return ResultCode.OK;
    }

    /** Every order becomes a fresh object: lets tests run a recycling engine against one that is not. */
    void disableOrderRecycling() {
        pool.disable();
    }

    // ---------------------------------------------------------------- queries (engine thread only)

    /** Live order by id (resting or untriggered stop), or null. The object stays owned by the engine. */
    public Order order(long orderId) {
        return index.get(orderId);
    }

    /** The book of a symbol, or null when the symbol is unknown (read on the engine thread only). */
    public OrderBook book(String symbol) {
        SymbolMarket m = markets.get(symbol);
        return m == null ? null : m.book;
    }

    /** Reference price of the symbol's daily band, {@link Price#NONE} when unknown or in pure mode. */
    public long referencePrice(String symbol) {
        SymbolMarket m = markets.get(symbol);
        return m == null ? Price.NONE : m.referencePrice;
    }

    public SessionPhase phase() {
        return phase;
    }

    /** Engine time: the latest command timestamp seen. */
    public long clock() {
        return clock;
    }

    /** Number of live orders: resting plus untriggered stops. */
    public int liveOrders() {
        return index.size();
    }

    public boolean enforcesMarketRules() {
        return enforcesRules();
    }

    // ---------------------------------------------------------------- consumer snapshots (engine thread, rare)

    /**
     * The state of one symbol as consumers see it: every price level best first, the day statistics,
     * last and reference price, engine time; with {@code withOrders} also the resting orders in
     * priority order (bids, then asks) and the untriggered stops. Copies everything (allocates):
     * for rare queries on the engine thread, between commands.
     *
     * @param shard the shard this engine runs, stamped on the result
     * @param seq   the shard's last event sequence, which the caller knows and this state reflects
     * @return null when the engine has no market for {@code symbol}
     */
    public BookSnapshot bookSnapshot(int shard, long seq, String symbol, boolean withOrders) {
        SymbolMarket m = symbol == null ? null : markets.get(symbol);
        return m == null ? null : MarketViews.book(shard, seq, m, withOrders, clock);
    }

    /**
     * The live orders of one account across every symbol of this engine, resting ones with their
     * leaves quantity and untriggered stops, ordered by symbol then order id. Walks every live order:
     * for rare queries on the engine thread.
     */
    public List<OrderView> ordersOf(String account) {
        List<OrderView> views = new ArrayList<>();
        if (account == null) {
            return views;
        }
        index.forEach(o -> {
            if (account.equals(o.account)) {
                views.add(MarketViews.view(o));
            }
        });
        views.sort(Comparator.comparing(OrderView::symbol).thenComparingLong(OrderView::orderId));
        return views;
    }

    /**
     * Symbols this engine has a market for, in symbol order: every catalog instrument with rules; in
     * pure mode each symbol a new order named (a restored pure engine knows only those with state).
     */
    public List<String> symbols() {
        return List.copyOf(ordered.keySet());
    }

    // ---------------------------------------------------------------- snapshots and state hash

    /**
     * Writes the complete state: clock, session, sequence, and per symbol (in symbol order) the band
     * reference, last price, day statistics, resting orders in priority order and untriggered stops.
     * Every enum is written by its stable {@code code()}, never its ordinal. Format version 2, all
     * integers big-endian ({@link DataOutput}):
     * <pre>
     * int version (3); long seq; boolean clockStarted; long clock; int phase (SessionPhase code);
     * long nextBoundary; int symbols; per symbol:
     *   UTF symbol; long reference; long last;
     *   long open, high, low, volume, turnover, trades            (day statistics; absent in version 1)
     *   long allTrades                                            (trades of all time; absent before version 3)
     *   int n; n orders (priority order, bids then asks); int m; m stops (buys then sells, firing order)
     * order: long id; UTF account; byte side (Side code; version 1: boolean, true = BUY);
     *   byte type (OrderType code); byte tif (TimeInForce code); long price, stopPrice, qty, filled,
     *   leaves, seq, enteredAt; boolean hasTrace; [UTF traceParent]
     * </pre>
     * Golden files of each version live in the tests; change the format only with a new version.
     */
    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeInt(SNAPSHOT_VERSION);
        out.writeLong(seq);
        out.writeBoolean(clockStarted);
        out.writeLong(clock);
        out.writeInt(phase.code());
        out.writeLong(nextBoundary);
        int nonEmpty = 0;
        for (SymbolMarket m : ordered.values()) {
            if (hasState(m)) {
                nonEmpty++;
            }
        }
        out.writeInt(nonEmpty);
        for (SymbolMarket m : ordered.values()) {
            if (!hasState(m)) {
                continue;
            }
            out.writeUTF(m.symbol);
            out.writeLong(m.referencePrice);
            out.writeLong(m.book.lastTradePrice());
            writeDayStats(out, m.day);
            out.writeLong(m.day.allTrades);
            List<Order> orders = new ArrayList<>(m.book.orderCount());
            m.book.forEachOrder(Side.BUY, orders::add);
            m.book.forEachOrder(Side.SELL, orders::add);
            writeOrders(out, orders);
            writeOrders(out, m.stops.all());
        }
    }

    private boolean hasState(SymbolMarket m) {
        return m.book.orderCount() > 0 || m.stops.size() > 0 || m.book.lastTradePrice() != Price.NONE
                || m.day.trades > 0 || m.day.allTrades > 0
                || (m.instrument != null && m.referencePrice != m.instrument.prevClose());
    }

    private static void writeDayStats(DataOutput out, DayStats d) throws IOException {
        out.writeLong(d.open);
        out.writeLong(d.high);
        out.writeLong(d.low);
        out.writeLong(d.volume);
        out.writeLong(d.turnover);
        out.writeLong(d.trades);
    }

    private static void readDayStats(DataInput in, DayStats d) throws IOException {
        d.open = in.readLong();
        d.high = in.readLong();
        d.low = in.readLong();
        d.volume = in.readLong();
        d.turnover = in.readLong();
        d.trades = in.readLong();
    }

    private static void writeOrders(DataOutput out, List<Order> orders) throws IOException {
        out.writeInt(orders.size());
        for (Order o : orders) {
            out.writeLong(o.id);
            out.writeUTF(o.account);
            out.writeByte(o.side.code());
            out.writeByte(o.type.code());
            out.writeByte(o.tif.code());
            out.writeLong(o.price);
            out.writeLong(o.stopPrice);
            out.writeLong(o.qty);
            out.writeLong(o.filled);
            out.writeLong(o.leaves);
            out.writeLong(o.seq);
            out.writeLong(o.enteredAt);
            out.writeBoolean(o.traceParent != null);
            if (o.traceParent != null) {
                out.writeUTF(o.traceParent);
            }
        }
    }

    /**
     * Loads a snapshot of any version up to the current one into this engine, which must be fresh (no
     * command processed yet). A version 1 snapshot has no day statistics: they restore as zero and
     * count from the restore on, so until the next day end they miss the trades before it (the open
     * is the first trade after the restore). Before version 3 the all-time trade count starts from
     * the day's trades. Throws {@link IOException} for an unknown version or unreadable content.
     */
    public void restoreSnapshot(DataInput in) throws IOException {
        if (clockStarted || index.size() > 0) {
            throw new IllegalStateException("restore needs a fresh engine");
        }
        int version = in.readInt();
        if (version != SNAPSHOT_VERSION && version != SNAPSHOT_VERSION_2 && version != SNAPSHOT_VERSION_1) {
            throw new IOException("unsupported snapshot version " + version);
        }
        try {
            restoreState(in, version);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt snapshot (version " + version + "): " + e.getMessage(), e);
        }
    }

    private void restoreState(DataInput in, int version) throws IOException {
        seq = in.readLong();
        clockStarted = in.readBoolean();
        clock = in.readLong();
        phase = SessionPhase.ofCode(in.readInt());
        nextBoundary = in.readLong();
        int symbols = in.readInt();
        for (int s = 0; s < symbols; s++) {
            String symbol = in.readUTF();
            SymbolMarket m = market(symbol);
            if (m == null) {
                throw new IOException("snapshot names symbol " + symbol + " which is not in the instrument catalog");
            }
            m.referencePrice = in.readLong();
            m.book.restoreLastTradePrice(in.readLong());
            if (version >= SNAPSHOT_VERSION_2) {
                readDayStats(in, m.day);
            }
            // Before version 3 the all-time count was not kept: the day's trades are the best known start.
            m.day.allTrades = version >= SNAPSHOT_VERSION ? in.readLong() : m.day.trades;
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                m.book.rest(readOrder(in, symbol, version));
            }
            int stops = in.readInt();
            for (int i = 0; i < stops; i++) {
                Order o = readOrder(in, symbol, version);
                m.stops.add(o);
                index.put(o);
            }
        }
    }

    private static Order readOrder(DataInput in, String symbol, int version) throws IOException {
        long id = in.readLong();
        String account = in.readUTF();
        Side side = version == SNAPSHOT_VERSION_1 ? (in.readBoolean() ? Side.BUY : Side.SELL)
                : Side.ofCode(in.readByte());
        OrderType type = OrderType.ofCode(in.readByte());
        TimeInForce tif = TimeInForce.ofCode(in.readByte());
        long price = in.readLong();
        long stop = in.readLong();
        long qty = in.readLong();
        long filled = in.readLong();
        long leaves = in.readLong();
        long seq = in.readLong();
        long enteredAt = in.readLong();
        String trace = in.readBoolean() ? in.readUTF() : null;
        Order o = new Order(id, account, symbol, side, type, tif, price, stop, qty, seq, enteredAt, trace);
        o.filled = filled;
        o.leaves = leaves;
        return o;
    }

    /**
     * A 64-bit FNV-1a hash of the snapshot bytes, as 16 hex digits: two engines with equal hashes
     * hold the same orders in the same priority with the same clock, session and day statistics.
     */
    public String stateHash() {
        HashingStream h = new HashingStream();
        try {
            writeSnapshot(new DataOutputStream(h));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return String.format("%016x", h.hash);
    }

    private static final class HashingStream extends OutputStream {
        long hash = 0xcbf29ce484222325L;

        @Override
        public void write(int b) {
            hash ^= (b & 0xff);
            hash *= 0x100000001b3L;
        }
    }
}
