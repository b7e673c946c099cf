package org.opentrade.trade.domain.risk;

import static org.opentrade.trade.domain.risk.Amounts.money;
import static org.opentrade.trade.domain.risk.Amounts.qty;

import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.FeeSchedule;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.OrderStatus;
import org.opentrade.trade.domain.TradeError;

/**
 * The pre-trade risk checks: whether a new order or a replace may go to the exchange. The first rule
 * an order breaks is the answer, always in this order (each its own {@code error_no}):
 * <ol>
 *   <li>kill switch (-4110)</li>
 *   <li>order shape (-4114): side, type and time in force present; qty positive; limit and stop-limit
 *       orders carry a price, market and stop orders none; stop and stop-limit orders carry a stop
 *       price, the others none; prices at most {@link Price#MAX}; a market order is {@code day},
 *       {@code ioc} or {@code fok} — never {@code gtc}: a market order never rests, and the exchange
 *       sends a {@code day} market order as {@code ioc}; stops take any time in force (it applies
 *       once triggered); a market buy needs an ask, a last price or a reference to be valued</li>
 *   <li>board lot (-4103): a buy is whole lots; a sell may carry an odd lot only to sell the whole
 *       odd remainder of the sellable position (the A-share rule). A sell larger than the sellable
 *       position is left to the position check, which names the real problem</li>
 *   <li>tick (-4104) of the price and the stop price</li>
 *   <li>price band (-4105): price and stop price within today's limits, by the exchange's formula
 *       ({@link InstrumentRules#upperLimit()}); skipped while the reference is unknown</li>
 *   <li>max order qty (-4106): the smaller of {@link RiskOptions#maxOrderQty()} and the instrument's</li>
 *   <li>max notional (-4107): qty × the valuation price (below)</li>
 *   <li>open orders per account (-4108); not for a replace, which opens none</li>
 *   <li>orders per account per second (-4109), {@link OrderRateLimiter}</li>
 *   <li>buying power (-4101) for buys: qty × valuation price + the fee of one fill at that price</li>
 *   <li>sellable position (-4102) for sells: no short selling</li>
 * </ol>
 *
 * <p><b>Valuation price</b> (notional, and the cash a buy reserves, {@link #valuationPrice}): a limit
 * or stop-limit order's limit price; a market buy at the best ask (else the last price, else the
 * reference) plus {@link RiskOptions#marketBuyCollarBp()}, rounded up to the tick and capped at the
 * upper band limit — the exchange never fills above that limit, so with a collar reaching it the
 * reservation is a hard bound; a stop buy the same way from its stop price; a market sell at the
 * best bid (else last, else reference) and a stop sell at its stop price.
 *
 * <p><b>State</b>: none but the rate limiter. An answer of {@code null} counts the order against the
 * account's rate, so call {@link #check} once per order that will be sent; refused orders do not
 * count (they never reach the exchange; the gateway limits requests). Cancels are never checked.
 *
 * <p>Single-threaded: called on the trade context only; no locks, no clock (time is passed in).
 */
public final class RiskChecks {
    private static final long BP_UNIT = 10_000;

    private final RiskOptions options;
    private final FeeSchedule fees;
    private final OrderRateLimiter rate;

    public RiskChecks(RiskOptions options, FeeSchedule fees) {
        this.options = Objects.requireNonNull(options, "options");
        this.fees = Objects.requireNonNull(fees, "fees");
        this.rate = new OrderRateLimiter(options.maxOrdersPerSecond(), options.maxAccountsTracked());
    }

    /** With the A-share fee schedule. */
    public RiskChecks(RiskOptions options) {
        this(options, FeeSchedule.A_SHARE);
    }

    public RiskOptions options() {
        return options;
    }

    /**
     * {@code null} when the new order may go to the exchange (and it is then counted against the
     * account's order rate), else the first rule it breaks.
     *
     * @throws IllegalArgumentException when {@code rules} are another symbol's (a caller bug)
     */
    public Refusal check(OrderRequest req, AccountState acct, InstrumentRules rules, long nowMs) {
        requireSymbol(req.symbol(), rules);
        if (acct.killSwitch()) {
            return killSwitch(acct);
        }
        Refusal r = shape(req, rules);
        if (r != null) {
            return r;
        }
        long sellable = req.side() == Side.SELL ? acct.sellable(req.symbol()) : 0;
        Valuation v = valuation(req, rules);
        r = firstOf(lot(req.side(), req.qty(), sellable, rules),
                tick(req, rules),
                band(req, rules),
                maxQty(req.qty(), rules),
                notional(req.qty(), v));
        if (r != null) {
            return r;
        }
        if (acct.openOrderCount() >= options.maxOpenOrders()) {
            return new Refusal(TradeError.TOO_MANY_OPEN_ORDERS, qty(acct.openOrderCount())
                    + " open orders, the maximum is " + qty(options.maxOpenOrders()) + " per account");
        }
        r = firstOf(rate(acct, nowMs), req.side() == Side.BUY
                ? buyingPower(acct.buyingPower(), req.qty(), v)
                : sellable(req.symbol(), sellable, req.qty()));
        if (r != null) {
            return r;
        }
        rate.record(acct.account(), nowMs);
        return null;
    }

    /**
     * {@code null} when {@code existing} may be replaced by {@code newQty} (the new total quantity,
     * filled part included, as the exchange takes it) at {@code newPrice}, and the replace is then
     * counted against the account's order rate; else the first rule it breaks. Same rules and order
     * as {@link #check} but no open-order count; in addition the order must be open (-4113), a
     * market or stop order cannot be replaced and the new qty must stay above the filled qty (-4114).
     * Buying power and sellable position are checked against the change only: the account's
     * figures already exclude what {@code existing} holds, which is {@code held} (the cash the ledger holds
     * back for it now) for a buy and its leaves for a sell; {@code acct} must be the account's own figures,
     * never ones with {@code held} added back (that would count it twice). What a buy holds after the replace is
     * taken as a new order's reservation of the new leaves: exact for an order with nothing filled; for a partly
     * filled one pass the ledger's figure (the overload with {@code heldAfter}).
     */
    public Refusal checkReplace(Order existing, long newQty, long newPrice, AccountState acct, long held,
                                InstrumentRules rules, long nowMs) {
        return checkReplace(existing, newQty, newPrice, acct, held,
                () -> buyReservation(newQty - existing.filledQty(), newPrice), rules, nowMs);
    }

    /**
     * {@link #checkReplace(Order, long, long, AccountState, long, InstrumentRules, long)} with {@code heldAfter}, what
     * the ledger will hold back for a buy once replaced ({@code Ledger.reservationAfterReplace}): a partly filled buy
     * has paid its minimum commission, so its new leaves owe only the commission beyond it, not another minimum.
     * The buying power check asks for {@code heldAfter − held}, the cash the replace really reserves more. Read only
     * for a buy that passed the quantity and value limits (so it cannot overflow).
     */
    public Refusal checkReplace(Order existing, long newQty, long newPrice, AccountState acct, long held,
                                LongSupplier heldAfter, InstrumentRules rules, long nowMs) {
        requireSymbol(existing.symbol(), rules);
        if (acct.killSwitch()) {
            return killSwitch(acct);
        }
        if (!existing.status().isOpen() || existing.status() == OrderStatus.PENDING_CANCEL) {
            return new Refusal(TradeError.ORDER_NOT_OPEN, "order " + existing.orderId() + " is "
                    + existing.status().wireName() + ": only an open order can be replaced");
        }
        Refusal r = replaceShape(existing, newQty, newPrice);
        if (r != null) {
            return r;
        }
        long newLeaves = newQty - existing.filledQty();
        long sellable = existing.side() == Side.SELL ? acct.sellable(existing.symbol()) : 0;
        Valuation v = new Valuation(newPrice, "");
        r = firstOf(lot(existing.side(), existing.side() == Side.BUY ? newQty : newLeaves,
                        sellable + existing.leavesQty(), rules),
                tickOf("price", newPrice, rules),
                bandOf("price", newPrice, rules),
                maxQty(newQty, rules),
                notional(newQty, v),
                rate(acct, nowMs));
        if (r != null) {
            return r;
        }
        if (existing.side() == Side.BUY) {
            r = replaceBuyingPower(acct.buyingPower(), newLeaves, v, held, heldAfter.getAsLong());
        } else {
            long more = newLeaves - existing.leavesQty();
            r = more > 0 && more > sellable ? new Refusal(TradeError.INSUFFICIENT_POSITION, "sellable "
                    + existing.symbol() + " is " + qty(sellable) + ", less than the " + qty(more)
                    + " more this replace sells (no short selling)") : null;
        }
        if (r != null) {
            return r;
        }
        rate.record(acct.account(), nowMs);
        return null;
    }

    /**
     * Lifting the account's kill switch: counted against its order rate like an order (it lets the account
     * trade again), so an on-off loop is bounded by that rate. Null when allowed (and then counted).
     */
    public Refusal checkLiftKillSwitch(AccountState acct, long nowMs) {
        Refusal r = rate(acct, nowMs);
        if (r != null) {
            return new Refusal(r.error(), "lifting the kill switch counts as an order: " + r.message());
        }
        rate.record(acct.account(), nowMs);
        return null;
    }

    /**
     * The price an order is valued at (notional, the cash a buy reserves): see the class comment.
     * {@code 0} when it cannot be valued (a market order and no ask, last or reference).
     */
    public long valuationPrice(OrderRequest req, InstrumentRules rules) {
        return valuation(req, rules).price;
    }

    /**
     * The buying power a buy of {@code qty} at {@code price} needs: its value plus the fee of one
     * fill. With the minimum commission billed per fill an order filled in several parts can pay more
     * than this (billed per order, the default, only by each fill's rounding to the cent); the ledger settles the
     * real fees.
     */
    public long buyReservation(long qty, long price) {
        return Math.addExact(Math.multiplyExact(qty, price), fees.fee(Side.BUY, price, qty));
    }

    /** Milliseconds until {@code account} may send another order (0 = now); for {@code Retry-After}. */
    public long retryAfterMs(String account, long nowMs) {
        return rate.retryAfterMs(account, nowMs);
    }

    // ---------------------------------------------------------------- the rules

    private static Refusal killSwitch(AccountState acct) {
        return new Refusal(TradeError.KILL_SWITCH_ACTIVE, "the kill switch of account " + acct.account()
                + " is on: new orders and replaces are refused until it is turned off");
    }

    private Refusal shape(OrderRequest req, InstrumentRules rules) {
        if (req.side() == null || req.type() == null || req.timeInForce() == null) {
            return invalid("side, type and time_in_force are required");
        }
        if (req.qty() <= 0) {
            return invalid("qty must be positive, was " + qty(req.qty()));
        }
        String type = wire(req.type());
        if (req.type().hasLimitPrice() && (req.price() <= 0 || req.price() > Price.MAX)) {
            return invalid("a " + type + " order needs a price above 0 and at most " + money(Price.MAX)
                    + ", was " + money(req.price()));
        }
        if (!req.type().hasLimitPrice() && req.price() != Price.NONE) {
            return invalid("a " + type + " order takes no price, was " + money(req.price()));
        }
        if (req.type().isStop() && (req.stopPrice() <= 0 || req.stopPrice() > Price.MAX)) {
            return invalid("a " + type + " order needs a stop_price above 0 and at most " + money(Price.MAX)
                    + ", was " + money(req.stopPrice()));
        }
        if (!req.type().isStop() && req.stopPrice() != Price.NONE) {
            return invalid("a " + type + " order takes no stop_price, was " + money(req.stopPrice()));
        }
        if (req.type() == OrderType.MARKET && req.timeInForce() == TimeInForce.GTC) {
            return invalid("a market order never rests, so it cannot be gtc: use day (sent as ioc), ioc or fok");
        }
        if (req.type() == OrderType.MARKET && req.side() == Side.BUY && marketBase(rules, Side.BUY) == 0) {
            return invalid("no ask, last price or reference for " + rules.symbol()
                    + " to value a market buy: send a limit order");
        }
        return null;
    }

    private static Refusal replaceShape(Order existing, long newQty, long newPrice) {
        if (existing.type() == OrderType.MARKET || existing.type() == OrderType.STOP) {
            return invalid("a " + wire(existing.type()) + " order cannot be replaced: cancel it and place a new one");
        }
        if (newQty <= 0) {
            return invalid("qty must be positive, was " + qty(newQty));
        }
        if (newPrice <= 0 || newPrice > Price.MAX) {
            return invalid("price must be above 0 and at most " + money(Price.MAX) + ", was " + money(newPrice));
        }
        if (newQty <= existing.filledQty()) {
            return invalid("the new qty " + qty(newQty) + " must be above the " + qty(existing.filledQty())
                    + " already filled");
        }
        return null;
    }

    /** {@code sellable}: the position this sell may use (for the odd-lot rule). */
    private static Refusal lot(Side side, long qty, long sellable, InstrumentRules rules) {
        long lot = rules.boardLot();
        long odd = qty % lot;
        if (odd == 0) {
            return null;
        }
        if (side == Side.BUY) {
            return new Refusal(TradeError.QTY_NOT_BOARD_LOT, "buy qty " + qty(qty)
                    + " is not a multiple of the board lot " + qty(lot) + " of " + rules.symbol());
        }
        if (qty <= sellable && odd != sellable % lot) {
            return new Refusal(TradeError.QTY_NOT_BOARD_LOT, "sell qty " + qty(qty) + " has an odd lot of "
                    + qty(odd) + ", but an odd lot (below the board lot " + qty(lot)
                    + ") may only sell the whole odd remainder of the position: " + qty(sellable % lot)
                    + " of the " + qty(sellable) + " sellable");
        }
        return null;
    }

    private static Refusal tick(OrderRequest req, InstrumentRules rules) {
        return firstOf(req.type().hasLimitPrice() ? tickOf("price", req.price(), rules) : null,
                req.type().isStop() ? tickOf("stop_price", req.stopPrice(), rules) : null);
    }

    private static Refusal tickOf(String what, long price, InstrumentRules rules) {
        return price % rules.tickSize() == 0 ? null : new Refusal(TradeError.PRICE_NOT_ON_TICK, what + " "
                + money(price) + " is not a multiple of the tick " + money(rules.tickSize()) + " of " + rules.symbol());
    }

    private static Refusal band(OrderRequest req, InstrumentRules rules) {
        return firstOf(req.type().hasLimitPrice() ? bandOf("price", req.price(), rules) : null,
                req.type().isStop() ? bandOf("stop_price", req.stopPrice(), rules) : null);
    }

    private static Refusal bandOf(String what, long price, InstrumentRules rules) {
        if (!rules.hasBand()) {
            return null;
        }
        long low = rules.lowerLimit();
        long high = rules.upperLimit();
        if (price >= low && price <= high) {
            return null;
        }
        return new Refusal(TradeError.PRICE_OUTSIDE_BAND, what + " " + money(price) + " is outside today's band "
                + money(low) + " to " + money(high) + " of " + rules.symbol() + " (reference "
                + money(rules.reference()) + " ± " + rules.bandPercent() + " %)");
    }

    private Refusal maxQty(long qty, InstrumentRules rules) {
        boolean instrumentTighter = rules.maxOrderQty() < options.maxOrderQty();
        long max = instrumentTighter ? rules.maxOrderQty() : options.maxOrderQty();
        return qty <= max ? null : new Refusal(TradeError.QTY_TOO_LARGE, "qty " + qty(qty)
                + " is above the maximum " + qty(max) + " per order"
                + (instrumentTighter ? " of " + rules.symbol() : ""));
    }

    private Refusal notional(long qty, Valuation v) {
        long value = saturatedProduct(qty, v.price);
        return value <= options.maxNotional() ? null : new Refusal(TradeError.NOTIONAL_TOO_LARGE, "order value "
                + (value == Long.MAX_VALUE ? "beyond " + money(value) : money(value)) + " (" + qty(qty) + " x "
                + money(v.price) + v.basis + ") is above the maximum " + money(options.maxNotional()));
    }

    private Refusal rate(AccountState acct, long nowMs) {
        int recent = rate.inWindow(acct.account(), nowMs);
        if (recent < rate.maxPerSecond()) {
            return null;
        }
        return new Refusal(TradeError.ORDER_RATE_EXCEEDED, qty(recent) + " orders in the last second, the maximum is "
                + qty(rate.maxPerSecond()) + " per second per account: retry in "
                + rate.retryAfterMs(acct.account(), nowMs) + " ms");
    }

    private Refusal buyingPower(long buyingPower, long qty, Valuation v) {
        long fee = fees.fee(Side.BUY, v.price, qty);
        long needed = Math.addExact(Math.multiplyExact(qty, v.price), fee);
        if (needed <= buyingPower) {
            return null;
        }
        return new Refusal(TradeError.INSUFFICIENT_BUYING_POWER, "buying power " + money(buyingPower) + " is less than "
                + money(needed) + " (" + qty(qty) + " x " + money(v.price) + " + fees " + money(fee) + v.basis + ")");
    }

    /**
     * A buy replace needs {@code heldAfter − held}: what its order will hold back (the ledger's figure, the fees its
     * fills paid counted) less what it holds now.
     */
    private static Refusal replaceBuyingPower(long buyingPower, long newLeaves, Valuation v, long held, long heldAfter) {
        long more = heldAfter - held;
        if (more <= buyingPower) {
            return null;
        }
        long fee = heldAfter - Math.multiplyExact(newLeaves, v.price);
        return new Refusal(TradeError.INSUFFICIENT_BUYING_POWER, "buying power " + money(buyingPower)
                + " is less than the " + money(more) + " more this replace needs (" + qty(newLeaves) + " x "
                + money(v.price) + " + fees " + money(fee) + v.basis + " = " + money(heldAfter) + ", " + money(held)
                + " already reserved)");
    }

    private static Refusal sellable(String symbol, long sellable, long qty) {
        return qty <= sellable ? null : new Refusal(TradeError.INSUFFICIENT_POSITION, "sellable " + symbol + " is "
                + qty(sellable) + ", less than the " + qty(qty) + " to sell (no short selling)");
    }

    // ---------------------------------------------------------------- valuation

    /** A price and, for a price not given by the order, how it was found (for messages). */
    private record Valuation(long price, String basis) {
    }

    private Valuation valuation(OrderRequest req, InstrumentRules rules) {
        if (req.type().hasLimitPrice()) {
            return new Valuation(req.price(), "");
        }
        boolean stop = req.type().isStop();
        if (req.side() == Side.SELL) {
            return stop ? new Valuation(req.stopPrice(), ", a stop sell at its stop price")
                    : new Valuation(marketBase(rules, Side.SELL), ", a market sell at the " + baseName(rules, Side.SELL));
        }
        if (rules.hasBand()) {
            // The most it can pay: a market buy (a stop buy once triggered) sweeps the book up to the upper limit, and
            // valued at the ask (or stop) plus a collar, a book thin above it made the fills cost more than was
            // reserved and cash went below zero. A-share brokers freeze market buys at the limit-up price too.
            return new Valuation(rules.upperLimit(), ", a " + (stop ? "stop" : "market") + " buy at the upper limit "
                    + money(rules.upperLimit()) + ", the most it can pay");
        }
        long base = stop ? req.stopPrice() : marketBase(rules, Side.BUY);
        if (base == 0) {
            return new Valuation(0, "");
        }
        long scaled = saturatedProduct(base, BP_UNIT + options.marketBuyCollarBp());
        long collared = ceilToTick(scaled / BP_UNIT + (scaled % BP_UNIT == 0 ? 0 : 1), rules);
        boolean capped = rules.hasBand() && collared > rules.upperLimit();
        long price = capped ? rules.upperLimit() : collared;
        String basis = ", a " + (stop ? "stop buy at its stop price " : "market buy at the " + baseName(rules, Side.BUY)
                + " ") + money(base) + " + " + money(options.marketBuyCollarBp()) + " %"
                + (capped ? " capped at the upper limit" : "");
        return new Valuation(price, basis);
    }

    /** Best price on the side a market order takes from, else last, else reference; 0 if none. */
    private static long marketBase(InstrumentRules rules, Side side) {
        long best = side == Side.BUY ? rules.bestAsk() : rules.bestBid();
        return best > 0 ? best : rules.lastPrice() > 0 ? rules.lastPrice() : rules.reference();
    }

    private static String baseName(InstrumentRules rules, Side side) {
        long best = side == Side.BUY ? rules.bestAsk() : rules.bestBid();
        return best > 0 ? (side == Side.BUY ? "ask" : "bid") : rules.lastPrice() > 0 ? "last price" : "reference";
    }

    private static long ceilToTick(long price, InstrumentRules rules) {
        long t = rules.tickSize();
        long r = price % t;
        return r == 0 ? price : price + (t - r);
    }

    // ---------------------------------------------------------------- small helpers

    private static Refusal firstOf(Refusal... refusals) {
        for (Refusal r : refusals) {
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private static Refusal invalid(String message) {
        return new Refusal(TradeError.INVALID_ORDER, message);
    }

    private static String wire(OrderType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static long saturatedProduct(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    private static void requireSymbol(String symbol, InstrumentRules rules) {
        if (!rules.symbol().equals(symbol)) {
            throw new IllegalArgumentException("risk check of " + symbol + " given the rules of " + rules.symbol());
        }
    }
}
