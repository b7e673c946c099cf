package org.opentrade.trade.domain.desk;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.OrderStatus;
import org.opentrade.trade.domain.TradeError;
import org.opentrade.trade.domain.intent.AccountOpened;
import org.opentrade.trade.domain.intent.AccountReset;
import org.opentrade.trade.domain.intent.CancelRequested;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.domain.intent.KillSwitch;
import org.opentrade.trade.domain.intent.NewOrder;
import org.opentrade.trade.domain.intent.ReplaceRequested;
import org.opentrade.trade.domain.intent.SendRejected;
import org.opentrade.trade.domain.intent.StreamSeqAdvanced;
import org.opentrade.trade.domain.ledger.Ledger;
import org.opentrade.trade.domain.ledger.LedgerOptions;
import org.opentrade.trade.domain.ledger.Update;
import org.opentrade.trade.domain.risk.AccountState;
import org.opentrade.trade.domain.risk.InstrumentRules;
import org.opentrade.trade.domain.risk.Refusal;
import org.opentrade.trade.domain.risk.RiskChecks;
import org.opentrade.trade.port.ExchangePort;
import org.opentrade.trade.port.IntentStore;

/**
 * The order path of trade-api: idempotency, pre-trade risk, the durable intent, the exchange
 * command, and the answer; plus the feed side (events into the {@link Ledger}) and replay at start.
 *
 * <p><b>Order of work for a new order.</b> (1) A retry is recognised by its client order id (or
 * {@code Idempotency-Key}) and answered with the original order; a concurrent duplicate waits for the
 * same answer. (2) The risk checks. (3) The {@link NewOrder} intent is appended and, at once, applied
 * to the ledger (pending_new, buying power reserved), so the next order's checks see it. (4) Only
 * once the intent is durable does the command go to the exchange: an order the exchange may know is
 * always in the log. (5) The exchange's answer is the acknowledgement; the feed then makes the
 * ledger exact. A crash before (4) loses the order from memory and log alike; after it, the replay
 * finds it.
 *
 * <p><b>Replay.</b> {@link #replay} applies intents after a snapshot in log order, each between the
 * same two feed events as it was live: new orders, account resets, the exchange's rejections and stream
 * seqs record the feed positions they were applied at and wait for the feed to reach them (intents behind
 * a waiting one wait too); the others commute with the feed. Exact with one shard (the default); with
 * several, an intent is applied at the first event past its position on any shard.
 *
 * <p>Single-threaded: every method runs on trade-api's one event-loop context; the intent store's
 * durable callbacks are brought back to it through {@code onContext}; exchange answers arrive on it.
 */
public final class TradeDesk {
    /** Receives every account-visible change (for the order stream), on the context, in seq order. */
    public interface UpdateListener {
        /** @param traceParent the trace of the command that caused it (W3C traceparent), or null */
        void update(Update update, String traceParent);
    }

    private final Ledger ledger;
    private final RiskChecks risk;
    private final IntentStore intents;
    private final ExchangePort exchange;
    private final Executor onContext;
    private final LongSupplier clock;
    private final Map<String, InstrumentInfo> universe;
    private final MarketTracker market;
    private final TreeSet<String> killed = new TreeSet<>();
    /** What replaces not yet in the ledger ask beyond their orders' reservations (cash, shares). */
    private final ReplaceHolds replaceHolds = new ReplaceHolds();
    /** (account, client order id) → the answer of a placement still in flight. */
    private final Map<String, CompletableFuture<Outcome>> inFlight = new HashMap<>();
    /** (account, client order id) → hash of the order as first asked (a replace changes the order, not this). */
    private final Map<String, Long> requestHashes = new HashMap<>();
    /** (account, Idempotency-Key) → client order id of the order it created. */
    private final Map<String, String> idempotencyKeys = new HashMap<>();
    /** (account, client order id) → the Idempotency-Key that created it: {@link #idempotencyKeys} inverted. */
    private final Map<String, String> idempotencyKeyOfOrder = new HashMap<>();
    /** Replayed intents waiting for the feed: one not yet due (a reset or new order), and every intent after it. */
    private final Deque<Intent> pendingIntents = new ArrayDeque<>();
    /**
     * Events of a shard that is past the first pending intent's position while another shard has not reached it yet:
     * they came after the intent live, and the other shard's events before it, so they wait (a restart catches up
     * each shard on its own; applying the intent at the first shard past it put a reset before fills it followed).
     */
    private final Map<Integer, Deque<ExchangeEvent>> heldEvents = new TreeMap<>();
    /** Events in {@link #heldEvents}, all shards. */
    private int heldCount;
    private UpdateListener listener = (u, t) -> {
    };
    private long lastIntentApplied;
    private int intentsNotDurable;
    private long generatedIds;
    /** Answers whose intent is appended and not yet durable, with that intent: settled as unknown if the store fails. */
    private final Map<CompletableFuture<Outcome>, Intent> awaitingDurable = new java.util.LinkedHashMap<>();
    /**
     * New orders (exchange ids) whose intent was not durable when the store failed: the ledger has them, but whether the
     * log kept them is unknown until a restart reads it, so a retry that finds one is answered unknown, never 200.
     * At most the intents in flight at the failure; nothing is appended after it.
     */
    private final java.util.Set<Long> unrecorded = new java.util.HashSet<>();
    /** Why the intent store stopped (it never restarts: trade-api needs a restart), or null. Volatile: /ready reads it. */
    private volatile Throwable storeFailure;
    /** Snapshots waiting for their intents to be durable, by the last intent they cover. */
    private final TreeMap<Long, List<CompletableFuture<Void>>> durableWaiters = new TreeMap<>();
    /** Closes waiting for the ledger to have their cancels' events; at most one per close request in flight. */
    private final LedgerWaits ledgerWaits = new LedgerWaits();
    /**
     * New orders still pending_new (sent, no answer) whose cancel or replace was asked meanwhile, by exchange id: such an order is
     * never sent again (a barrier proving the exchange never had it made {@link #settleUnknown} send it, and a restart
     * {@link #resendPending}: a canceled order went live and could fill). Kept in snapshots; an id goes once its
     * order is no longer pending_new.
     */
    private final TreeMap<Long, String> cancelAsked = new TreeMap<>(); // exchange id -> account
    /** How long a close with {@code cancel_orders} waits for the feed to bring its cancels. */
    static final long CANCEL_WAIT_MS = 5_000;

    /** New orders whose command got no answer (its fate unknown), by exchange order id, oldest first. */
    private final Map<Long, Unsettled> unsettled = new java.util.LinkedHashMap<>();
    /** Orders sent again after a barrier showed the exchange never got them. Volatile: /metrics reads it. */
    private volatile long resent;

    /**
     * A pending_new order whose command was not answered: {@code since} when that was known; then a
     * barrier asked on its shard ({@code probing}); then the feed position to wait for ({@code shard},
     * {@code barrierSeq} ≥ 0).
     */
    private static final class Unsettled {
        final NewOrder intent;
        long since;
        boolean probing;
        int shard;
        long barrierSeq = -1;

        Unsettled(NewOrder intent, long since) {
            this.intent = intent;
            this.since = since;
        }
    }

    public TradeDesk(Ledger ledger, RiskChecks risk, IntentStore intents, ExchangePort exchange, Executor onContext,
                     LongSupplier clock, Map<String, InstrumentInfo> universe, MarketTracker market) {
        this.ledger = ledger;
        this.risk = risk;
        this.intents = intents;
        this.exchange = exchange;
        this.onContext = onContext;
        this.clock = clock;
        this.universe = Map.copyOf(universe);
        this.market = market;
        intents.onFailure(err -> onContext.execute(() -> storeFailed(err)));
        ledger.onDropped(this::forgetOrder);
    }

    /**
     * The ledger dropped an order from the history: what this desk kept for it goes too, so both stay bounded by
     * the history (its client order id may be used again, and its Idempotency-Key too).
     */
    private void forgetOrder(String account, String clientOrderId) {
        String order = account + "\u0000" + clientOrderId;
        requestHashes.remove(order);
        String key = idempotencyKeyOfOrder.remove(order);
        if (key != null) {
            idempotencyKeys.remove(account + "\u0000" + key, clientOrderId);
        }
    }

    /**
     * Why the intent store stopped, or null while it works. Once set, every mutation is answered
     * {@link Outcome.Kind#BUSY} and requests whose intent was not yet durable {@link Outcome.Kind#UNKNOWN};
     * the store does not come back by itself: trade-api needs a restart (which re-reads the log).
     */
    public Throwable storeFailure() {
        return storeFailure;
    }

    /** Sets the one listener (replacing any, including those {@link #addListener added}). */
    public void setListener(UpdateListener listener) {
        this.listener = listener;
    }

    /**
     * Adds a listener after the present one(s): each update goes to every listener in the order they
     * were set/added (the order stream and the FIX acceptor both listen).
     */
    public void addListener(UpdateListener more) {
        UpdateListener first = listener;
        this.listener = (u, traceParent) -> {
            first.update(u, traceParent);
            more.update(u, traceParent);
        };
    }

    public Ledger ledger() {
        return ledger;
    }

    public MarketTracker market() {
        return market;
    }

    public boolean knows(String symbol) {
        return universe.containsKey(symbol);
    }

    public boolean killSwitch(String account) {
        return killed.contains(account);
    }

    /** The index of the last intent applied to the state (what a snapshot covers). */
    public long lastIntentApplied() {
        return lastIntentApplied;
    }

    /** Whether every appended intent is durable (a clean stop takes its snapshot only then). */
    public boolean quiescent() {
        return intentsNotDurable == 0;
    }

    /**
     * The index of the last intent appended, durable or not: a snapshot of the state taken now covers the
     * intents up to it (each is applied when appended), and may be stored once {@link #durableThrough} it.
     */
    public long lastIntentAppended() {
        return Math.max(lastIntentApplied, intents.lastIndex());
    }

    /**
     * Completes on the context once every intent up to {@code index} is durable (at once if they are), or
     * fails if the store fails first. The store loses only a suffix of what was not yet durable, so a snapshot
     * stored after this never covers an intent a crash could lose.
     */
    public CompletionStage<Void> durableThrough(long index) {
        if (storeFailure != null) {
            return CompletableFuture.failedFuture(storeFailure);
        }
        if (lastIntentApplied >= index) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        durableWaiters.computeIfAbsent(index, i -> new ArrayList<>()).add(f);
        return f;
    }

    // ------------------------------------------------------------------ new orders

    /**
     * Places a new order for {@code account}. Never fails exceptionally: every end is an
     * {@link Outcome}.
     */
    public CompletionStage<Outcome> place(String account, OrderRequest req, String idempotencyKey, String traceParent) {
        return place(account, req, idempotencyKey, false, traceParent);
    }

    /**
     * As {@link #place(String, OrderRequest, String, String)}; {@code clientOrderIdGiven} when the caller named the
     * order's {@code client_order_id} (else it was generated for this request): under an Idempotency-Key used for
     * another client order id, that is another request (409 -4115), never the earlier order answered as if it
     * were this one.
     */
    public CompletionStage<Outcome> place(String account, OrderRequest req, String idempotencyKey,
                                          boolean clientOrderIdGiven, String traceParent) {
        long hash = requestHash(req);
        if (idempotencyKey != null) {
            String earlier = idempotencyKeys.get(account + "\u0000" + idempotencyKey);
            if (earlier != null && !earlier.equals(req.clientOrderId()) && clientOrderIdGiven) {
                return done(Outcome.refused(TradeError.IDEMPOTENCY_KEY_CONFLICT, "Idempotency-Key was used for"
                        + " another order (client_order_id '" + earlier + "'); use a new key for a new order"));
            }
            if (earlier != null && !earlier.equals(req.clientOrderId())) {
                Order o = ledger.hasAccount(account) ? ledger.orderByClientId(account, earlier) : null;
                // Compared with what was first asked, as a client_order_id's retry is: the order may have been
                // replaced since, and a retry of the original request is still that request.
                Long asked = requestHashes.get(account + "\u0000" + earlier);
                if (o != null && (asked != null ? asked : requestHash(o)) == hash) {
                    // Still being placed (its intent not yet durable, or the exchange not yet answered): the retry
                    // waits for the first answer, as a client_order_id's retry does. Answered at once, it acknowledged
                    // an order a crash in the next instant lost from memory and log alike.
                    CompletableFuture<Outcome> first = inFlight.get(account + "\u0000" + earlier);
                    if (first != null) {
                        return first.thenApply(f -> f.kind() == Outcome.Kind.CREATED
                                ? new Outcome(Outcome.Kind.EXISTING, f.order(), null, 0, "the Idempotency-Key's earlier order")
                                : f);
                    }
                    return done(retryOf(o, "the Idempotency-Key's earlier order"));
                }
                return done(Outcome.refused(TradeError.IDEMPOTENCY_KEY_CONFLICT,
                        "Idempotency-Key was used for another request; use a new key for a new order"));
            }
        }
        Order existing = ledger.hasAccount(account) ? ledger.orderByClientId(account, req.clientOrderId()) : null;
        String flightKey = account + "\u0000" + req.clientOrderId();
        CompletableFuture<Outcome> flying = inFlight.get(flightKey);
        if (existing != null) {
            Long asked = requestHashes.get(flightKey);
            if ((asked != null ? asked : requestHash(existing)) != hash) {
                return done(Outcome.refused(TradeError.CLIENT_ORDER_ID_CONFLICT, "client_order_id '"
                        + req.clientOrderId() + "' was used for a different order (" + existing.orderId() + ")", existing));
            }
            if (flying != null) {
                return flying.thenApply(o -> o.kind() == Outcome.Kind.CREATED
                        ? new Outcome(Outcome.Kind.EXISTING, o.order(), null, 0, o.message()) : o);
            }
            return done(retryOf(existing, "a retry of an earlier order"));
        }
        InstrumentInfo info = universe.get(req.symbol());
        if (info == null) {
            return done(Outcome.refused(TradeError.UNKNOWN_SYMBOL, "unknown symbol '" + req.symbol()
                    + "'; GET /v1/market/instruments lists them"));
        }
        long now = clock.getAsLong();
        InstrumentRules rules = rules(info, now);
        Refusal refusal = risk.check(req, state(account, now), rules, now);
        if (refusal != null) {
            return done(Outcome.refused(refusal.error(), refusal.message()));
        }
        long reservePrice = req.side() == Side.BUY && !req.type().hasLimitPrice() ? risk.valuationPrice(req, rules) : 0;
        if (!ledger.hasAccount(account) && !append(AccountOpened.of(account, ledger.options().defaultStartingCash(), now),
                null, i -> { })) {
            return done(busy());
        }
        long exchangeId;
        try {
            exchangeId = storeFailure == null ? intents.nextExchangeId() : 0;
        } catch (IllegalStateException failed) { // the store failed (or cannot reserve ids): no order made
            storeFailed(failed);
            exchangeId = 0;
        }
        if (exchangeId == 0) {
            return done(busy());
        }
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        NewOrder intent = NewOrder.at(account, exchangeId, req, idempotencyKey, hash, now, reservePrice, positions());
        boolean accepted = append(intent, answer, index -> send(intent, traceParent, answer));
        if (!accepted) {
            return done(busy());
        }
        inFlight.put(flightKey, answer);
        answer.whenComplete((o, e) -> inFlight.remove(flightKey));
        return answer;
    }

    private void send(NewOrder intent, String traceParent, CompletableFuture<Outcome> answer) {
        send(intent, traceParent, answer, false);
    }

    /**
     * A retry's answer with the order it found (no longer in flight): the order, unless the intent store failed before
     * the order's intent was durable. Then the log may not have it (a restart would not know it), so the retry is
     * answered unknown as the first request was: answered 200, it acknowledged an order a restart could lose.
     */
    private Outcome retryOf(Order o, String message) {
        if (unrecorded.contains(o.exchangeId())) {
            return new Outcome(Outcome.Kind.UNKNOWN, o, TradeError.STATUS_UNKNOWN, 0, "trade-api's intent store failed"
                    + " before this order was recorded durably; its outcome is unknown: look the order up by"
                    + " client_order_id once trade-api is back");
        }
        return new Outcome(Outcome.Kind.EXISTING, o, null, 0, message);
    }

    /**
     * Sends the order's command; {@code again}: it was sent before (at a start, or after a barrier), so
     * a refusal as a known order id means the exchange has it: the feed tells, the ledger is not touched.
     */
    private void send(NewOrder intent, String traceParent, CompletableFuture<Outcome> answer, boolean again) {
        OrderRequest r = intent.request();
        Command c = Command.newOrder(intent.exchangeId(), intent.account(), r.symbol(), r.side(), r.type(),
                r.type() == OrderType.MARKET && r.timeInForce() != TimeInForce.FOK ? TimeInForce.IOC : r.timeInForce(),
                orNone(r.price()),
                orNone(r.stopPrice()), r.qty(), intent.time()).withTraceParent(traceParent);
        String orderId = Long.toString(intent.exchangeId());
        exchange.submit(c).whenComplete((result, err) -> {
            Order o = ledger.order(intent.account(), orderId);
            if (err != null) {
                if (o != null && o.status() == OrderStatus.PENDING_NEW) {
                    unsettled.putIfAbsent(intent.exchangeId(), new Unsettled(intent, clock.getAsLong()));
                }
                answer.complete(unknown(o, err));
                return;
            }
            unsettled.remove(intent.exchangeId());
            if (again && result.code() == ResultCode.DUPLICATE_ORDER_ID) {
                answer.complete(new Outcome(Outcome.Kind.EXISTING, o, null, 0, "the exchange has the order"));
            } else if (result.isRejected()) {
                if (o != null && o.status() == OrderStatus.PENDING_NEW) {
                    // The ledger has the rejection at once (a replay applies it at the same place); its caller, the
                    // order stream and FIX are told only once it is durable: told before, a crash in between left the
                    // order pending_new in the log, and the restart sent again an order its caller was told was
                    // rejected. If the store fails first, the answer is unknown and the account's updates stay held
                    // (the store cannot record anything more: a restart re-reads the log and reconciles the stream).
                    SendRejected rejected = SendRejected.at(intent.account(), intent.exchangeId(), result.code().code(),
                            result.code().message(), clock.getAsLong(), positions());
                    Gate gate = holdUpdates(intent.account());
                    if (append(rejected, answer, i -> {
                        releaseUpdates(intent.account(), gate);
                        answer.complete(new Outcome(Outcome.Kind.REJECTED, ledger.order(intent.account(), orderId),
                                null, result.code().code(), result.code().message()));
                    })) {
                        return;
                    }
                    apply(rejected); // the store is full or failed: unlogged, so a rebuild would send it again
                    if (storeFailure == null) {
                        releaseUpdates(intent.account(), gate); // a full log: the stream goes on (a restart reconciles)
                    } else {
                        unrecorded.add(intent.exchangeId()); // a retry is answered unknown, as this request is
                    }
                    answer.complete(new Outcome(Outcome.Kind.UNKNOWN, ledger.order(intent.account(), orderId),
                            TradeError.STATUS_UNKNOWN, 0, "the exchange refused the order ([" + result.code().code()
                            + "] " + result.code().message() + ") but trade-api could not record that refusal, so a"
                            + " restart may send the order again; its outcome is unknown: look the order up by"
                            + " client_order_id"));
                    return;
                }
                answer.complete(new Outcome(Outcome.Kind.REJECTED, ledger.order(intent.account(), orderId), null,
                        result.code().code(), result.code().message()));
            } else {
                answer.complete(new Outcome(Outcome.Kind.CREATED, overlay(o, result), null, 0, "accepted"));
            }
        });
    }

    // ------------------------------------------------------------------ cancel, replace, cancel-all

    public CompletionStage<Outcome> cancel(String account, String orderId, String traceParent) {
        Order o = ledger.hasAccount(account) ? ledger.order(account, orderId) : null;
        if (o == null) {
            return done(Outcome.refused(TradeError.UNKNOWN_ORDER, "no order " + orderId + " in your account"));
        }
        if (!o.status().isOpen()) {
            return done(Outcome.refused(TradeError.ORDER_NOT_OPEN, "order " + orderId + " is " + o.status().wireName()
                    + " and can no longer be canceled", o));
        }
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        long now = clock.getAsLong();
        boolean accepted = append(CancelRequested.of(account, o.exchangeId(), now), answer, index -> exchange.submit(
                Command.cancel(o.exchangeId(), o.symbol(), now).withTraceParent(traceParent)).whenComplete((r, err) ->
                answer.complete(commandOutcome(account, orderId, r, err))));
        return accepted ? answer : done(busy());
    }

    public CompletionStage<Outcome> replace(String account, String orderId, long newQty, long newPrice,
                                            String traceParent) {
        Order o = ledger.hasAccount(account) ? ledger.order(account, orderId) : null;
        if (o == null) {
            return done(Outcome.refused(TradeError.UNKNOWN_ORDER, "no order " + orderId + " in your account"));
        }
        long now = clock.getAsLong();
        // A field left out keeps the order's value, as the latest replace still pending asked it: the ledger has the
        // order before that replace, and filling from it sent the older value back (two PATCHes at once, one of the
        // price and one of the quantity, each answered 200: the second undid the first).
        long[] pending = replaceHolds.pendingTarget(o.exchangeId(), now);
        long qty = newQty > 0 ? newQty : pending != null ? pending[0] : o.qty();
        long price = newPrice > 0 ? newPrice : pending != null ? pending[1] : o.price();
        InstrumentInfo info = universe.get(o.symbol());
        // The account's own figures: they already leave out what the order holds, which the check adds back once.
        // Against what the ledger will hold once replaced: the fees the order's fills paid count (the minimum once).
        Refusal refusal = risk.checkReplace(o, qty, price, state(account, now), ledger.reservationOf(account, orderId),
                () -> ledger.reservationAfterReplace(account, orderId, price, qty), rules(info, now), now);
        if (refusal != null) {
            return done(Outcome.refused(refusal.error(), refusal.message(), o));
        }
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        boolean accepted = append(ReplaceRequested.of(account, o.exchangeId(), qty, price, now), answer, index ->
                exchange.submit(Command.replace(o.exchangeId(), o.symbol(), price, qty, now).withTraceParent(traceParent))
                        .whenComplete((r, err) -> {
                            if (err == null && r.isRejected()) {
                                replaceHolds.answered(o.exchangeId()); // an accepted one is answered by its event
                            }
                            answer.complete(commandOutcome(account, orderId, r, err));
                        }));
        if (!accepted) {
            return done(busy());
        }
        // Held from now until the ledger has the exchange's answer, so requests checked meanwhile see it spent.
        boolean buy = o.side() == Side.BUY;
        long extra = buy ? ledger.reservationAfterReplace(account, orderId, price, qty) - ledger.reservationOf(account, orderId)
                : qty - o.filledQty() - o.leavesQty();
        replaceHolds.hold(o.exchangeId(), account, o.symbol(), buy, Math.max(0, extra), qty, price, now);
        return answer;
    }

    /** Whether {@code idempotencyKey} made a new order of the account (kept as long as the order is). */
    public boolean placedUnder(String account, String idempotencyKey) {
        return idempotencyKeys.containsKey(account + "\u0000" + idempotencyKey);
    }

    /** Cancels those of {@code orders} still open: one outcome each. */
    private CompletionStage<List<Outcome>> cancelEach(String account, List<Order> orders, String traceParent) {
        List<CompletableFuture<Outcome>> all = new ArrayList<>();
        for (Order o : orders) {
            Order now = ledger.order(account, o.orderId());
            if (now != null && now.status().isOpen()) {
                all.add(cancel(account, o.orderId(), traceParent).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Outcome> out = new ArrayList<>();
            all.forEach(f -> out.add(f.join()));
            return out;
        });
    }

    /** Cancels every open order of the account (of one symbol, or all when null): one outcome per order. */
    public CompletionStage<List<Outcome>> cancelAll(String account, String symbol, String traceParent) {
        return cancelAll(account, symbol, null, traceParent);
    }

    /** As {@link #cancelAll(String, String, String)}, of one side only unless {@code side} is null. */
    public CompletionStage<List<Outcome>> cancelAll(String account, String symbol, Side side, String traceParent) {
        return cancelEach(account, openOrders(account, symbol, side), traceParent);
    }

    private Outcome commandOutcome(String account, String orderId, CommandResult r, Throwable err) {
        Order o = ledger.order(account, orderId);
        if (err != null) {
            return unknown(o, err);
        }
        if (r.isRejected()) {
            boolean unknown = r.code() == ResultCode.UNKNOWN_ORDER;
            return new Outcome(Outcome.Kind.REJECTED, o, unknown ? TradeError.ORDER_NOT_OPEN : null, r.code().code(),
                    !unknown ? r.code().message() : o != null && o.status() == OrderStatus.PENDING_NEW
                    ? "the exchange does not have the order live and its new-order command got no answer: if the"
                    + " exchange never got it, it is withdrawn and never sent; if it did, the order has already ended"
                    + " (the feed will tell). Look it up, and place it again if it is still wanted"
                    : "the order is no longer open at the exchange (filled, canceled or expired)");
        }
        return new Outcome(Outcome.Kind.DONE, overlay(o, r), null, 0, "done");
    }

    /** The account's open orders, of one symbol and one side unless null. */
    public List<Order> openOrders(String account, String symbol, Side side) {
        if (!ledger.hasAccount(account)) {
            return List.of();
        }
        List<Order> open = ledger.openOrders(account, symbol);
        return side == null ? open : open.stream().filter(o -> o.side() == side).toList();
    }

    // ------------------------------------------------------------------ closing positions

    /** What one close of {@link #closeAll} did. */
    public record Closed(String symbol, Outcome outcome) {
    }

    /**
     * How much of a position a close sells: {@code qty} shares, or {@code percent} (in hundredths of a percent,
     * 1..10 000) of the position rounded down to whole board lots, or (both 0) everything sellable; with
     * {@code cancelOrders} the orders that stand in the way are canceled first (for one symbol its open sells, which
     * hold shares; for every position all open orders, as Alpaca's {@code cancel_orders=true}).
     */
    public record CloseRequest(long qty, int percent, boolean cancelOrders) {
        public static final CloseRequest ALL = new CloseRequest(0, 0, false);

        public CloseRequest {
            if (qty < 0 || percent < 0 || percent > 10_000 || qty > 0 && percent > 0) {
                throw new IllegalArgumentException("a close of " + qty + " shares and " + percent + " hundredths of %");
            }
        }
    }

    /**
     * Closes the account's position in {@code symbol} (Alpaca's {@code DELETE /v2/positions/{symbol}}): a market
     * sell, immediate or cancel, of its sellable shares, or of the part {@code close} asks. Shares bought today
     * under T+1, and shares open sell orders hold, are not sellable; those orders keep working unless {@code close}
     * cancels them first. Under an Idempotency-Key the sell's client order id is derived from the key and the symbol
     * ({@link #closeOrderId}), so a retry, after a restart too, answers the order the first call placed and never
     * sells twice (nor cancels again).
     */
    public CompletionStage<Outcome> closePosition(String account, String symbol, CloseRequest close, String idempotencyKey,
                                                  String traceParent) {
        String clientOrderId = idempotencyKey == null ? generateClientOrderId() : null;
        // A sell the exchange rejected (busy, outside trading hours) sold nothing: a retry under the key sells again,
        // under the key's next derived id, as a failed request's retry runs again everywhere else.
        for (int attempt = 0; clientOrderId == null; attempt++) {
            String id = closeOrderId(idempotencyKey, symbol, close, attempt);
            Order earlier = ledger.hasAccount(account) ? ledger.orderByClientId(account, id) : null;
            if (earlier == null) {
                clientOrderId = id;
            } else if (earlier.status() != OrderStatus.REJECTED) {
                return done(retryOf(earlier, "the Idempotency-Key's earlier close"));
            } else if (attempt + 1 == MAX_CLOSE_ATTEMPTS) {
                return done(new Outcome(Outcome.Kind.REJECTED, earlier, null, earlier.rejectCode(), "the exchange rejected"
                        + " the " + MAX_CLOSE_ATTEMPTS + " sells of this Idempotency-Key's close, the last: "
                        + earlier.rejectReason() + "; close with another key"));
            }
        }
        if (!holds(account, symbol)) {
            return done(Outcome.refused(TradeError.NO_POSITION, "no position in '" + symbol + "' to close"));
        }
        String sellId = clientOrderId;
        if (close.cancelOrders() && !openOrders(account, symbol, Side.SELL).isEmpty()) {
            return cancelledThen(account, cancelAll(account, symbol, Side.SELL, traceParent),
                    () -> sellToClose(account, symbol, close, sellId, traceParent));
        }
        return sellToClose(account, symbol, close, sellId, traceParent);
    }

    private boolean holds(String account, String symbol) {
        var position = ledger.hasAccount(account) ? ledger.position(account, symbol, s -> 0, clock.getAsLong()) : null;
        return position != null && position.qty() > 0;
    }

    private CompletionStage<Outcome> sellToClose(String account, String symbol, CloseRequest close, String clientOrderId,
                                                 String traceParent) {
        long now = clock.getAsLong();
        var position = ledger.hasAccount(account) ? ledger.position(account, symbol, s -> 0, now) : null;
        if (position == null || position.qty() <= 0) {
            return done(Outcome.refused(TradeError.NO_POSITION, "no position in '" + symbol + "' to close"));
        }
        long sellable = state(account, now).sellable(symbol);
        long qty = close.qty();
        if (close.percent() > 0 && close.percent() < 10_000) {
            InstrumentInfo info = universe.get(symbol);
            long lot = info == null ? 1 : Math.max(1, info.boardLot());
            long part = position.qty() / 10_000 * close.percent() + position.qty() % 10_000 * close.percent() / 10_000;
            qty = part / lot * lot;
            if (qty <= 0) {
                return done(Outcome.refused(TradeError.QTY_NOT_BOARD_LOT, percent(close.percent()) + " of the "
                        + position.qty() + " shares of " + symbol + " is " + part + ", less than a board lot of " + lot));
            }
        }
        if (sellable <= 0 || qty > sellable) {
            return done(Outcome.refused(TradeError.INSUFFICIENT_POSITION, (qty > 0 ? qty + " of " : "") + "the "
                    + position.qty() + " shares of " + symbol + " cannot be sold now: " + sellable + " are sellable"
                    + " (shares bought today under T+1, and those open sell orders hold, are not; cancel_orders=true"
                    + " cancels those orders first)"));
        }
        return place(account, new OrderRequest(clientOrderId, symbol, Side.SELL, OrderType.MARKET, TimeInForce.IOC,
                qty > 0 ? qty : sellable, 0, 0), null, false, traceParent);
    }

    private static String percent(int hundredths) {
        return java.math.BigDecimal.valueOf(hundredths, 2).stripTrailingZeros().toPlainString() + " %";
    }

    /** Closes every position of the account ({@link #closePosition} of each, by symbol): one result per position. */
    public CompletionStage<List<Closed>> closeAll(String account, boolean cancelOrders, String idempotencyKey,
                                                  String traceParent) {
        if (!ledger.hasAccount(account)) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (cancelOrders && !openOrders(account, null, null).isEmpty()) {
            // Every open order goes first, buys too (Alpaca's cancel_orders=true).
            return cancelledThen(account, cancelAll(account, null, null, traceParent),
                    () -> closeEach(account, idempotencyKey, traceParent));
        }
        return closeEach(account, idempotencyKey, traceParent);
    }

    private CompletionStage<List<Closed>> closeEach(String account, String idempotencyKey, String traceParent) {
        TreeMap<String, CompletableFuture<Outcome>> closes = new TreeMap<>();
        for (var p : ledger.positions(account, s -> 0, clock.getAsLong())) {
            if (p.qty() > 0) {
                closes.put(p.symbol(), closePosition(account, p.symbol(), CloseRequest.ALL, idempotencyKey, traceParent)
                        .toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(closes.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Closed> out = new ArrayList<>(closes.size());
            closes.forEach((symbol, f) -> out.add(new Closed(symbol, f.join())));
            return out;
        });
    }

    /**
     * Runs {@code then} once the cancels are answered and the ledger has every canceled order closed: the exchange
     * answers a cancel before the feed brings its CANCELED event, and only that event gives the shares (or the cash)
     * back. An order the exchange could not cancel, or whose event does not come within {@link #CANCEL_WAIT_MS}, does
     * not hold the close up longer: it then sells what is sellable by then.
     */
    private <T> CompletionStage<T> cancelledThen(String account, CompletionStage<List<Outcome>> cancels,
                                                 java.util.function.Supplier<CompletionStage<T>> then) {
        return cancels.thenCompose(outcomes -> {
            List<String> orderIds = new ArrayList<>();
            for (Outcome o : outcomes) {
                if (o.kind() == Outcome.Kind.DONE && o.order() != null) {
                    orderIds.add(o.order().orderId());
                }
            }
            CompletableFuture<Void> closed = ledgerWaits.add(() -> orderIds.stream().noneMatch(id -> {
                Order o = ledger.order(account, id);
                return o != null && o.status().isOpen();
            }), clock.getAsLong() + CANCEL_WAIT_MS);
            ledgerWaits.check(clock.getAsLong());
            return closed.thenCompose(v -> then.get());
        });
    }

    /** Sells one close under one Idempotency-Key may place, each after the exchange rejected the one before. */
    static final int MAX_CLOSE_ATTEMPTS = 10;
    /** {@link #heldEvents} bound: a shard that never catches up (its exchange gone) must not grow memory forever. */
    static final int MAX_HELD_EVENTS = 200_000;
    private static final System.Logger LOG = System.getLogger(TradeDesk.class.getName());

    /**
     * The client order id of the close {@code close} of {@code symbol} under {@code idempotencyKey}, its {@code
     * attempt}-th sell from 0: {@code close-} and 32 hex digits of their SHA-256, within the 48 characters client order ids may have.
     */
    static String closeOrderId(String idempotencyKey, String symbol, CloseRequest close, int attempt) {
        try {
            // The request's parameters too: the key sent again with another close (after an answer that was not
            // kept, a 504) must not be answered the first close's sell.
            String text = idempotencyKey + "\u0000" + symbol + "\u0000" + close.qty() + "/" + close.percent() + "/"
                    + close.cancelOrders() + (attempt == 0 ? "" : "\u0000" + attempt);
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "close-" + java.util.HexFormat.of().formatHex(d, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    // ------------------------------------------------------------------ account

    /** Resets the account to {@code balance} (hundredths) and cancels its open orders. */
    public CompletionStage<Outcome> reset(String account, long balance, String traceParent) {
        long now = clock.getAsLong();
        AccountReset intent = AccountReset.at(account, balance, now, positions());
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        // The orders open now: an order placed while the reset's record is written is the new account's, not one to
        // cancel (cancelling what was open once the record was durable canceled those too).
        List<Order> before = openOrders(account, null, null);
        boolean accepted = append(intent, answer, index -> cancelEach(account, before, traceParent).whenComplete((list, err) ->
                answer.complete(new Outcome(Outcome.Kind.DONE, null, null, 0, "reset"))));
        return accepted ? answer : done(busy());
    }

    /** Turns the account's kill switch on (refuses new orders, cancels open ones) or off. */
    public CompletionStage<Outcome> setKillSwitch(String account, boolean on, String by, String traceParent) {
        long now = clock.getAsLong();
        if (storeFailure != null) {
            return done(busy()); // as every request that changes an account, even one that would change nothing
        }
        if (killed.contains(account) == on) {
            // Already so: nothing to record (the route is never throttled, so a record per call let one account
            // fill the intent log every account shares). On still cancels what is open, as the first call did.
            // Answered once what set it is durable: the switch is applied when its intent is appended, and a retry
            // answered before that (the first request timed out on a slow store) confirmed a switch a crash then lost.
            CompletableFuture<Outcome> answer = new CompletableFuture<>();
            durableThrough(lastIntentAppended()).whenComplete((v, err) -> {
                if (err != null) {
                    answer.complete(new Outcome(Outcome.Kind.UNKNOWN, null, TradeError.STATUS_UNKNOWN, 0, "trade-api's"
                            + " intent store failed before the kill switch was recorded durably; whether it is "
                            + (on ? "on" : "off") + " is unknown until trade-api is back"));
                } else if (on) {
                    cancelAll(account, null, traceParent).whenComplete((list, e) ->
                            answer.complete(new Outcome(Outcome.Kind.DONE, null, null, 0, "kill switch on")));
                } else {
                    answer.complete(new Outcome(Outcome.Kind.DONE, null, null, 0, "kill switch off"));
                }
            });
            return answer;
        }
        if (!on && !"administrator".equals(by)) {
            // Lifting it lets the account trade again: it counts against the order rate, so switching on and off
            // in a loop is bounded by it. Switching on is never refused.
            Refusal refusal = risk.checkLiftKillSwitch(state(account, now), now);
            if (refusal != null) {
                return done(Outcome.refused(refusal.error(), refusal.message()));
            }
        }
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        List<Order> before = on ? openOrders(account, null, null) : List.of(); // as a reset: not what comes after an off
        boolean accepted = append(KillSwitch.of(account, on, by, now), answer, index -> {
            if (on) {
                cancelEach(account, before, traceParent).whenComplete((list, err) ->
                        answer.complete(new Outcome(Outcome.Kind.DONE, null, null, 0, "kill switch on")));
            } else {
                answer.complete(new Outcome(Outcome.Kind.DONE, null, null, 0, "kill switch off"));
            }
        });
        return accepted ? answer : done(busy());
    }

    // ------------------------------------------------------------------ updates held behind a rejection

    /** A point in an account's held updates: those after it wait until it is released (its record is durable). */
    private static final class Gate {
        boolean released;
    }

    private record HeldUpdate(Update update, String traceParent) {
    }

    /**
     * Accounts whose updates are held, each a queue of {@link Gate}s and {@link HeldUpdate}s in seq order: an update
     * behind a gate not yet released waits (the stream needs an account's seqs in order, so what follows a held
     * rejection waits with it). Empty queues go.
     */
    private final Map<String, Deque<Object>> heldUpdates = new HashMap<>();

    /** To the listener, or held behind the account's unreleased gates. */
    private void publish(Update u, String traceParent) {
        Deque<Object> held = heldUpdates.get(u.account());
        if (held != null) {
            held.add(new HeldUpdate(u, traceParent));
        } else {
            listener.update(u, traceParent);
        }
    }

    /** From now on the account's updates wait for the gate returned. */
    private Gate holdUpdates(String account) {
        Gate g = new Gate();
        heldUpdates.computeIfAbsent(account, a -> new ArrayDeque<>()).add(g);
        return g;
    }

    /** Releases {@code gate}: the account's updates up to the next unreleased gate go to the listener. */
    private void releaseUpdates(String account, Gate gate) {
        gate.released = true;
        Deque<Object> held = heldUpdates.get(account);
        while (held != null && !held.isEmpty()) {
            Object next = held.peekFirst();
            if (next instanceof Gate g && !g.released) {
                return;
            }
            held.pollFirst();
            if (next instanceof HeldUpdate h) {
                listener.update(h.update(), h.traceParent());
            }
        }
        heldUpdates.remove(account);
    }

    // ------------------------------------------------------------------ intents: append, apply, replay

    /**
     * Appends an intent and applies it to the state at once (the next request's checks see it);
     * {@code whenDurable} runs on the context once it is on disk. False when the store is full or has
     * failed (nothing recorded). {@code answer} (null: none) is settled as unknown if the store fails
     * before the intent is durable.
     */
    private boolean append(Intent intent, CompletableFuture<Outcome> answer, Consumer<Long> whenDurable) {
        if (storeFailure != null) {
            return false;
        }
        boolean ok;
        try {
            ok = intents.append(intent, index -> onContext.execute(() -> {
                intentsNotDurable--;
                lastIntentApplied = Math.max(lastIntentApplied, index);
                if (answer != null) {
                    awaitingDurable.remove(answer);
                }
                if (!unrecorded.isEmpty() && intent instanceof NewOrder n) {
                    unrecorded.remove(n.exchangeId()); // durable after all (the desk gave up on a store that went on)
                } else if (!unrecorded.isEmpty() && intent instanceof SendRejected r) {
                    unrecorded.remove(r.exchangeId());
                }
                whenDurable.accept(index);
                while (!durableWaiters.isEmpty() && durableWaiters.firstKey() <= lastIntentApplied) {
                    durableWaiters.pollFirstEntry().getValue().forEach(w -> w.complete(null));
                }
            }));
        } catch (IllegalStateException failed) { // the store stopped before its failure reached this context
            storeFailed(failed);
            return false;
        }
        if (ok) {
            intentsNotDurable++;
            if (answer != null) {
                awaitingDurable.put(answer, intent);
            }
            apply(intent);
        }
        return ok;
    }

    /**
     * The intent store stopped: intents not yet durable have an unknown fate (they may or may not have
     * been stored), so their requests are answered "unknown" with the order as far as known; the feed
     * and a restart settle them. Idempotent; on the context.
     */
    private void storeFailed(Throwable err) {
        if (storeFailure != null) {
            return;
        }
        storeFailure = err;
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        durableWaiters.values().forEach(waiting::addAll);
        durableWaiters.clear();
        waiting.forEach(w -> w.completeExceptionally(err));
        List<Map.Entry<CompletableFuture<Outcome>, Intent>> lost = new ArrayList<>(awaitingDurable.entrySet());
        awaitingDurable.clear();
        for (Map.Entry<CompletableFuture<Outcome>, Intent> e : lost) {
            Intent i = e.getValue();
            long exchangeId = i instanceof NewOrder n ? n.exchangeId() : i instanceof CancelRequested c ? c.exchangeId()
                    : i instanceof ReplaceRequested r ? r.exchangeId() : i instanceof SendRejected s ? s.exchangeId() : 0;
            Order o = exchangeId == 0 || !ledger.hasAccount(i.account()) ? null
                    : ledger.order(i.account(), Long.toString(exchangeId));
            if (i instanceof NewOrder || i instanceof SendRejected) { // a rejection the log may lack: a retry is unknown too
                unrecorded.add(exchangeId);
            }
            e.getKey().complete(new Outcome(Outcome.Kind.UNKNOWN, o, TradeError.STATUS_UNKNOWN, 0,
                    "trade-api's intent store failed before this request was recorded durably; its outcome is unknown:"
                    + " look the order up by client_order_id once trade-api is back"));
        }
    }

    /** Applies one intent to the state; {@code live} publishes the updates it makes. */
    /**
     * Applies one intent to the ledger; a new order's update goes to the listener like every other, so
     * the order stream stays gap-free also while replayed intents wait for the feed after a restart
     * (during the replay before the listener is set, the default listener drops them).
     */
    private void apply(Intent intent) {
        if (intent instanceof AccountOpened a) {
            ledger.openAccount(a.account(), a.startingCash(), a.time());
        } else if (intent instanceof AccountReset r) {
            ledger.resetAccount(r.account(), r.startingCash(), r.time());
            replaceHolds.dropAccount(r.account());
        } else if (intent instanceof NewOrder n) {
            if (!ledger.hasAccount(n.account())) {
                ledger.openAccount(n.account(), n.time());
            }
            // The log took this client order id while it was free. A closed order holding it now was dropped from the
            // history then, under a lower accounts.history_kept than this replay keeps: it goes now, as it went then
            // (the order was refused as a duplicate, and trade-api stopped applying its feed: it never started).
            ledger.dropClosed(n.account(), n.clientOrderId());
            Update u = ledger.recordNewOrder(n.account(), n.exchangeId(), n.request(), n.reservePrice(), n.time());
            requestHashes.put(n.account() + "\u0000" + n.clientOrderId(), n.requestHash());
            if (n.idempotencyKey() != null) {
                idempotencyKeys.put(n.account() + "\u0000" + n.idempotencyKey(), n.clientOrderId());
                idempotencyKeyOfOrder.put(n.account() + "\u0000" + n.clientOrderId(), n.idempotencyKey());
            }
            publish(u, null);
        } else if (intent instanceof KillSwitch k) {
            if (k.on()) {
                killed.add(k.account());
            } else {
                killed.remove(k.account());
            }
        } else if (intent instanceof StreamSeqAdvanced a) {
            ledger.setUpdateSeq(a.account(), a.seq());
        } else if (intent instanceof SendRejected r) {
            Update u = ledger.recordSendFailure(r.account(), Long.toString(r.exchangeId()), r.code(), r.reason(), r.time());
            if (u != null) {
                publish(u, null);
            }
        } else if (intent instanceof CancelRequested || intent instanceof ReplaceRequested) {
            // A replace too: one the exchange refuses as an unknown order is answered "no longer open", so the order
            // must not go live afterwards at its first parameters (it did, once a barrier proved it never arrived).
            long exchangeId = intent instanceof CancelRequested c ? c.exchangeId() : ((ReplaceRequested) intent).exchangeId();
            Order o = ledger.hasAccount(intent.account()) ? ledger.order(intent.account(), Long.toString(exchangeId)) : null;
            if (o != null && o.status() == OrderStatus.PENDING_NEW) {
                cancelAsked.put(exchangeId, intent.account());
            }
        }
        // Cancel and replace requests change nothing else until the exchange's events say so.
    }

    /**
     * Whether pending_new order {@code o} of {@code account} must not be sent (again): its cancel was asked, its
     * account's kill switch is on, or the account was reset after it was placed. Such an order is withdrawn instead:
     * rejected by a logged {@link SendRejected}, so a replay withdraws it too.
     */
    private boolean withdrawn(String account, Order o) {
        if (!cancelAsked.containsKey(o.exchangeId()) && !killed.contains(account)
                && !ledger.placedBeforeReset(account, o.orderId())) {
            return false;
        }
        SendRejected w = SendRejected.at(account, o.exchangeId(), ResultCode.UNKNOWN_ORDER.code(), "withdrawn before the"
                + " exchange had it: its cancel or replace, the kill switch or an account reset came first, so it was"
                + " not sent again", clock.getAsLong(), positions());
        if (!append(w, null, i -> { })) {
            apply(w);
        }
        cancelAsked.remove(o.exchangeId());
        return true;
    }

    /**
     * At start, after the snapshot: one intent of the log, in index order. Resets wait for the feed
     * position they recorded.
     */
    public void replay(Intent intent) {
        lastIntentApplied = intent.index();
        Map<Integer, Long> at = intent.feedPositions();
        if (!pendingIntents.isEmpty() || !at.isEmpty() && !reached(at)) {
            pendingIntents.add(intent); // keeps the log's order behind a reset that waits for its position
            return;
        }
        apply(intent);
    }

    private boolean reached(Map<Integer, Long> positions) {
        for (Map.Entry<Integer, Long> e : positions.entrySet()) {
            if (ledger.feedPosition(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * After a restart's replay: the account's order-stream seq follows on from {@code seq}, what the stream
     * sent (it may have sent frames the replay cannot make again). Logged, so a later replay numbers the
     * account's next updates the same; set in memory alone when the intent store cannot take it (the store
     * has failed or is full: trade-api stops taking requests then, and a restart reconciles again).
     */
    public void followStreamSeq(String account, long seq) {
        if (!ledger.hasAccount(account) || ledger.lastUpdateSeq(account) == seq) {
            return;
        }
        if (!append(StreamSeqAdvanced.at(account, seq, clock.getAsLong(), positions()), null, i -> { })) {
            ledger.setUpdateSeq(account, seq);
        }
    }

    /** The ledger's feed positions (what an account reset records). */
    public Map<Integer, Long> positions() {
        return ledger.feedPositions();
    }

    // ------------------------------------------------------------------ feed

    /** One exchange event, exactly once, in order per shard. */
    public void onEvent(ExchangeEvent e) {
        Deque<ExchangeEvent> held = heldEvents.get(e.shard());
        if (held == null && admit(e)) {
            applyEvent(e);
            if (heldCount > 0) {
                releaseHeld();
            }
            return;
        }
        // behind events of its shard that wait, or itself past an intent another shard has not reached
        heldEvents.computeIfAbsent(e.shard(), s -> new ArrayDeque<>()).add(e);
        heldCount++;
        releaseHeld();
        while (heldCount > MAX_HELD_EVENTS && !pendingIntents.isEmpty()) {
            LOG.log(System.Logger.Level.ERROR, "{0} events of shards ahead are waiting for another shard to reach the"
                    + " position of intent {1}: applying it now, out of its recorded order", heldCount,
                    pendingIntents.peek().index());
            apply(pendingIntents.poll());
            releaseHeld();
        }
    }

    /**
     * Applies the held events that may go now, each shard's in order, until none may: applying one can make an
     * intent due, which can free another shard's.
     */
    private void releaseHeld() {
        boolean moved = true;
        while (moved && heldCount > 0) {
            moved = false;
            for (var it = heldEvents.values().iterator(); it.hasNext(); ) {
                Deque<ExchangeEvent> queue = it.next();
                while (!queue.isEmpty() && admit(queue.peek())) {
                    applyEvent(queue.poll());
                    heldCount--;
                    moved = true;
                }
                if (queue.isEmpty()) {
                    it.remove();
                }
            }
        }
    }

    /**
     * Applies the pending intents due before {@code e}; false when {@code e} has to wait: it is past the first pending
     * intent's position on its shard (a shard the intent has no position for had applied none of its events then)
     * while another shard has not reached that intent's position.
     */
    private boolean admit(ExchangeEvent e) {
        while (!pendingIntents.isEmpty()) {
            Map<Integer, Long> due = pendingIntents.peek().feedPositions();
            if (!due.isEmpty() && !reached(due)) {
                return e.seq() <= due.getOrDefault(e.shard(), 0L);
            }
            apply(pendingIntents.poll());
        }
        return true;
    }

    private void applyEvent(ExchangeEvent e) {
        market.onEvent(e);
        for (Update u : ledger.apply(e)) {
            publish(u, e.traceParent());
        }
        if (!ledgerWaits.isEmpty()) {
            ledgerWaits.check(clock.getAsLong());
        }
        if (replaceHolds.size() > 0) {
            switch (e.type()) {
                case REPLACED -> replaceHolds.answered(e.orderId());
                case CANCELED, EXPIRED -> replaceHolds.closed(e.orderId());
                // A replace the exchange refused is answered by its command's result (a REJECTED event does not say
                // which command of the order it refused).
                case TRADE -> {
                    if (e.leavesQty() == 0) {
                        replaceHolds.closed(e.orderId());
                    }
                    if (e.counterLeavesQty() == 0) {
                        replaceHolds.closed(e.counterOrderId());
                    }
                }
                default -> {
                }
            }
        }
    }

    /**
     * Once live after a start: orders still pending_new were logged but never reached the exchange
     * (no event names them), so they are sent now; the exchange refuses an id it already knows.
     */
    public void resendPending(String traceParent) {
        while (!pendingIntents.isEmpty()) {
            apply(pendingIntents.poll());
            releaseHeld();
        }
        releaseHeld(); // with no intent left every held event may go, each shard's in order
        cancelLeftOpen(traceParent);
        for (String account : ledger.accountIds()) {
            for (Order o : ledger.openOrders(account, null)) {
                if (o.status() == OrderStatus.PENDING_NEW && !withdrawn(account, o)) {
                    OrderRequest req = new OrderRequest(o.clientOrderId(), o.symbol(), o.side(), o.type(),
                            o.timeInForce(), o.qty(), o.price(), o.stopPrice());
                    NewOrder n = NewOrder.of(account, o.exchangeId(), req, null, requestHash(req), o.createdAt());
                    send(n, traceParent, new CompletableFuture<>(), true);
                }
            }
        }
    }

    /**
     * Once live after a start: cancels what a kill switch or a reset left open. Their cancels are sent once their
     * record is durable, by this process; one that stopped in between (kill -9) left the record (switch on, cash
     * back to the starting balance) with the orders still live at the exchange, where they could fill. So every
     * open order of an account whose kill switch is on, and every one placed before the account's last reset
     * (by the orders' numbers, not their times), is canceled again; the exchange refuses a cancel of one already
     * gone, and no other order is touched.
     */
    private void cancelLeftOpen(String traceParent) {
        for (String account : ledger.accountIds()) {
            boolean killedNow = killed.contains(account);
            for (Order o : ledger.openOrders(account, null)) {
                if (killedNow || ledger.placedBeforeReset(account, o.orderId())) {
                    cancel(account, o.orderId(), traceParent);
                }
            }
        }
    }

    /**
     * Settles new orders whose command got no answer (the exchange node died with it, or answered
     * late): called periodically on the context. For each still pending_new at least {@code afterMs}
     * after its unknown answer, a barrier is asked on its shard; it travels behind the command, so once
     * the feed is applied up to the barrier's seq, an order still pending_new never reached the engine
     * and is sent again (a later unknown answer starts over). An order the feed settled is dropped.
     * The exchange keeps only live order ids, so sending without that proof could fill an order twice.
     * Also ends the waits of closes whose cancels' events are late ({@link #CANCEL_WAIT_MS}).
     */
    public void settleUnknown(long afterMs) {
        if (!ledgerWaits.isEmpty()) {
            ledgerWaits.check(clock.getAsLong());
        }
        cancelAsked.entrySet().removeIf(e -> {
            Order o = ledger.hasAccount(e.getValue()) ? ledger.order(e.getValue(), Long.toString(e.getKey())) : null;
            return o == null || o.status() != OrderStatus.PENDING_NEW; // the feed (or a withdrawal) settled it
        });
        if (unsettled.isEmpty() || storeFailure != null) {
            // Once the store has failed this process sends no order again: the next process of the instance (a restart,
            // or with Redis a standby that took the claim over while this one still runs) resends what the log holds
            // pending, and both sending one that ends at once (IOC, market) placed it twice.
            return;
        }
        long now = clock.getAsLong();
        for (Unsettled u : new ArrayList<>(unsettled.values())) {
            NewOrder intent = u.intent;
            Order o = ledger.order(intent.account(), Long.toString(intent.exchangeId()));
            if (o == null || o.status() != OrderStatus.PENDING_NEW) {
                unsettled.remove(intent.exchangeId());
            } else if (u.barrierSeq >= 0) {
                if (ledger.feedPosition(u.shard) >= u.barrierSeq) {
                    unsettled.remove(intent.exchangeId());
                    if (!withdrawn(intent.account(), o)) {
                        resent++;
                        send(intent, null, new CompletableFuture<>(), true);
                    }
                }
            } else if (!u.probing && now - u.since >= afterMs) {
                u.probing = true;
                exchange.barrier(intent.request().symbol()).whenComplete((at, err) -> {
                    u.probing = false;
                    if (err != null) {
                        u.since = clock.getAsLong(); // the exchange is still away: ask again later
                    } else {
                        u.shard = at.shard();
                        u.barrierSeq = at.seq();
                    }
                });
            }
        }
    }

    /** New orders whose command's fate is still unknown (not yet settled). On the context, where /metrics is served. */
    public int unsettledOrders() {
        return unsettled.size();
    }

    /** Orders sent again because a barrier proved the exchange never got them. Any thread. */
    public long resentOrders() {
        return resent;
    }

    // ------------------------------------------------------------------ snapshots

    /** The state as bytes: the ledger, then the kill switches, Idempotency-Keys and first-asked order hashes. */
    public byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
            DataOutputStream out = new DataOutputStream(bytes);
            ledger.writeSnapshot(out);
            out.writeInt(killed.size());
            for (String k : killed) {
                out.writeUTF(k);
            }
            TreeMap<String, String> keys = new TreeMap<>(idempotencyKeys);
            out.writeInt(keys.size());
            for (Map.Entry<String, String> e : keys.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            TreeMap<String, Long> hashes = new TreeMap<>(requestHashes);
            out.writeInt(hashes.size());
            for (Map.Entry<String, Long> e : hashes.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
            out.writeInt(cancelAsked.size()); // last, and read only when there: older snapshots end before it
            for (Map.Entry<Long, String> e : cancelAsked.entrySet()) {
                out.writeLong(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@link #snapshot()}: the ledger, and fills this desk's kill switches and keys. */
    public static Ledger readLedger(byte[] bytes, LedgerOptions options, Consumer<DataInputStream> rest) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            Ledger l = Ledger.readSnapshot(in, options);
            rest.accept(in);
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restores kill switches and keys written after the ledger, and the snapshot's intent index. */
    public void restoreExtras(DataInputStream in, long intentIndex) {
        try {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                killed.add(in.readUTF());
            }
            int k = in.readInt();
            for (int i = 0; i < k; i++) {
                idempotencyKeys.put(in.readUTF(), in.readUTF());
            }
            int h = in.readInt();
            for (int i = 0; i < h; i++) {
                requestHashes.put(in.readUTF(), in.readLong());
            }
            if (in.available() > 0) {
                int c = in.readInt();
                for (int i = 0; i < c; i++) {
                    cancelAsked.put(in.readLong(), in.readUTF());
                }
            }
            for (Map.Entry<String, String> e : idempotencyKeys.entrySet()) {
                String account = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
                idempotencyKeyOfOrder.put(account + "\u0000" + e.getValue(), e.getKey().substring(account.length() + 1));
            }
            // What an older build kept for orders the history no longer holds (or a lower history_kept dropped).
            for (String order : List.copyOf(requestHashes.keySet())) {
                int cut = order.indexOf('\u0000');
                String account = order.substring(0, cut);
                if (!ledger.hasAccount(account) || ledger.orderByClientId(account, order.substring(cut + 1)) == null) {
                    forgetOrder(account, order.substring(cut + 1));
                }
            }
            lastIntentApplied = intentIndex;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A hash of the whole state: the ledger's and the kill switches. Equal for equal histories. */
    public long stateHash() {
        return ledger.stateHash() * 31 + killed.hashCode();
    }

    // ------------------------------------------------------------------ helpers

    /** The instrument's price band and lot rules as risk applies them now (the FIX security list publishes them). */
    public InstrumentRules rules(InstrumentInfo info) {
        return rules(info, clock.getAsLong());
    }

    private InstrumentRules rules(InstrumentInfo info, long now) {
        return InstrumentRules.of(info, market.reference(info.symbol(), now), market.last(info.symbol()), 0, 0);
    }

    private AccountState state(String account, long now) {
        boolean known = ledger.hasAccount(account);
        long defaultCash = ledger.options().defaultStartingCash();
        return new AccountState() {
            @Override
            public String account() {
                return account;
            }

            @Override
            public long buyingPower() {
                return (known ? ledger.buyingPower(account) : defaultCash) - replaceHolds.cash(account, now);
            }

            @Override
            public long sellable(String symbol) {
                return known ? ledger.sellable(account, symbol, now) - replaceHolds.shares(account, symbol, now) : 0;
            }

            @Override
            public long openOrderCount() {
                return known ? ledger.openOrderCount(account) : 0;
            }

            @Override
            public boolean killSwitch() {
                return killed.contains(account);
            }
        };
    }

    /** The order with what the exchange's answer already says (the feed may not have brought it yet). */
    Order overlay(Order o, CommandResult r) {
        if (o == null) {
            return null;
        }
        OrderStatus status = o.status();
        long filled = o.filledQty();
        long filledValue = o.filledValue();
        long leaves = o.leavesQty();
        long qty = o.qty();
        long price = o.price();
        long updated = o.updatedAt();
        for (ExchangeEvent e : r.events()) {
            boolean mine = e.orderId() == o.exchangeId();
            boolean maker = e.counterOrderId() == o.exchangeId() && e.type() == EventType.TRADE;
            if (!mine && !maker || e.seq() <= ledger.feedPosition(e.shard())) {
                continue; // not about this order, or already in the ledger from the feed
            }
            updated = Math.max(updated, e.timestamp());
            switch (e.type()) {
                case ACCEPTED -> {
                    if (status == OrderStatus.PENDING_NEW) {
                        status = OrderStatus.NEW;
                    }
                }
                case TRADE -> {
                    filled = Math.min(qty, filled + e.qty());
                    filledValue += e.qty() * e.price();
                    leaves = maker ? e.counterLeavesQty() : e.leavesQty();
                    status = leaves == 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
                }
                case CANCELED -> {
                    status = OrderStatus.CANCELED;
                    leaves = 0;
                }
                case EXPIRED -> {
                    status = OrderStatus.EXPIRED;
                    leaves = 0;
                }
                case REPLACED -> {
                    qty = e.qty();
                    price = e.price();
                    leaves = e.leavesQty();
                }
                default -> {
                }
            }
        }
        if (status == o.status() && filled == o.filledQty() && leaves == o.leavesQty() && qty == o.qty()
                && price == o.price()) {
            return o;
        }
        long avg = filled == 0 ? 0 : (filledValue + filled / 2) / filled;
        return new Order(o.orderId(), o.exchangeId(), o.account(), o.clientOrderId(), o.symbol(), o.side(), o.type(),
                o.timeInForce(), qty, price, o.stopPrice(), filled, leaves, avg, filledValue, status, o.rejectReason(),
                o.rejectCode(), o.createdAt(), updated, o.updateSeq());
    }

    private static Outcome unknown(Order o, Throwable err) {
        String why = err instanceof TimeoutException || err.getCause() instanceof TimeoutException
                ? "no answer from the exchange in time" : "the exchange could not be reached";
        return new Outcome(Outcome.Kind.UNKNOWN, o, TradeError.STATUS_UNKNOWN, 0, why
                + "; the order's status is unknown: look it up by client_order_id");
    }

    private Outcome busy() {
        return new Outcome(Outcome.Kind.BUSY, null, TradeError.NOT_READY, 0, storeFailure != null
                ? "trade-api cannot record requests: its intent store failed; trading resumes once trade-api restarts"
                : "trade-api cannot record orders right now (its intent log is full); retry shortly");
    }

    private static long orNone(long price) {
        return price == 0 ? Price.NONE : price;
    }

    private static CompletionStage<Outcome> done(Outcome o) {
        return CompletableFuture.completedFuture(o);
    }

    /** A stable 64-bit hash of an order's parameters (not its client id): FNV-1a over a canonical text. */
    public static long requestHash(OrderRequest r) {
        return fnv(r.symbol() + "|" + r.side() + "|" + r.type() + "|" + r.timeInForce() + "|" + r.qty() + "|" + r.price()
                + "|" + r.stopPrice());
    }

    static long requestHash(Order o) {
        return fnv(o.symbol() + "|" + o.side() + "|" + o.type() + "|" + o.timeInForce() + "|" + o.qty() + "|"
                + o.price() + "|" + o.stopPrice());
    }

    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * How every {@link #generateClientOrderId generated} client order id starts. Reserved: a caller's own
     * client_order_id may not start so (REST refuses it, {@code OrderBodies}), else it could take an id generated
     * later, whose order was then answered with the caller's (or 409 -4111).
     */
    public static final String GENERATED_CLIENT_ORDER_ID_PREFIX = "ot-";

    /** A generated client order id for a request that gave none (unique per process start and count). */
    public String generateClientOrderId() {
        return GENERATED_CLIENT_ORDER_ID_PREFIX + Long.toString(clock.getAsLong(), 36) + "-" + (++generatedIds);
    }
}
