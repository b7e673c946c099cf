package org.opentrade.trade.adapter.fix;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import org.opentrade.common.tracing.TraceAttributes;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.OrderStatus;
import org.opentrade.trade.domain.TradeError;
import org.opentrade.trade.domain.desk.Outcome;
import org.opentrade.trade.domain.desk.TradeDesk;
import org.opentrade.trade.domain.ledger.Update;
import quickfix.FieldNotFound;
import quickfix.Message;
import quickfix.SessionID;

/**
 * The FIX order path on trade-api's side (the Artio "adapter" half): NewOrderSingle,
 * OrderCancelRequest, OrderCancelReplaceRequest and OrderStatusRequest become {@link TradeDesk}
 * calls — the same order path, risk and ledger as REST, no second order model — and the desk's
 * account updates ({@link TradeDesk.UpdateListener}, the hook the order stream uses) become
 * ExecutionReports per FIX 4.4 Volume 4 Appendix D.
 *
 * <p><b>How updates become ExecTypes.</b> The ledger publishes each order as it is after a change
 * (and a fill before its order). Per open order this class remembers the last status, quantity,
 * price and ClOrdID it reported; the difference names the event: pending_new → new is New (0); a
 * fill is Trade (F) with LastQty/LastPx; a changed quantity or price is Replaced (5); canceled is
 * Canceled (4); expired (a FOK that could not fill) is Expired (C); rejected is Rejected (8). Orders
 * of the account entered by REST are reported too, under their client_order_id.
 *
 * <p><b>ClOrdID chains.</b> An order's first ClOrdID is its client_order_id (the ledger keeps it, so
 * it survives restarts). Cancel and replace ClOrdIDs live in a bounded per-account
 * {@link ClOrdIdMap}; a Replaced report makes the replace's ClOrdID the order's current one, the
 * request's OrigClOrdID(41) is echoed. Requests of a cancel or replace wait in a small per-order queue
 * until the feed shows their effect or the desk refuses them (then OrderCancelReject).
 *
 * <p><b>Pending states.</b> A cancel or replace that passes the local checks is acknowledged at once
 * with Pending Cancel (6) / Pending Replace (E), showing the order as it stands. While one is in
 * flight, OrdStatus(39) follows FIX 4.4's precedence (pending cancel over pending replace over the
 * order's own status, filled included): a fill meanwhile is reported under the original ClOrdID with
 * OrdStatus 6 or E, and a later OrderCancelReject carries the order's status once nothing is pending.
 *
 * <p><b>No session logged on.</b> Reports of an account whose sessions have all logged out go to the
 * last of them: QuickFIX/J stores them with their sequence numbers, so the next Logon under that
 * SenderCompID sees the gap and receives them by ResendRequest (PossDupFlag). After a restart of
 * trade-api no session is known until one logs on; an OrderStatusRequest then gives each order's state.
 *
 * <p><b>Tracing.</b> Each NewOrderSingle, OrderCancelRequest and OrderCancelReplaceRequest is a server
 * span "FIX &lt;MsgType name&gt;" of trade-api, owned by the account's developer
 * ({@link TraceAttributes#DEVELOPER_ID}), whose traceparent goes with the command to the desk and the
 * exchange, as REST's does. Reports carry the trace id in tag {@value FixProxy#TRACE_ID}: the trace
 * of the request they answer (New, Rejected, Canceled, Replaced, cancel rejects) and, for fills and
 * expiry, the order's own placement — never the counterparty's trace that caused a fill.
 *
 * <p>Trade context only (the desk's thread): no locks. Outbound messages go to {@link Outbound},
 * which hands them to a sending thread (QuickFIX/J's store I/O never runs here).
 */
final class FixOrders implements TradeDesk.UpdateListener {
    /** Sends one message to one session; must not block the caller. */
    interface Outbound {
        void send(SessionID to, Message message);
    }

    /** REST's client_order_id rule (docs/contracts.md): a ClOrdID must satisfy it too. */
    static final Pattern CL_ORD_ID = Pattern.compile("[A-Za-z0-9._:-]{1,48}");

    private final TradeDesk desk;
    private final FixAcceptorOptions options;
    private final Outbound out;
    private final LongSupplier clock;
    /** Spans of FIX requests; null: no spans and no trace tag. */
    private final Tracing tracing;
    private final Map<String, AccountFix> accounts = new HashMap<>();
    private final Map<SessionID, String> sessionAccounts = new HashMap<>();
    /** Unique ExecIDs for reports that are not account updates (status answers, rejects before an order). */
    private final String execPrefix;
    private final AtomicLong execIds = new AtomicLong();

    /** Replaced ClOrdIDs across restarts; null: kept in memory only. */
    private final ClOrdIdJournal journal;

    FixOrders(TradeDesk desk, FixAcceptorOptions options, Outbound out, LongSupplier clock, Tracing tracing) {
        this(desk, options, out, clock, tracing, null);
    }

    FixOrders(TradeDesk desk, FixAcceptorOptions options, Outbound out, LongSupplier clock, Tracing tracing,
              ClOrdIdJournal journal) {
        this.journal = journal;
        this.tracing = tracing;
        this.desk = desk;
        this.options = options;
        this.out = out;
        this.clock = clock;
        this.execPrefix = "x" + Long.toString(clock.getAsLong(), 36) + "-";
    }

    /** The FIX state of one account: its live sessions, its cancel/replace ClOrdIDs, its open orders' last reports. */
    private final class AccountFix {
        final String account;
        final Set<SessionID> live = new LinkedHashSet<>();
        /** The live sessions that logged on with 8013=Y: the account's orders are canceled when the last one ends. */
        final Set<SessionID> cancelOnDisconnect = new LinkedHashSet<>();
        /**
         * The session that logged out last while none is live, or null: reports made meanwhile go to it,
         * and QuickFIX/J keeps them in its store with their sequence numbers, so the client's next
         * Logon under that SenderCompID sees the gap and gets them by ResendRequest.
         */
        SessionID offline;
        /** Sessions of {@link #answering} that asked for 8013=Y: they join {@link #cancelOnDisconnect} once answered. */
        final Set<SessionID> cancelOnAnswer = new LinkedHashSet<>();
        /** Live sessions whose Logon is not answered yet, with the reports made for them meanwhile ({@link #loggedOn}). */
        final Map<SessionID, List<Message>> answering = new HashMap<>();
        final ClOrdIdMap clOrdIds = new ClOrdIdMap(options.maxClOrdIdsPerAccount());
        final Map<String, Track> tracks = new HashMap<>();
        /** ClOrdID → trace id of NewOrderSingles whose placement has not completed (reports before the feed's). */
        final Map<String, String> placing = new HashMap<>();

        AccountFix(String account) {
            this.account = account;
            for (Order o : desk.ledger().hasAccount(account) ? desk.ledger().openOrders(account, null) : List.<Order>of()) {
                String replaced = journal == null ? null : journal.current(o.orderId());
                Track t = new Track(replaced != null ? replaced : o.clientOrderId());
                if (replaced != null) {
                    clOrdIds.put(replaced, o.orderId()); // a replace before the restart named it so
                }
                t.observe(o);
                tracks.put(o.orderId(), t);
            }
        }

        Track track(Order o) {
            return tracks.computeIfAbsent(o.orderId(), id -> new Track(o.clientOrderId()));
        }
    }

    /** What was last reported of one open order, and its cancel/replace requests in flight. */
    private static final class Track {
        String clOrdId;
        /** Trace id of the order's placement (for fill reports), or null. */
        String traceId;
        OrderStatus status;
        long qty;
        long price;
        final Deque<Pending> pending = new ArrayDeque<>();

        Track(String clOrdId) {
            this.clOrdId = clOrdId;
        }

        void observe(Order o) {
            status = o.status();
            qty = o.qty();
            price = o.price();
        }

        /**
         * OrdStatus(39) by the FIX 4.4 precedence rules: a cancel in flight (Pending Cancel) outranks
         * a replace in flight (Pending Replace), which outranks the order's own status, filled included.
         */
        char ordStatus(Order o) {
            if (first(true) != null) {
                return FixProxy.PENDING_CANCEL;
            }
            return first(false) != null ? FixProxy.PENDING_REPLACE : FixProxy.ordStatus(o.status());
        }

        Pending first(boolean cancel) {
            for (Pending p : pending) {
                if (p.cancel == cancel) {
                    return p;
                }
            }
            return null;
        }
    }

    private record Pending(boolean cancel, String clOrdId, String origClOrdId, SessionID from) {
    }

    // ------------------------------------------------------------------ sessions

    /**
     * A session's Logon passed its checks and is about to be answered: from now on its account's reports are for it.
     * Called before QuickFIX/J answers the Logon ({@link FixApplication}), never after: registered at its answer, a
     * report made between the answer and the registration went nowhere (the account's first session since a start)
     * or to the account's last session's store (another SenderCompID), and the logged-on client never got it. Until
     * {@link #answered} its reports wait here, then go out in order behind the Logon's answer (a Logon with
     * ResetSeqNumFlag empties the store after this call, so they cannot be numbered in it before the answer).
     */
    void loggedOn(SessionID session, String account, boolean cancelOnDisconnect) {
        boolean fresh = sessionAccounts.put(session, account) == null;
        AccountFix a = accounts.computeIfAbsent(account, AccountFix::new);
        boolean arriving = fresh && a.live.add(session);
        if (arriving) {
            a.answering.put(session, new ArrayList<>());
        }
        a.offline = null;
        if (cancelOnDisconnect && arriving) {
            a.cancelOnAnswer.add(session); // a Logon QuickFIX/J then does not complete cancels nothing
        } else if (cancelOnDisconnect) {
            a.cancelOnDisconnect.add(session);
        }
    }

    /** QuickFIX/J answered the session's Logon: the reports made since {@link #loggedOn} go out, in order. */
    void answered(SessionID session) {
        String account = sessionAccounts.get(session);
        AccountFix a = account == null ? null : accounts.get(account);
        if (a == null) {
            return;
        }
        if (a.cancelOnAnswer.remove(session)) {
            a.cancelOnDisconnect.add(session);
        }
        List<Message> waiting = a.answering.remove(session);
        if (waiting != null) {
            waiting.forEach(m -> out.send(session, m));
        }
    }

    /**
     * A session ended. With 8013=Y the account's open orders are canceled once its last session that asked for
     * it has ended, as the order stream's {@code cancel_on_disconnect} waits for its last opted-in connection:
     * another session of the account still managing them keeps them.
     */
    void loggedOut(SessionID session) {
        String account = sessionAccounts.remove(session);
        AccountFix a = account == null ? null : accounts.get(account);
        if (a == null) {
            return;
        }
        a.live.remove(session);
        a.cancelOnAnswer.remove(session);
        List<Message> waiting = a.answering.remove(session);
        if (waiting != null) {
            // Ended before its Logon was answered: numbered in its store, for its next Logon's ResendRequest.
            waiting.forEach(m -> out.send(session, m));
        }
        if (a.live.isEmpty()) {
            a.offline = session;
        }
        if (a.cancelOnDisconnect.remove(session) && a.cancelOnDisconnect.isEmpty()) {
            desk.cancelAll(account, null, null);
        }
    }

    /** ClOrdIDs remembered for {@code account} (tests: the bound). */
    int rememberedClOrdIds(String account) {
        AccountFix a = accounts.get(account);
        return a == null ? 0 : a.clOrdIds.size();
    }

    // ------------------------------------------------------------------ updates → reports

    @Override
    public void update(Update u, String traceParent) {
        AccountFix a = accounts.get(u.account());
        if (a == null) {
            return;
        }
        long now = clock.getAsLong();
        if (u.isFill()) {
            Fill f = u.fill();
            Order o = desk.ledger().order(u.account(), f.orderId());
            if (o != null) {
                Track t = a.track(o);
                broadcast(a, FixProxy.traced(FixProxy.report(o, FixProxy.TRADE, t.ordStatus(o), f.fillId(), t.clOrdId,
                        null, f, null, now), t.traceId));
                t.observe(o);
            }
            return;
        }
        Order o = u.order();
        Track t = a.track(o);
        OrderStatus prev = t.status;
        OrderStatus s = o.status();
        String execId = o.orderId() + "-" + u.seq();
        String traceId = FixProxy.traceId(traceParent);
        if (traceId == null) {
            traceId = a.placing.get(o.clientOrderId());
        }
        if (s == OrderStatus.PENDING_NEW) {
            t.traceId = traceId;
            t.observe(o);
            return;
        }
        if (s == OrderStatus.REJECTED) {
            if (prev != OrderStatus.REJECTED) {
                broadcast(a, FixProxy.traced(FixProxy.report(o, FixProxy.REJECTED, execId, t.clOrdId, null, null, null,
                        now), traceId));
            }
        } else if ((prev == null || prev == OrderStatus.PENDING_NEW) && s.isOpen()) {
            if (traceId != null) {
                t.traceId = traceId;
            }
            broadcast(a, FixProxy.traced(FixProxy.report(o, FixProxy.NEW, execId, t.clOrdId, null, null, null, now),
                    t.traceId));
        } else if (s.isOpen() && (o.qty() != t.qty || o.price() != t.price)) {
            Pending p = t.first(false);
            String orig = t.clOrdId;
            if (p != null) {
                t.pending.remove(p);
                t.clOrdId = p.clOrdId;
                orig = p.origClOrdId;
                if (journal != null) {
                    journal.replaced(u.account(), o.orderId(), t.clOrdId);
                }
            }
            broadcast(a, FixProxy.traced(FixProxy.report(o, FixProxy.REPLACED, t.ordStatus(o), execId, t.clOrdId, orig,
                    null, null, now), traceId));
        } else if (s == OrderStatus.CANCELED && prev != OrderStatus.CANCELED) {
            Pending p = t.first(true);
            if (p != null) {
                t.pending.remove(p);
            }
            broadcast(a, FixProxy.traced(FixProxy.report(o, FixProxy.CANCELED, execId, p != null ? p.clOrdId : t.clOrdId,
                    p != null ? p.origClOrdId : null, null, null, now), traceId));
        } else if (s == OrderStatus.EXPIRED && prev != OrderStatus.EXPIRED) {
            broadcast(a, FixProxy.traced(FixProxy.report(o, FixProxy.EXPIRED, execId, t.clOrdId, null, null, null, now),
                    traceId != null ? traceId : t.traceId));
        }
        t.observe(o);
        if (!s.isOpen()) {
            a.tracks.remove(o.orderId());
            if (journal != null && !t.clOrdId.equals(o.clientOrderId())) {
                journal.closed(o.orderId());
            }
        }
    }

    private void broadcast(AccountFix a, Message m) {
        if (a.live.isEmpty()) {
            if (a.offline != null) {
                out.send(a.offline, m);
            }
            return;
        }
        int n = a.live.size();
        for (SessionID s : a.live) {
            Message copy = --n == 0 ? m : (Message) m.clone();
            List<Message> waiting = a.answering.get(s);
            if (waiting != null) {
                waiting.add(copy);
            } else {
                out.send(s, copy);
            }
        }
    }

    // ------------------------------------------------------------------ requests

    /** NewOrderSingle (D). */
    void onNewOrder(SessionID session, Message m) throws FieldNotFound {
        AccountFix a = loggedOn(session);
        if (a == null) {
            return; // not logged on (QuickFIX/J delivers application messages only after Logon)
        }
        String account = a.account;
        String clOrdId = m.getString(FixProxy.CL_ORD_ID);
        String symbol = m.getString(FixProxy.SYMBOL);
        char side = m.getChar(FixProxy.SIDE);
        char ordType = m.getChar(FixProxy.ORD_TYPE);
        String qtyRaw = m.isSetField(FixProxy.ORDER_QTY) ? m.getString(FixProxy.ORDER_QTY) : null;
        Span span = span("FIX NewOrderSingle", account, clOrdId);
        String traceId = traceId(span);
        OrderRequest req;
        try {
            req = decode(clOrdId, symbol, side, ordType, m);
        } catch (Refused r) {
            reject(session, clOrdId, account, symbol, side, qtyRaw, ordType, r.reason, r.getMessage(), traceId);
            span.setAttribute("fix.ord_rej_reason", r.reason);
            span.end();
            return;
        }
        if (a.clOrdIds.orderId(clOrdId) != null || desk.ledger().hasAccount(account)
                && desk.ledger().orderByClientId(account, clOrdId) != null) {
            if (possibleResend(m)) {
                // FIX 4.4 Vol 4 Appendix D (F.1.b): a possible resend of an order we have is answered with its status
                // (ExecType I), not a reject a client would read as the order's end.
                span.end();
                onStatus(session, m);
                return;
            }
            reject(session, clOrdId, account, symbol, side, qtyRaw, ordType, FixProxy.REJ_DUPLICATE,
                    "[" + TradeError.CLIENT_ORDER_ID_CONFLICT.errorNo() + "] duplicate ClOrdID '" + clOrdId
                            + "': it names an earlier order of this account", traceId);
            span.setAttribute("fix.ord_rej_reason", FixProxy.REJ_DUPLICATE);
            span.end();
            return;
        }
        if (traceId != null) {
            a.placing.put(clOrdId, traceId);
        }
        desk.place(account, req, null, traceParent(span)).whenComplete((outcome, err) -> {
            a.placing.remove(clOrdId);
            span.end();
            if (err != null) {
                reject(session, clOrdId, account, symbol, side, qtyRaw, ordType, FixProxy.REJ_OTHER,
                        "[" + TradeError.INTERNAL.errorNo() + "] " + err, traceId);
                return;
            }
            switch (outcome.kind()) {
                case REFUSED, BUSY -> reject(session, clOrdId, account, symbol, side, qtyRaw, ordType,
                        ordRejReason(outcome.error()), text(outcome), traceId);
                case EXISTING -> reject(session, clOrdId, account, symbol, side, qtyRaw, ordType, FixProxy.REJ_DUPLICATE,
                        "[" + TradeError.CLIENT_ORDER_ID_CONFLICT.errorNo() + "] duplicate ClOrdID '" + clOrdId + "'",
                        traceId);
                default -> {
                    // CREATED, REJECTED (the ledger's update reports it), UNKNOWN (the feed settles it)
                }
            }
        });
    }

    /** OrderCancelRequest (F). */
    void onCancel(SessionID session, Message m) throws FieldNotFound {
        cancelOrReplace(session, m, true);
    }

    /** OrderCancelReplaceRequest (G). */
    void onReplace(SessionID session, Message m) throws FieldNotFound {
        cancelOrReplace(session, m, false);
    }

    private void cancelOrReplace(SessionID session, Message m, boolean cancel) throws FieldNotFound {
        AccountFix a = loggedOn(session);
        if (a == null) {
            return;
        }
        String account = a.account;
        char to = cancel ? FixProxy.RESPONSE_TO_CANCEL : FixProxy.RESPONSE_TO_REPLACE;
        String clOrdId = m.getString(FixProxy.CL_ORD_ID);
        String orig = m.getString(FixProxy.ORIG_CL_ORD_ID);
        Span span = span(cancel ? "FIX OrderCancelRequest" : "FIX OrderCancelReplaceRequest", account, clOrdId);
        String traceId = traceId(span);
        Order o = find(a, orig, m.isSetField(FixProxy.ORDER_ID) ? m.getString(FixProxy.ORDER_ID) : null);
        if (o == null) {
            answerCancel(session, span, traceId, FixProxy.cancelReject(null, clOrdId, orig, to, FixProxy.CXL_UNKNOWN_ORDER,
                    "unknown order: no order of this account has ClOrdID '" + orig + "'"));
            return;
        }
        if (o.orderId().equals(a.clOrdIds.orderId(clOrdId)) && possibleResend(m)) {
            // A possible resend of a cancel or replace this order already took: its status (ExecType I), as a
            // NewOrderSingle's resend is answered (Vol 4 Appendix D F.1.b). An OrderCancelReject of its ClOrdID told
            // a client that the request it had seen applied (or pending) was refused.
            span.end();
            Track t = o.status().isOpen() ? a.tracks.get(o.orderId()) : null;
            out.send(session, FixProxy.traced(FixProxy.report(o, FixProxy.ORDER_STATUS,
                    t != null ? t.ordStatus(o) : FixProxy.ordStatus(o.status()), nextExecId(), clOrdId, orig, null, null,
                    clock.getAsLong()), traceId));
            return;
        }
        if (!CL_ORD_ID.matcher(clOrdId).matches() || a.clOrdIds.orderId(clOrdId) != null
                || desk.ledger().orderByClientId(account, clOrdId) != null) {
            answerCancel(session, span, traceId, FixProxy.cancelReject(o, clOrdId, orig, to, FixProxy.CXL_DUPLICATE,
                    "duplicate or malformed ClOrdID '" + clOrdId + "'"));
            return;
        }
        if (!o.status().isOpen()) {
            answerCancel(session, span, traceId, FixProxy.cancelReject(o, clOrdId, orig, to, FixProxy.CXL_TOO_LATE,
                    "too late: the order is " + o.status().wireName()));
            return;
        }
        Track t = a.track(o);
        if (t.pending.size() >= options.maxPendingPerOrder()) {
            answerCancel(session, span, traceId, FixProxy.cancelReject(o, clOrdId, orig, to, FixProxy.CXL_ALREADY_PENDING,
                    "too many cancel/replace requests in flight for this order"));
            return;
        }
        long qty = 0;
        long price = 0;
        if (!cancel) {
            try {
                if (m.getChar(FixProxy.SIDE) != FixProxy.side(o.side()) || !o.symbol().equals(m.getString(FixProxy.SYMBOL))
                        || m.getChar(FixProxy.ORD_TYPE) != FixProxy.ordType(o.type())) {
                    throw new Refused(0, "a replace cannot change Side, Symbol or OrdType");
                }
                qty = FixPrices.shares(m.isSetField(FixProxy.ORDER_QTY) ? m.getString(FixProxy.ORDER_QTY) : null, "OrderQty(38)");
                if (o.type().hasLimitPrice()) {
                    price = m.isSetField(FixProxy.PRICE) ? FixPrices.hundredths(m.getString(FixProxy.PRICE), "Price(44)")
                            : o.price();
                }
                if (qty == o.qty() && (price == 0 || price == o.price())) {
                    throw new Refused(0, "the replace changes neither OrderQty nor Price");
                }
            } catch (IllegalArgumentException e) {
                answerCancel(session, span, traceId, FixProxy.cancelReject(o, clOrdId, orig, to, FixProxy.CXL_BROKER_OPTION,
                        "[" + TradeError.INVALID_PARAMETER.errorNo() + "] " + e.getMessage()));
                return;
            } catch (Refused r) {
                answerCancel(session, span, traceId, FixProxy.cancelReject(o, clOrdId, orig, to, FixProxy.CXL_BROKER_OPTION, r.getMessage()));
                return;
            }
        }
        Pending p = new Pending(cancel, clOrdId, orig, session);
        t.pending.add(p);
        a.clOrdIds.put(clOrdId, o.orderId());
        // Acknowledged at once as Pending Cancel (6) / Pending Replace (E), with the order as it stands
        // (original quantity and price): the effect follows when the exchange has it, or a reject.
        broadcast(a, FixProxy.traced(FixProxy.report(o, cancel ? FixProxy.PENDING_CANCEL : FixProxy.PENDING_REPLACE,
                t.ordStatus(o), nextExecId(), clOrdId, orig, null, null, clock.getAsLong()), traceId));
        String orderId = o.orderId();
        String tp = traceParent(span);
        (cancel ? desk.cancel(account, orderId, tp) : desk.replace(account, orderId, qty, price, tp))
                .whenComplete((outcome, err) -> {
                    span.end();
                    boolean refused = err != null || outcome.kind() == Outcome.Kind.REFUSED
                            || outcome.kind() == Outcome.Kind.REJECTED || outcome.kind() == Outcome.Kind.BUSY;
                    if (!refused || !t.pending.remove(p)) {
                        return; // done: the feed reports it (or already did)
                    }
                    a.clOrdIds.remove(clOrdId);
                    Order now = desk.ledger().order(account, orderId);
                    boolean late = err == null && (outcome.error() == TradeError.ORDER_NOT_OPEN
                            || now != null && !now.status().isOpen());
                    out.send(session, FixProxy.traced(FixProxy.cancelReject(now, now == null ? '8' : t.ordStatus(now),
                            clOrdId, orig, to, late ? FixProxy.CXL_TOO_LATE : FixProxy.CXL_BROKER_OPTION,
                            err != null ? "[" + TradeError.INTERNAL.errorNo() + "] " + err : text(outcome)), traceId));
                });
    }

    /**
     * A cancel or replace request over the session's message rate: an OrderCancelReject (CxlRejReason 2)
     * with {@code text}, the order's status as it stands (8 and OrderID NONE for an unknown order), so an
     * order system tracking its request by ClOrdID sees it refused. Nothing is asked of the desk.
     */
    void refuseCancelForRate(SessionID session, Message m, String text) throws FieldNotFound {
        AccountFix a = loggedOn(session);
        if (a == null) {
            return;
        }
        char to = "F".equals(m.getHeader().getString(35)) ? FixProxy.RESPONSE_TO_CANCEL : FixProxy.RESPONSE_TO_REPLACE;
        String orig = m.getString(FixProxy.ORIG_CL_ORD_ID);
        Order o = find(a, orig, m.isSetField(FixProxy.ORDER_ID) ? m.getString(FixProxy.ORDER_ID) : null);
        Track t = o == null ? null : a.tracks.get(o.orderId());
        char status = o == null ? '8' : t != null ? t.ordStatus(o) : FixProxy.ordStatus(o.status());
        out.send(session, FixProxy.cancelReject(o, status, m.getString(FixProxy.CL_ORD_ID), orig, to,
                FixProxy.CXL_BROKER_OPTION, text));
    }

    /** A cancel reject answered before the desk was asked: tagged with the request's trace, which ends. */
    private void answerCancel(SessionID session, Span span, String traceId, Message reject) {
        span.end();
        out.send(session, FixProxy.traced(reject, traceId));
    }

    /**
     * OrderMassCancelRequest (q): MassCancelRequestType(530) 7 cancels every open order of the account, 1 those of
     * Symbol(55); answered at once by an OrderMassCancelReport (r) with MassCancelResponse(531) as the request type
     * and TotalAffectedOrders(533) the open orders a cancel was sent for, each of which then reports its own cancel
     * (ExecType 4, or nothing if it filled first), as REST's {@code DELETE /v1/orders}. Refused (531 = 0) with
     * MassCancelRejectReason(532) 1 for type 1 without a Symbol, else 0 (not supported: another request type, a
     * Side(54), a malformed ClOrdID), the reason in Text(58).
     */
    void onMassCancel(SessionID session, Message m) throws FieldNotFound {
        AccountFix a = loggedOn(session);
        if (a == null) {
            return;
        }
        String account = a.account;
        String clOrdId = m.getString(FixProxy.CL_ORD_ID);
        char type = m.getChar(FixProxy.MASS_CANCEL_REQUEST_TYPE);
        String symbol = m.isSetField(FixProxy.SYMBOL) ? m.getString(FixProxy.SYMBOL) : null;
        Span span = span("FIX OrderMassCancelRequest", account, clOrdId);
        String traceId = traceId(span);
        String refusal = null;
        char reason = FixProxy.MASS_REJ_NOT_SUPPORTED;
        if (!CL_ORD_ID.matcher(clOrdId).matches()) {
            refusal = "[" + TradeError.INVALID_PARAMETER.errorNo() + "] ClOrdID(11) must be 1 to 48 characters of A-Z a-z"
                    + " 0-9 . _ : -";
        } else if (type != FixProxy.MASS_CANCEL_ALL && type != FixProxy.MASS_CANCEL_SECURITY) {
            refusal = "MassCancelRequestType(530)=" + type + " is not supported; use 7 (all orders) or 1 (one Symbol)";
        } else if (type == FixProxy.MASS_CANCEL_SECURITY && (symbol == null || symbol.isEmpty())) {
            reason = FixProxy.MASS_REJ_UNKNOWN_SECURITY;
            refusal = "MassCancelRequestType(530)=1 needs Symbol(55)";
        } else if (m.isSetField(FixProxy.SIDE) && m.getChar(FixProxy.SIDE) != '1' && m.getChar(FixProxy.SIDE) != '2') {
            refusal = "Side(54) in a mass cancel must be 1 (buy) or 2 (sell), or absent for both";
        }
        String massId = "MC" + nextExecId();
        if (refusal != null) {
            span.end();
            out.send(session, FixProxy.traced(FixProxy.massCancelReport(clOrdId, massId, type, FixProxy.MASS_REJECTED,
                    reason, 0, refusal), traceId));
            return;
        }
        String only = type == FixProxy.MASS_CANCEL_ALL ? null : symbol;
        Side side = !m.isSetField(FixProxy.SIDE) ? null : m.getChar(FixProxy.SIDE) == '1' ? Side.BUY : Side.SELL;
        int affected = desk.openOrders(account, only, side).size();
        out.send(session, FixProxy.traced(FixProxy.massCancelReport(clOrdId, massId, type, type, ' ', affected, null),
                traceId));
        desk.cancelAll(account, only, side, traceParent(span)).whenComplete((outcomes, err) -> span.end());
    }

    /** OrderStatusRequest (H): ExecType I with the order as it is, or OrdStatus 8 for an unknown order. */
    void onStatus(SessionID session, Message m) throws FieldNotFound {
        AccountFix a = loggedOn(session);
        if (a == null) {
            return;
        }
        String account = a.account;
        String clOrdId = m.getString(FixProxy.CL_ORD_ID);
        Order o = find(a, clOrdId, m.isSetField(FixProxy.ORDER_ID) ? m.getString(FixProxy.ORDER_ID) : null);
        long now = clock.getAsLong();
        if (o == null) {
            out.send(session, FixProxy.noOrder(FixProxy.ORDER_STATUS, nextExecId(), clOrdId, account,
                    m.isSetField(FixProxy.SYMBOL) ? m.getString(FixProxy.SYMBOL) : null, m.getChar(FixProxy.SIDE), null,
                    (char) 0, FixProxy.REJ_UNKNOWN_ORDER, "unknown order: no order of this account has ClOrdID '"
                            + clOrdId + "'", now));
            return;
        }
        Track t = o.status().isOpen() ? a.tracks.get(o.orderId()) : null;
        out.send(session, FixProxy.report(o, FixProxy.ORDER_STATUS, t != null ? t.ordStatus(o) : FixProxy.ordStatus(o.status()),
                nextExecId(), t != null ? t.clOrdId : clOrdId, null, null, null, now));
    }

    /**
     * The account of the session's logged-on developer, or null when the session is not logged on (QuickFIX/J delivers
     * application messages only after Logon; one that ended meanwhile is not acted on).
     */
    private AccountFix loggedOn(SessionID session) {
        String account = sessionAccounts.get(session);
        return account == null ? null : accounts.get(account);
    }

    /**
     * The order named by {@code clOrdId} (or by OrderID(37) when given), or null; null too when both are given and name
     * two orders (a cancel of B under A's OrigClOrdID canceled B and reported it as A).
     */
    private Order find(AccountFix a, String clOrdId, String orderId) {
        if (!desk.ledger().hasAccount(a.account)) {
            return null;
        }
        String mapped = a.clOrdIds.orderId(clOrdId);
        Order named = mapped != null ? desk.ledger().order(a.account, mapped) : desk.ledger().orderByClientId(a.account, clOrdId);
        if (orderId != null && !orderId.isEmpty() && !"NONE".equals(orderId)) {
            Order o = desk.ledger().order(a.account, orderId);
            if (o != null) {
                return named == null || named.orderId().equals(o.orderId()) ? o : null;
            }
        }
        return named;
    }

    /** PossResend(97) or PossDupFlag(43) set in the header. */
    private static boolean possibleResend(Message m) {
        try {
            Message.Header h = m.getHeader();
            return h.isSetField(97) && h.getBoolean(97) || h.isSetField(43) && h.getBoolean(43);
        } catch (FieldNotFound | quickfix.FieldException e) {
            return false;
        }
    }

    private OrderRequest decode(String clOrdId, String symbol, char side, char ordType, Message m) throws FieldNotFound {
        if (!CL_ORD_ID.matcher(clOrdId).matches()) {
            throw new Refused(FixProxy.REJ_OTHER, "[" + TradeError.INVALID_PARAMETER.errorNo()
                    + "] ClOrdID(11) must be 1 to 48 characters of A-Z a-z 0-9 . _ : -");
        }
        if (clOrdId.startsWith(TradeDesk.GENERATED_CLIENT_ORDER_ID_PREFIX)) {
            // As over REST: the ids trade-api makes for orders sent without one start so, and a later such order
            // would be answered with this one.
            throw new Refused(FixProxy.REJ_OTHER, "[" + TradeError.INVALID_PARAMETER.errorNo() + "] ClOrdID(11) must not"
                    + " start with '" + TradeDesk.GENERATED_CLIENT_ORDER_ID_PREFIX + "': that prefix is reserved for the"
                    + " client order ids trade-api generates");
        }
        Side s = switch (side) {
            case '1' -> Side.BUY;
            case '2' -> Side.SELL;
            default -> throw new Refused(FixProxy.REJ_UNSUPPORTED, "[" + TradeError.INVALID_PARAMETER.errorNo() + "] Side(54)="
                    + side + " is not supported; use 1 (buy) or 2 (sell)");
        };
        OrderType type = switch (ordType) {
            case '1' -> OrderType.MARKET;
            case '2' -> OrderType.LIMIT;
            case '3' -> OrderType.STOP;
            case '4' -> OrderType.STOP_LIMIT;
            default -> throw new Refused(FixProxy.REJ_UNSUPPORTED, "[" + TradeError.INVALID_PARAMETER.errorNo() + "] OrdType(40)="
                    + ordType
                    + " is not supported; use 1 market, 2 limit, 3 stop or 4 stop limit");
        };
        char tifChar = m.isSetField(FixProxy.TIME_IN_FORCE) ? m.getChar(FixProxy.TIME_IN_FORCE) : '0';
        TimeInForce tif = switch (tifChar) {
            case '0' -> TimeInForce.DAY;
            case '1' -> TimeInForce.GTC;
            case '3' -> TimeInForce.IOC;
            case '4' -> TimeInForce.FOK;
            default -> throw new Refused(FixProxy.REJ_UNSUPPORTED, "[" + TradeError.INVALID_PARAMETER.errorNo()
                    + "] TimeInForce(59)=" + tifChar
                    + " is not supported; use 0 day, 1 GTC, 3 IOC or 4 FOK");
        };
        try {
            long qty = FixPrices.shares(m.isSetField(FixProxy.ORDER_QTY) ? m.getString(FixProxy.ORDER_QTY) : null,
                    "OrderQty(38)");
            long price = 0;
            long stop = 0;
            // A Price or StopPx the type takes no is passed on, so the risk checks refuse it as REST's do (-4114).
            if (m.isSetField(FixProxy.PRICE)) {
                price = FixPrices.hundredths(m.getString(FixProxy.PRICE), "Price(44)");
            } else if (type.hasLimitPrice()) {
                throw new IllegalArgumentException("Price(44) is required for OrdType " + ordType);
            }
            if (m.isSetField(FixProxy.STOP_PX)) {
                stop = FixPrices.hundredths(m.getString(FixProxy.STOP_PX), "StopPx(99)");
            } else if (type.isStop()) {
                throw new IllegalArgumentException("StopPx(99) is required for OrdType " + ordType);
            }
            return new OrderRequest(clOrdId, symbol, s, type, tif, qty, price, stop);
        } catch (IllegalArgumentException e) {
            throw new Refused(FixProxy.REJ_OTHER, "[" + TradeError.INVALID_PARAMETER.errorNo() + "] " + e.getMessage());
        }
    }

    /**
     * A NewOrderSingle refused before it reaches the desk (the session's message rate): an ExecutionReport
     * Rejected, OrdRejReason 3 (exceeds limit), with {@code text}; no order is made. Any thread: it reads only
     * the message.
     */
    void refuseNewOrder(SessionID session, Message m, String account, String text) throws FieldNotFound {
        reject(session, m.getString(FixProxy.CL_ORD_ID), account, m.isSetField(FixProxy.SYMBOL)
                        ? m.getString(FixProxy.SYMBOL) : null, m.getChar(FixProxy.SIDE),
                m.isSetField(FixProxy.ORDER_QTY) ? m.getString(FixProxy.ORDER_QTY) : null,
                m.isSetField(FixProxy.ORD_TYPE) ? m.getChar(FixProxy.ORD_TYPE) : 0, FixProxy.REJ_EXCEEDS_LIMIT, text,
                null);
    }

    private void reject(SessionID session, String clOrdId, String account, String symbol, char side, String qty,
                        char ordType, int reason, String text, String traceId) {
        out.send(session, FixProxy.traced(FixProxy.noOrder(FixProxy.REJECTED, nextExecId(), clOrdId, account, symbol,
                side, qty, ordType, reason, text, clock.getAsLong()), traceId));
    }

    /** A server span of trade-api for one FIX request, owned by the account's developer (invalid without tracing). */
    private Span span(String name, String account, String clOrdId) {
        if (tracing == null) {
            return Span.getInvalid();
        }
        return tracing.tracer().spanBuilder(name).setSpanKind(SpanKind.SERVER)
                .setAttribute(TraceAttributes.DEVELOPER_ID, account)
                .setAttribute("fix.cl_ord_id", clOrdId).startSpan();
    }

    private static String traceId(Span span) {
        SpanContext c = span.getSpanContext();
        return c.isValid() ? c.getTraceId() : null;
    }

    /** The span's W3C traceparent (what REST passes to the desk), or null. */
    private static String traceParent(Span span) {
        SpanContext c = span.getSpanContext();
        return c.isValid() ? "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex() : null;
    }

    private String nextExecId() {
        return execPrefix + execIds.incrementAndGet();
    }

    /** "[error_no] message": the rule's number (REST's) and its message naming the figures. */
    private static String text(Outcome o) {
        int no = o.error() != null ? o.error().errorNo() : o.exchangeCode();
        return "[" + no + "] " + o.message();
    }

    /** trade-api's refusals as OrdRejReason(103): the one place they are mapped to FIX. */
    static int ordRejReason(TradeError e) {
        if (e == null) {
            return FixProxy.REJ_OTHER;
        }
        return switch (e) {
            case UNKNOWN_SYMBOL -> FixProxy.REJ_UNKNOWN_SYMBOL;
            case INSUFFICIENT_BUYING_POWER, INSUFFICIENT_POSITION, QTY_TOO_LARGE, NOTIONAL_TOO_LARGE,
                 TOO_MANY_OPEN_ORDERS, ORDER_RATE_EXCEEDED -> FixProxy.REJ_EXCEEDS_LIMIT;
            case QTY_NOT_BOARD_LOT -> FixProxy.REJ_INCORRECT_QTY;
            case CLIENT_ORDER_ID_CONFLICT -> FixProxy.REJ_DUPLICATE;
            case INVALID_ORDER -> FixProxy.REJ_UNSUPPORTED;
            case KILL_SWITCH_ACTIVE, NOT_READY -> FixProxy.REJ_BROKER_OPTION;
            default -> FixProxy.REJ_OTHER;
        };
    }

    /** A request refused before it reached the desk. */
    private static final class Refused extends RuntimeException {
        final int reason;

        Refused(int reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /** Accounts with FIX state (tests). */
    List<String> accounts() {
        return new ArrayList<>(accounts.keySet());
    }
}
