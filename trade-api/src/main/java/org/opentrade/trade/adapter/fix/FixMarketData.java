package org.opentrade.trade.adapter.fix;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.opentrade.exchange.client.book.BookReplica;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.trade.domain.desk.TradeDesk;
import org.opentrade.trade.domain.risk.InstrumentRules;
import quickfix.FieldNotFound;
import quickfix.Group;
import quickfix.Message;
import quickfix.SessionID;
import quickfix.fix44.MarketDataIncrementalRefresh;
import quickfix.fix44.MarketDataRequestReject;
import quickfix.fix44.MarketDataSnapshotFullRefresh;
import quickfix.fix44.SecurityList;

/**
 * FIX market and reference data: MarketDataRequest (V) → MarketDataSnapshotFullRefresh (W), then
 * MarketDataIncrementalRefresh (X) while subscribed, or MarketDataRequestReject (Y); and
 * SecurityListRequest (x) → SecurityList (y). Books are {@link FixBooks}' replicas of the exchange.
 *
 * <p><b>MarketDataRequest.</b> SubscriptionRequestType 0 (snapshot), 1 (snapshot + updates) or 2
 * (unsubscribe the MDReqID); MDEntryType 0 bid, 1 offer, 2 trade; MarketDepth 0 (full book) or 1 to
 * {@link FixAcceptorOptions#maxMarketDepth()} levels per side (1 = top of book); MDUpdateType, if
 * given, 1 (incremental); AggregatedBook, if given, Y. One W per symbol: the levels best first
 * (MDEntryPx, MDEntrySize, NumberOfOrders) and for type 2 the last trade. Each X carries the changes
 * one exchange event made to the levels the subscription sees, keyed by price: MDUpdateAction 0 new
 * level, 1 changed size or order count, 2 deleted (also a level pushed out of the depth); a trade is
 * a New entry of type 2 with its price and size. Symbol(55) is set in every X entry.
 *
 * <p><b>Rejects</b> (Y, MDReqRejReason and Text): 0 unknown symbol, 1 an MDReqID this session has
 * subscribed, 2 a bound (subscriptions or symbols per session, symbols per request), 5 MarketDepth,
 * 6 MDUpdateType, 7 AggregatedBook, 8 MDEntryType; an unsubscribe of an unknown MDReqID, or market
 * data unavailable, without a reason.
 *
 * <p><b>SecurityList.</b> SecurityListRequestType 4 (all) or 0 (the Symbol given); per instrument
 * Symbol, SecurityDesc (the name, when printable ASCII), RoundLot(561) and MinTradeVol(562) the board lot, and user-defined
 * tags (FIX 4.4's dictionary has none of MinPriceIncrement 969, LowLimitPrice 1148, HighLimitPrice
 * 1149; these are them + 5000): {@value #TICK_SIZE} tick size, {@value #LOW_LIMIT_PRICE} and
 * {@value #HIGH_LIMIT_PRICE} today's price band (absent when the instrument has no band). Sent in
 * fragments of {@value #SECURITY_LIST_FRAGMENT} (TotNoRelatedSym, LastFragment). An unknown symbol
 * is SecurityRequestResult 2, another request type 1.
 *
 * <p><b>Bounds</b> (everything a caller controls): MDReqID length, subscriptions and subscribed
 * symbols per session, symbols per request, depth; a session's subscriptions end with it.
 *
 * <p>Trade context only: no locks. Messages go to {@link FixOrders.Outbound} (a sending thread).
 * Cost per feed event: nothing for a symbol nobody subscribed to; else per subscription of the symbol
 * a walk of its depth (computed once per distinct depth).
 */
final class FixMarketData implements FixBooks.Listener {
    static final int NO_RELATED_SYM = 146, MD_REQ_ID = 262, SUBSCRIPTION_REQUEST_TYPE = 263, MARKET_DEPTH = 264,
            MD_UPDATE_TYPE = 265, AGGREGATED_BOOK = 266, NO_MD_ENTRY_TYPES = 267, NO_MD_ENTRIES = 268,
            MD_ENTRY_TYPE = 269, MD_ENTRY_PX = 270, MD_ENTRY_SIZE = 271, MD_UPDATE_ACTION = 279,
            MD_REQ_REJ_REASON = 281, NUMBER_OF_ORDERS = 346, SECURITY_DESC = 107, SECURITY_REQ_ID = 320,
            SECURITY_RESPONSE_ID = 322, TOT_NO_RELATED_SYM = 393, SECURITY_LIST_REQUEST_TYPE = 559,
            SECURITY_REQUEST_RESULT = 560, ROUND_LOT = 561, MIN_TRADE_VOL = 562, LAST_FRAGMENT = 893;
    /** User-defined SecurityList tags (FIX 4.4 lacks 969, 1148, 1149): tick size, band low, band high. */
    static final int TICK_SIZE = 5969, LOW_LIMIT_PRICE = 6148, HIGH_LIMIT_PRICE = 6149;
    /** MDReqRejReason values. */
    static final char REJ_UNKNOWN_SYMBOL = '0', REJ_DUPLICATE_ID = '1', REJ_BANDWIDTH = '2', REJ_DEPTH = '5',
            REJ_UPDATE_TYPE = '6', REJ_AGGREGATED = '7', REJ_ENTRY_TYPE = '8';
    static final char BID = '0', OFFER = '1', TRADE = '2';
    static final char ACTION_NEW = '0', ACTION_CHANGE = '1', ACTION_DELETE = '2';
    static final int MAX_MD_REQ_ID_LENGTH = 64;
    static final int SECURITY_LIST_FRAGMENT = 100;

    private final FixBooks books;
    private final TradeDesk desk;
    private final FixAcceptorOptions options;
    private final FixOrders.Outbound out;
    /** Live sessions → their subscriptions by MDReqID. */
    private final Map<SessionID, Map<String, Sub>> sessions = new HashMap<>();
    /** symbol → the subscriptions that include it. */
    private final Map<String, Set<Sub>> bySymbol = new HashMap<>();
    private final AtomicLong responseIds = new AtomicLong();
    /** Subscriptions held over all sessions (tests, metrics: read on any thread). */
    private volatile int subscriptionCount;

    /** One MDReqID of one session. */
    private static final class Sub {
        final SessionID session;
        final String reqId;
        final boolean bids;
        final boolean offers;
        final boolean trades;
        /** Levels per side; Integer.MAX_VALUE for the full book. */
        final int depth;
        /** What was last published per symbol. */
        final Map<String, Published> symbols = new LinkedHashMap<>();

        Sub(SessionID session, String reqId, Set<Character> types, int depth) {
            this.session = session;
            this.reqId = reqId;
            this.bids = types.contains(BID);
            this.offers = types.contains(OFFER);
            this.trades = types.contains(TRADE);
            this.depth = depth;
        }
    }

    private static final class Published {
        List<BookLevel> bids = List.of();
        List<BookLevel> asks = List.of();
    }

    FixMarketData(FixBooks books, TradeDesk desk, FixAcceptorOptions options, FixOrders.Outbound out) {
        this.books = books;
        this.desk = desk;
        this.options = options;
        this.out = out;
        books.listener(this);
    }

    // ------------------------------------------------------------------ sessions

    void loggedOn(SessionID session) {
        sessions.putIfAbsent(session, new LinkedHashMap<>());
    }

    /** The session ended: its subscriptions end with it. */
    void loggedOut(SessionID session) {
        Map<String, Sub> subs = sessions.remove(session);
        if (subs != null) {
            for (Sub s : subs.values()) {
                unindex(s);
            }
            recount();
        }
    }

    int subscriptionCount() {
        return subscriptionCount;
    }

    // ------------------------------------------------------------------ MarketDataRequest

    /** MarketDataRequest (V). */
    void onRequest(SessionID session, Message m) throws FieldNotFound {
        Map<String, Sub> active = sessions.get(session);
        if (active == null) {
            return; // not logged on (any more)
        }
        String reqId = m.getString(MD_REQ_ID);
        char type = m.getChar(SUBSCRIPTION_REQUEST_TYPE);
        if (reqId.isEmpty() || reqId.length() > MAX_MD_REQ_ID_LENGTH) {
            reject(session, reqId, (char) 0, "MDReqID(262) must be 1 to " + MAX_MD_REQ_ID_LENGTH + " characters");
            return;
        }
        if (type == '2') {
            Sub s = active.remove(reqId);
            if (s == null) {
                reject(session, reqId, (char) 0, "no subscription with MDReqID '" + reqId + "' to end");
            } else {
                unindex(s);
                recount();
            }
            return;
        }
        if (active.containsKey(reqId)) {
            reject(session, reqId, REJ_DUPLICATE_ID, "MDReqID '" + reqId + "' names a live subscription of this session;"
                    + " unsubscribe it (SubscriptionRequestType 2) or use a new MDReqID");
            return;
        }
        if (books.unavailableReason() != null) {
            reject(session, reqId, (char) 0, "market data is unavailable: " + books.unavailableReason());
            return;
        }
        int depth = m.getInt(MARKET_DEPTH);
        if (depth < 0 || depth > options.maxMarketDepth()) {
            reject(session, reqId, REJ_DEPTH, "MarketDepth(264)=" + depth + " is not supported; use 0 (full book) or 1 to "
                    + options.maxMarketDepth() + " levels (1 = top of book)");
            return;
        }
        if (type == '1' && m.isSetField(MD_UPDATE_TYPE) && m.getInt(MD_UPDATE_TYPE) != 1) {
            reject(session, reqId, REJ_UPDATE_TYPE, "MDUpdateType(265)=" + m.getInt(MD_UPDATE_TYPE)
                    + " is not supported; updates are incremental (1)");
            return;
        }
        if (m.isSetField(AGGREGATED_BOOK) && !m.getBoolean(AGGREGATED_BOOK)) {
            reject(session, reqId, REJ_AGGREGATED, "AggregatedBook(266)=N is not supported; books are aggregated by price");
            return;
        }
        Set<Character> types = new LinkedHashSet<>();
        for (Group g : m.getGroups(NO_MD_ENTRY_TYPES)) {
            char t = g.getChar(MD_ENTRY_TYPE);
            if (t != BID && t != OFFER && t != TRADE) {
                reject(session, reqId, REJ_ENTRY_TYPE, "MDEntryType(269)=" + t
                        + " is not supported; use 0 (bid), 1 (offer) or 2 (trade)");
                return;
            }
            types.add(t);
        }
        List<Group> related = m.getGroups(NO_RELATED_SYM);
        if (related.size() > options.maxMdSymbolsPerSession()) {
            reject(session, reqId, REJ_BANDWIDTH, "a request may name at most " + options.maxMdSymbolsPerSession()
                    + " symbols; this one names " + related.size());
            return;
        }
        Set<String> symbols = new LinkedHashSet<>();
        for (Group g : related) {
            String symbol = g.isSetField(FixProxy.SYMBOL) ? g.getString(FixProxy.SYMBOL) : null;
            if (symbol == null || books.book(symbol) == null) {
                reject(session, reqId, REJ_UNKNOWN_SYMBOL, symbol == null ? "Symbol(55) is required in NoRelatedSym"
                        : "unknown symbol '" + symbol + "'; a SecurityListRequest (x) lists the instruments");
                return;
            }
            symbols.add(symbol);
        }
        if (types.isEmpty() || symbols.isEmpty()) {
            reject(session, reqId, types.isEmpty() ? REJ_ENTRY_TYPE : REJ_UNKNOWN_SYMBOL,
                    "a request needs at least one MDEntryType and one Symbol");
            return;
        }
        int levels = depth == 0 ? Integer.MAX_VALUE : depth;
        if (type == '1') {
            if (active.size() >= options.maxMdReqIdsPerSession()) {
                reject(session, reqId, REJ_BANDWIDTH, "a session may hold at most " + options.maxMdReqIdsPerSession()
                        + " subscriptions (MDReqIDs); unsubscribe one first");
                return;
            }
            int held = 0;
            for (Sub s : active.values()) {
                held += s.symbols.size();
            }
            if (held + symbols.size() > options.maxMdSymbolsPerSession()) {
                reject(session, reqId, REJ_BANDWIDTH, "a session may have at most " + options.maxMdSymbolsPerSession()
                        + " symbols subscribed over its MDReqIDs; it has " + held + " and asks for " + symbols.size());
                return;
            }
        }
        Sub sub = new Sub(session, reqId, types, levels);
        List<Message> snapshots = new java.util.ArrayList<>(symbols.size());
        for (String symbol : symbols) {
            BookReplica book = books.book(symbol);
            Published p = new Published();
            p.bids = sub.bids ? book.bids(levels) : List.of();
            p.asks = sub.offers ? book.asks(levels) : List.of();
            snapshots.add(snapshot(sub, symbol, p));
            sub.symbols.put(symbol, p);
        }
        if (type == '1') {
            active.put(reqId, sub);
            for (String symbol : symbols) {
                bySymbol.computeIfAbsent(symbol, k -> new LinkedHashSet<>()).add(sub);
            }
            recount();
        }
        // Sent once the subscription counts (the outbound thread may deliver a W before this context
        // moves on); on this context still, so no increment of these books can come before its snapshot.
        for (Message w : snapshots) {
            out.send(session, w);
        }
    }

    private Message snapshot(Sub sub, String symbol, Published p) {
        MarketDataSnapshotFullRefresh w = new MarketDataSnapshotFullRefresh();
        w.setString(MD_REQ_ID, sub.reqId);
        w.setString(FixProxy.SYMBOL, symbol);
        int n = 0;
        for (BookLevel l : p.bids) {
            w.addGroup(level(new MarketDataSnapshotFullRefresh.NoMDEntries(), BID, l));
            n++;
        }
        for (BookLevel l : p.asks) {
            w.addGroup(level(new MarketDataSnapshotFullRefresh.NoMDEntries(), OFFER, l));
            n++;
        }
        long[] last = sub.trades ? books.lastTrade(symbol) : null;
        if (last != null) {
            Group g = new MarketDataSnapshotFullRefresh.NoMDEntries();
            g.setChar(MD_ENTRY_TYPE, TRADE);
            g.setString(MD_ENTRY_PX, FixPrices.decimal(last[0]));
            if (last[1] > 0) {
                g.setString(MD_ENTRY_SIZE, Long.toString(last[1]));
            }
            w.addGroup(g);
            n++;
        }
        if (n == 0) {
            w.setInt(NO_MD_ENTRIES, 0); // an empty book: the count is required
        }
        return w;
    }

    private static Group level(Group g, char type, BookLevel l) {
        g.setChar(MD_ENTRY_TYPE, type);
        g.setString(MD_ENTRY_PX, FixPrices.decimal(l.price()));
        g.setString(MD_ENTRY_SIZE, Long.toString(l.qty()));
        g.setInt(NUMBER_OF_ORDERS, l.orders());
        return g;
    }

    private void reject(SessionID session, String reqId, char reason, String text) {
        MarketDataRequestReject y = new MarketDataRequestReject();
        y.setString(MD_REQ_ID, reqId.length() > MAX_MD_REQ_ID_LENGTH ? reqId.substring(0, MAX_MD_REQ_ID_LENGTH) : reqId);
        if (reason != 0) {
            y.setChar(MD_REQ_REJ_REASON, reason);
        }
        y.setString(FixProxy.TEXT, text);
        out.send(session, y);
    }

    private void unindex(Sub s) {
        for (String symbol : s.symbols.keySet()) {
            Set<Sub> subs = bySymbol.get(symbol);
            if (subs != null) {
                subs.remove(s);
                if (subs.isEmpty()) {
                    bySymbol.remove(symbol);
                }
            }
        }
    }

    private void recount() {
        int n = 0;
        for (Map<String, Sub> subs : sessions.values()) {
            n += subs.size();
        }
        subscriptionCount = n;
    }

    // ------------------------------------------------------------------ feed → X

    @Override
    public void changed(BookReplica book, ExchangeEvent e) {
        Set<Sub> subs = bySymbol.get(book.symbol());
        if (subs == null) {
            return;
        }
        String symbol = book.symbol();
        // A crossing limit order rests in the replica from its ACCEPTED event until the TRADE events that
        // follow take it out of the cross: book states a matching engine never has. Levels are published
        // when the book is uncrossed again (the diff then covers the whole command); trades as they come.
        // Not in a call auction: there orders collect without matching, and a crossed book is the book; but an
        // auction's uncross is a run of trades (stamped with the auction's time) whose states between are not.
        boolean settled = !crossedOrLocked(book) || !books.matchingAt(e.timestamp()) && e.type() != EventType.TRADE;
        Map<Integer, List<BookLevel>> bidsAt = new HashMap<>(2);
        Map<Integer, List<BookLevel>> asksAt = new HashMap<>(2);
        for (Sub s : subs) {
            Published p = s.symbols.get(symbol);
            MarketDataIncrementalRefresh x = new MarketDataIncrementalRefresh();
            x.setString(MD_REQ_ID, s.reqId);
            int n = 0;
            if (s.trades && e.type() == EventType.TRADE) {
                Group g = new MarketDataIncrementalRefresh.NoMDEntries();
                g.setChar(MD_UPDATE_ACTION, ACTION_NEW);
                g.setChar(MD_ENTRY_TYPE, TRADE);
                g.setString(FixProxy.SYMBOL, symbol);
                g.setString(MD_ENTRY_PX, FixPrices.decimal(e.price()));
                g.setString(MD_ENTRY_SIZE, Long.toString(e.qty()));
                x.addGroup(g);
                n++;
            }
            if (s.bids && settled) {
                List<BookLevel> now = bidsAt.computeIfAbsent(s.depth, book::bids);
                n += diff(p.bids, now, BID, symbol, x);
                p.bids = now;
            }
            if (s.offers && settled) {
                List<BookLevel> now = asksAt.computeIfAbsent(s.depth, book::asks);
                n += diff(p.asks, now, OFFER, symbol, x);
                p.asks = now;
            }
            if (n > 0) {
                out.send(s.session, x);
            }
        }
    }

    /** Whether the best bid is at or above the best ask: mid-command, never a state to show. */
    static boolean crossedOrLocked(BookReplica book) {
        List<BookLevel> bid = book.bids(1);
        List<BookLevel> ask = book.asks(1);
        return !bid.isEmpty() && !ask.isEmpty() && bid.get(0).price() >= ask.get(0).price();
    }

    /** Adds the entries that turn {@code before} into {@code after} (deletes first); returns how many. */
    static int diff(List<BookLevel> before, List<BookLevel> after, char type, String symbol, Message x) {
        if (before.equals(after)) {
            return 0;
        }
        Map<Long, BookLevel> old = new HashMap<>();
        for (BookLevel l : before) {
            old.put(l.price(), l);
        }
        Set<Long> kept = new java.util.HashSet<>();
        for (BookLevel l : after) {
            kept.add(l.price());
        }
        int n = 0;
        for (BookLevel l : before) {
            if (!kept.contains(l.price())) {
                Group g = new MarketDataIncrementalRefresh.NoMDEntries();
                g.setChar(MD_UPDATE_ACTION, ACTION_DELETE);
                g.setChar(MD_ENTRY_TYPE, type);
                g.setString(FixProxy.SYMBOL, symbol);
                g.setString(MD_ENTRY_PX, FixPrices.decimal(l.price()));
                x.addGroup(g);
                n++;
            }
        }
        for (BookLevel l : after) {
            BookLevel o = old.get(l.price());
            if (o == null || o.qty() != l.qty() || o.orders() != l.orders()) {
                Group g = new MarketDataIncrementalRefresh.NoMDEntries();
                g.setChar(MD_UPDATE_ACTION, o == null ? ACTION_NEW : ACTION_CHANGE);
                g.setChar(MD_ENTRY_TYPE, type);
                g.setString(FixProxy.SYMBOL, symbol);
                g.setString(MD_ENTRY_PX, FixPrices.decimal(l.price()));
                g.setString(MD_ENTRY_SIZE, Long.toString(l.qty()));
                g.setInt(NUMBER_OF_ORDERS, l.orders());
                x.addGroup(g);
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ SecurityListRequest

    /** SecurityListRequest (x). */
    void onSecurityList(SessionID session, Message m) throws FieldNotFound {
        if (!sessions.containsKey(session)) {
            return;
        }
        String reqId = m.getString(SECURITY_REQ_ID);
        int type = m.getInt(SECURITY_LIST_REQUEST_TYPE);
        List<InstrumentInfo> list;
        if (type == 4) {
            list = books.instruments();
        } else if (type == 0 && m.isSetField(FixProxy.SYMBOL)) {
            InstrumentInfo i = books.instrument(m.getString(FixProxy.SYMBOL));
            if (i == null) {
                out.send(session, securityList(reqId, 2, List.of(), 0, true));
                return;
            }
            list = List.of(i);
        } else {
            out.send(session, securityList(reqId, 1, List.of(), 0, true));
            return;
        }
        for (int from = 0; from < list.size() || from == 0; from += SECURITY_LIST_FRAGMENT) {
            List<InstrumentInfo> part = list.subList(from, Math.min(list.size(), from + SECURITY_LIST_FRAGMENT));
            out.send(session, securityList(reqId, 0, part, list.size(), from + SECURITY_LIST_FRAGMENT >= list.size()));
        }
    }

    private Message securityList(String reqId, int result, List<InstrumentInfo> part, int total, boolean last) {
        SecurityList y = new SecurityList();
        y.setString(SECURITY_REQ_ID, reqId);
        y.setString(SECURITY_RESPONSE_ID, "sl-" + responseIds.incrementAndGet());
        y.setInt(SECURITY_REQUEST_RESULT, result);
        if (result == 0) {
            y.setInt(TOT_NO_RELATED_SYM, total);
            y.setBoolean(LAST_FRAGMENT, last);
        }
        for (InstrumentInfo i : part) {
            Group g = new SecurityList.NoRelatedSym();
            g.setString(FixProxy.SYMBOL, i.symbol());
            if (i.name() != null && !i.name().isEmpty() && i.name().chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                // FIX strings are ISO-8859-1 here: a name outside printable ASCII (the A-share names) is left out
                g.setString(SECURITY_DESC, i.name());
            }
            g.setString(ROUND_LOT, Long.toString(i.boardLot()));
            g.setString(MIN_TRADE_VOL, Long.toString(i.boardLot()));
            g.setString(TICK_SIZE, FixPrices.decimal(i.tickSize()));
            InstrumentRules rules = desk.rules(i); // today's band, as risk and the exchange have it
            if (rules.hasBand()) {
                g.setString(LOW_LIMIT_PRICE, FixPrices.decimal(rules.lowerLimit()));
                g.setString(HIGH_LIMIT_PRICE, FixPrices.decimal(rules.upperLimit()));
            }
            y.addGroup(g);
        }
        return y;
    }
}
